// The API layer without a server: fetch is a fake that answers like Django would.
import { beforeEach, describe, expect, it, vi } from "vitest";

import { getAccessToken, login, logout, refreshAccessToken, resetAuthForTests } from "./auth";
import { createApi, unwrap } from "./client";
import { ApiError, toApiError } from "./errors";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

const expired = () =>
  json(401, { type: "client_error", errors: [{ code: "token_not_valid", detail: "Token is invalid or expired", attr: null }] });

type Call = { url: string; method: string; headers: Headers; body: string | null };

/** A fake fetch: `routes` answers by "METHOD path"; every call is recorded. */
function fakeFetch(routes: Record<string, (call: Call) => Response | Promise<Response>>) {
  const calls: Call[] = [];
  const fetcher = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), "http://shop.test"), init);
    const call: Call = {
      url: new URL(request.url).pathname,
      method: request.method,
      headers: request.headers,
      body: request.body ? await request.text() : null,
    };
    calls.push(call);
    const route = routes[`${call.method} ${call.url}`];
    if (!route) throw new Error(`unexpected ${call.method} ${call.url}`);
    return route(call);
  });
  return { fetcher: fetcher as unknown as typeof fetch, calls };
}

const csrfRoute = { "GET /api/v1/auth/cookie/csrf/": () => json(200, { csrf_token: "csrf-1" }) };

beforeEach(() => resetAuthForTests());

describe("login and logout", () => {
  it("keeps the access token in memory and sends the CSRF token with the cookie", async () => {
    const { fetcher, calls } = fakeFetch({
      ...csrfRoute,
      "POST /api/v1/auth/cookie/token/": () => json(200, { access: "access-1" }),
      "POST /api/v1/auth/cookie/logout/": () => new Response(null, { status: 204 }),
    });
    const response = await login("ann@example.com", "pw", fetcher);
    expect(response.status).toBe(200);
    expect(getAccessToken()).toBe("access-1");
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.headers.get("X-CSRFToken")).toBe("csrf-1");
    expect(JSON.parse(post.body!)).toEqual({ email: "ann@example.com", password: "pw" });

    await logout(fetcher);
    expect(getAccessToken()).toBeNull();
    expect(calls.at(-1)!.url).toBe("/api/v1/auth/cookie/logout/");
  });

  it("a refused login leaves no token", async () => {
    const { fetcher } = fakeFetch({
      ...csrfRoute,
      "POST /api/v1/auth/cookie/token/": () =>
        json(401, { type: "client_error", errors: [{ code: "no_active_account", detail: "No active account", attr: null }] }),
    });
    expect((await login("ann@example.com", "bad", fetcher)).status).toBe(401);
    expect(getAccessToken()).toBeNull();
  });
});

