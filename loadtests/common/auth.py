"""Logging in the two ways a capstone is used: a browser session (pages) and a JWT (API).

A locust ``HttpUser`` has one ``requests`` session (``self.client``), so the cookie
jar plays the browser: Django's session cookie and CSRF cookie live there between
requests, exactly as in a real browser tab.
"""

import base64
import json
import re
import time
from http.cookiejar import DefaultCookiePolicy

LOGIN_URL = "/accounts/login/"
TOKEN_URL = "/api/v1/auth/token/"
REFRESH_URL = "/api/v1/auth/token/refresh/"

# The hidden input {% csrf_token %} renders; the cookie holds the same secret, masked differently.
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class LoginFailed(Exception):
    """Raised so locust records the journey as failed instead of carrying on anonymous."""


def allow_secure_cookies_over_http(client) -> None:
    """Send ``Secure`` cookies over plain http, as a browser behind the TLS proxy would.

    In production shape Django marks the session and CSRF cookies ``Secure`` because
    nginx terminates TLS in front of it. The load generator talks to gunicorn directly
    on loopback, so without this the cookie jar would keep those cookies to itself.
    """
    client.cookies.set_policy(DefaultCookiePolicy(secure_protocols=("https", "wss", "http")))


def csrf_headers(client) -> dict[str, str]:
    """Headers a page form or a same-origin ``fetch`` sends with an unsafe request.

    Django checks the token against the CSRF cookie and, on HTTPS, that Referer/Origin
    is our own site; the Referer is set to the host so both checks pass.
    """
    return {"X-CSRFToken": client.cookies.get("csrftoken", ""), "Referer": client.base_url + "/"}


def form_token(html: str) -> str:
    """The CSRF token embedded in a rendered form (the value a browser would post back)."""
    match = _CSRF_INPUT.search(html)
    if not match:
        raise LoginFailed("no csrfmiddlewaretoken in the page")
    return match.group(1)


def post_form(
    client, url: str, data: dict, *, name: str | None = None, page_html: str = "", **kwargs
):
    """Post a form the way a browser does: CSRF token in the body, Referer set.

    ``page_html`` is the page that held the form; its token is used when present,
    else the one from the CSRF cookie (Django accepts either).
    """
    token = form_token(page_html) if page_html else client.cookies.get("csrftoken", "")
    return client.post(
        url,
        data={"csrfmiddlewaretoken": token, **data},
        headers={"Referer": client.base_url + url},
        name=name or url,
        catch_response=True,
        **kwargs,
    )


def page_login(client, email: str, password: str) -> None:
    """Log in through the HTML login form; the session cookie then rides every request."""
    page = client.get(LOGIN_URL, name=LOGIN_URL)
    with post_form(
        client,
        LOGIN_URL,
        {"username": email, "password": password},
        name=f"{LOGIN_URL} [POST]",
        page_html=page.text,
    ) as response:
        # A successful login redirects away; a failed one renders the form again (200).
        if response.url and response.url.rstrip("/").endswith(LOGIN_URL.rstrip("/")):
            response.failure(f"login refused for {email}")
            raise LoginFailed(email)
        if not response.ok:
            response.failure(f"login answered {response.status_code}")
            raise LoginFailed(email)


def _expires_at(token: str) -> float:
    """The ``exp`` claim of a JWT. Reading it needs no key: only the server verifies."""
    payload = token.split(".")[1]
    payload += "=" * (-len(payload) % 4)
    return float(json.loads(base64.urlsafe_b64decode(payload))["exp"])


class ApiSession:
    """A JWT pair for one API client, refreshed shortly before the access token expires.

    Like a mobile app: log in once, keep the refresh token, and swap it (the server
    rotates refresh tokens) for a new access token when the old one is about to expire.
    """

    MARGIN_SECONDS = 30

    def __init__(self, client, email: str, password: str):
        self.client = client
        self.email = email
        self.password = password
        self.access = ""
        self.refresh = ""
        self.expires_at = 0.0
        self.refreshes = 0

    def login(self) -> None:
        with self.client.post(
            TOKEN_URL,
            json={"email": self.email, "password": self.password},
            name=TOKEN_URL,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"token refused for {self.email}: {response.status_code}")
                raise LoginFailed(self.email)
            self._store(response.json())

    def _store(self, tokens: dict) -> None:
        self.access = tokens["access"]
        self.refresh = tokens.get("refresh", self.refresh)  # rotation returns a new one
        self.expires_at = _expires_at(self.access)

    def _refresh(self) -> None:
        with self.client.post(
            REFRESH_URL, json={"refresh": self.refresh}, name=REFRESH_URL, catch_response=True
        ) as response:
            if response.status_code != 200:
                # The refresh token expired or was blacklisted: log in again, as an app would.
                response.success()
                self.login()
                return
            self._store(response.json())
            self.refreshes += 1

    def headers(self) -> dict[str, str]:
        """The Authorization header, refreshing the access token first when it is stale."""
        if not self.access:
            self.login()
        elif time.time() > self.expires_at - self.MARGIN_SECONDS:
            self._refresh()
        return {"Authorization": f"Bearer {self.access}"}

    # Thin wrappers so journeys read like the API calls they make.
    def get(self, url: str, *, name: str | None = None, **kwargs):
        return self.client.get(url, headers=self.headers(), name=name or url, **kwargs)

    def post(self, url: str, *, name: str | None = None, **kwargs):
        return self.client.post(url, headers=self.headers(), name=name or url, **kwargs)

    def patch(self, url: str, *, name: str | None = None, **kwargs):
        return self.client.patch(url, headers=self.headers(), name=name or url, **kwargs)
