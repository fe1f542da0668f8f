// The typed API client. `paths` is generated from Django's OpenAPI schema (make spa-build
// runs manage.py spectacular, then openapi-typescript): a renamed field or a removed
// endpoint is a compile error here, not a blank page in production.
import createClient from "openapi-fetch";

import { getAccessToken, refreshAccessToken } from "./auth";
import { toApiError } from "./errors";
import type { components, paths } from "./schema";

export type Product = components["schemas"]["Product"];
export type Variant = components["schemas"]["Variant"];
export type Category = components["schemas"]["Category"];
export type Cart = components["schemas"]["Cart"];
export type Order = components["schemas"]["Order"];
export type CheckoutRequest = components["schemas"]["CheckoutRequest"];

/**
 * fetch with the access token, and one silent retry after a refresh when the token has
 * expired (401). A second 401 is final: the caller shows the login page.
 */
export function authFetch(fetcher: typeof fetch = fetch): (request: Request) => Promise<Response> {
  return async (request: Request) => {
    const retry = request.clone(); // a body can be read once; keep a copy for the retry
    const send = (req: Request, token: string | null) => {
      if (token) req.headers.set("Authorization", `Bearer ${token}`);
      return fetcher(req);
    };
    const response = await send(request, getAccessToken());
    if (response.status !== 401) return response;
    const token = await refreshAccessToken(fetcher);
    return token ? send(retry, token) : response;
  };
}

export function createApi(fetcher: typeof fetch = fetch, baseUrl = "") {
  // baseUrl "": the same origin as the page (nginx's /app/, or Vite's proxy in development).
  return createClient<paths>({ baseUrl, fetch: authFetch(fetcher) });
}

export const api = createApi();

/** openapi-fetch answers {data} or {error}; pages prefer a thrown ApiError. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw toApiError(response.status, error);
  return data as T;
}