describe("token refresh on 401", () => {
  it("refreshes once through the cookie and retries the request with its body", async () => {
    let tokenNow = "old";
    const { fetcher, calls } = fakeFetch({
      ...csrfRoute,
      "POST /api/v1/auth/cookie/token/": () => json(200, { access: "old" }),
      "POST /api/v1/auth/cookie/refresh/": () => {
        tokenNow = "new";
        return json(200, { access: "new" });
      },
      "POST /api/v1/cart/items/": (call) =>
        call.headers.get("Authorization") === `Bearer ${tokenNow}` && tokenNow === "new"
          ? json(201, { items: [], total: "0.00", echoed: JSON.parse(call.body!) })
          : expired(),
    });
    await login("ann@example.com", "pw", fetcher);
    const api = createApi(fetcher, "http://shop.test");

    const cart = await unwrap(api.POST("/api/v1/cart/items/", { body: { variant: 21, quantity: 2 } }));

    expect(cart).toMatchObject({ echoed: { variant: 21, quantity: 2 } }); // the retry kept the body
    expect(getAccessToken()).toBe("new");
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "GET /api/v1/auth/cookie/csrf/",
      "POST /api/v1/auth/cookie/token/",
      "POST /api/v1/cart/items/",
      "POST /api/v1/auth/cookie/refresh/",
      "POST /api/v1/cart/items/",
    ]);
  });

  it("parallel 401s share ONE refresh (rotation would blacklist a second one)", async () => {
    const { fetcher, calls } = fakeFetch({
      ...csrfRoute,
      "POST /api/v1/auth/cookie/refresh/": async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return json(200, { access: "new" });
      },
      "GET /api/v1/cart/": (call) =>
        call.headers.get("Authorization") === "Bearer new" ? json(200, { items: [], total: "0.00" }) : expired(),
      "GET /api/v1/orders/": (call) =>
        call.headers.get("Authorization") === "Bearer new"
          ? json(200, { count: 0, next: null, previous: null, results: [] })
          : expired(),
    });
    const api = createApi(fetcher, "http://shop.test");
    await Promise.all([unwrap(api.GET("/api/v1/cart/")), unwrap(api.GET("/api/v1/orders/"))]);
    expect(calls.filter((c) => c.url === "/api/v1/auth/cookie/refresh/")).toHaveLength(1);
  });

  it("when the refresh is refused too, the 401 stands and the user is logged out", async () => {
    const { fetcher, calls } = fakeFetch({
      ...csrfRoute,
      "POST /api/v1/auth/cookie/refresh/": () => expired(),
      "GET /api/v1/orders/": () => expired(),
    });
    const api = createApi(fetcher, "http://shop.test");
    const error = await unwrap(api.GET("/api/v1/orders/")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(getAccessToken()).toBeNull();
    expect(calls.filter((c) => c.url === "/api/v1/orders/")).toHaveLength(1); // no retry loop
    expect(await refreshAccessToken(fetcher)).toBeNull();
  });

  it("other errors are not retried", async () => {
    const { fetcher, calls } = fakeFetch({
      "GET /api/v1/products/nope/": () =>
        json(404, { type: "client_error", errors: [{ code: "not_found", detail: "Not found.", attr: null }] }),
    });
    const api = createApi(fetcher, "http://shop.test");
    const error = (await unwrap(api.GET("/api/v1/products/{slug}/", { params: { path: { slug: "nope" } } })).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(error.status).toBe(404);
    expect(error.message).toBe("Not found.");
    expect(calls).toHaveLength(1);
  });
});

describe("the error shape", () => {
  const checkout400 = {
    type: "validation_error",
    errors: [
      { code: "required", detail: "This field is required.", attr: "city" },
      { code: "invalid", detail: "Enter a valid value.", attr: "country" },
      { code: "empty_cart", detail: "Your cart is empty.", attr: "non_field_errors" },
    ],
  };

  it("puts each message under its field and keeps the rest for the form", () => {
    const error = toApiError(400, checkout400);
    expect(error.type).toBe("validation_error");
    expect(error.fieldErrors("city")).toEqual(["This field is required."]);
    expect(error.fieldErrors("name")).toEqual([]);
    expect(error.otherErrors(["city", "country"])).toEqual(["Your cart is empty."]);
  });

  it("a 409 conflict keeps its code and message", () => {
    const error = toApiError(409, {
      type: "client_error",
      errors: [{ code: "conflict", detail: "This order is not waiting for a payment.", attr: null }],
    });
    expect(error.status).toBe(409);
    expect(error.errors[0].code).toBe("conflict");
    expect(error.otherErrors([])).toEqual(["This order is not waiting for a payment."]);
  });

  it("an answer that is not the API's (a proxy's 502 page) still becomes an ApiError", () => {
    const error = toApiError(502, "<html>Bad Gateway</html>");
    expect(error.type).toBe("server_error");
    expect(error.message).toBe("The server answered 502.");
  });

  it("the typed client hands the parsed body to unwrap", async () => {
    const { fetcher } = fakeFetch({ "POST /api/v1/checkout/": () => json(400, checkout400) });
    const api = createApi(fetcher, "http://shop.test");
    const body = { name: "Ada", line1: "1 Row", line2: "", postcode: "75001", city: "", country: "F", coupon_code: "" };
    const error = (await unwrap(
      api.POST("/api/v1/checkout/", { body, params: { header: { "Idempotency-Key": "k-1" } } }),
    ).catch((e: unknown) => e)) as ApiError;
    expect(error.fieldErrors("country")).toEqual(["Enter a valid value."]);
  });
});
