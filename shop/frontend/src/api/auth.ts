// Tokens, the careful way for a browser (docs/decisions/0010-spa-tokens.md):
// - the ACCESS token lives in this module's memory only: script injected into the page
//   could use it while the tab is open, but cannot carry it away for later;
// - the REFRESH token is an httpOnly cookie that only /api/v1/auth/cookie/ ever receives,
//   so a reload (or the trip to the payment page) logs in again without a password;
// - every POST there sends the CSRF token in X-CSRFToken (Django's double submit).

const AUTH = "/api/v1/auth/cookie/";

let accessToken: string | null = null;
let csrfToken: string | null = null;
let refreshing: Promise<string | null> | null = null;
const listeners = new Set<(loggedIn: boolean) => void>();

export function getAccessToken(): string | null {
  return accessToken;
}

function setAccessToken(token: string | null): void {
  accessToken = token;
  listeners.forEach((listener) => listener(token !== null));
}

/** React's hook (useAuth) subscribes here to re-render on log in and log out. */
export function onAuthChange(listener: (loggedIn: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Ask Django for a CSRF token (it also sets the csrftoken cookie the header is checked against). */
async function csrf(fetcher: typeof fetch): Promise<string> {
  if (!csrfToken) {
    const response = await fetcher(`${AUTH}csrf/`, { credentials: "same-origin" });
    csrfToken = ((await response.json()) as { csrf_token: string }).csrf_token;
  }
  return csrfToken;
}

async function post(fetcher: typeof fetch, path: string, body?: unknown): Promise<Response> {
  return fetcher(`${AUTH}${path}`, {
    method: "POST",
    credentials: "same-origin", // the cookie rides along; "include" if the API were on another origin
    headers: { "Content-Type": "application/json", "X-CSRFToken": await csrf(fetcher) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Log in: the answer's body holds the access token, its Set-Cookie the refresh token. */
export async function login(email: string, password: string, fetcher = fetch): Promise<Response> {
  const response = await post(fetcher, "token/", { email, password });
  if (response.ok) {
    setAccessToken(((await response.clone().json()) as { access: string }).access);
  }
  return response;
}

/**
 * A new access token from the refresh cookie, or null (then the user must log in).
 * Single flight: the refresh token rotates and the old one is blacklisted at once, so two
 * refreshes racing with the same cookie would log the user out. Every caller shares one.
 */
export function refreshAccessToken(fetcher = fetch): Promise<string | null> {
  refreshing ??= (async () => {
    try {
      const response = await post(fetcher, "refresh/");
      const token = response.ok ? ((await response.json()) as { access: string }).access : null;
      setAccessToken(token);
      return token;
    } catch {
      setAccessToken(null); // the network failed: treat as logged out, the user can retry
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** Log out: the server blacklists the refresh token and deletes its cookie. */
export async function logout(fetcher = fetch): Promise<void> {
  try {
    await post(fetcher, "logout/");
  } finally {
    setAccessToken(null);
  }
}

/** For tests: forget every token, as a fresh page load does. */
export function resetAuthForTests(): void {
  accessToken = null;
  csrfToken = null;
  refreshing = null;
}
