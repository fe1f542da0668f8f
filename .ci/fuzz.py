"""Fuzz every capstone on its production-shape stack: the API with schemathesis, the HTML
forms with hostile values. The bar is zero server errors and zero answers that break the
schema's promises.

    .venv/bin/python .ci/fuzz.py                      # every project present
    .venv/bin/python .ci/fuzz.py shop --examples 50   # one project, more cases per operation

For each project: deploy/native_stack.py brings up gunicorn on PostgreSQL with DEBUG off and
a Celery worker (what .ci/deploy.sh checks), seeded with the demo data. Then:

1. Pages: as each role (logged in through the login page), crawl the site's own links and
   post every form with hostile values (huge numbers, invalid UTF-8, NUL, 100,000
   characters, markup, nonsense dates); no page may answer 5xx. First, on the fresh data.
2. API: schemathesis reads /api/schema/ and sends generated requests (valid and invalid) to
   every operation, once anonymously and once per demo role with that role's JWT. Checks:
   no 5xx, and every status code, content type and body is one the schema documents.
   With ``--coverage``, schemathesis' coverage phase (every boundary of every field) runs
   once more, on the writes, as the superuser.

The stack's throttles and lockout limits are raised (a fuzzer is one very fast client) and
its access tokens live long enough for the run. Exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import html.parser
import re
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deploy.native_stack import native_stack, present_projects  # noqa: E402

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
# A fuzzer is one client sending thousands of requests: production's limits would answer
# most of them 429 and test nothing behind the throttle.
FUZZ_ENV = {
    "THROTTLE_ANON": "100000/minute",
    "THROTTLE_USER": "100000/minute",
    "THROTTLE_AUTH": "100000/minute",
    "THROTTLE_ACCOUNT_EMAIL": "100000/minute",
    "AXES_FAILURE_LIMIT": "100000",
    "JWT_ACCESS_MINUTES": "120",
}
# Operations a role's run leaves alone because they end that role's session (the run would
# go on with a dead token). The anonymous run still fuzzes them.
ENDS_THE_SESSION = r"^/api/v1/auth/logout/everywhere/$"
# The demo login of this role is a superuser in every project (ADMIN_ROLE in
# shared/accounts/demo.py, which needs Django loaded to import).
SUPERUSER_ROLE = "admin"

# --- 1. The API ----------------------------------------------------------------------------


def access_token(base_url: str, email: str, password: str) -> str:
    response = requests.post(
        f"{base_url}/api/v1/auth/token/", json={"email": email, "password": password}, timeout=30
    )
    response.raise_for_status()
    return response.json()["access"]


def fuzz_api(
    base_url: str, who: str, token: str | None, *, examples: int, seed: int, coverage: bool
) -> bool:
    """One schemathesis run over every operation; True when nothing failed.

    ``coverage`` runs schemathesis' coverage phase instead (every boundary and wrong type of
    every field, well over a thousand requests) on the writes only, where a value past a
    column's range or a total that overflows lives. It runs once per project, as the
    superuser, who passes every role check, so each write meets it once."""
    phases = "coverage" if coverage else "examples,fuzzing"
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{base_url}/api/schema/",
        "--checks",
        CHECKS,
        "--max-examples",
        str(examples),
        "--phases",
        phases,
        "--seed",
        str(seed),
        # One worker: schemathesis' threads trip a CPython 3.11 bug ("AST constructor
        # recursion depth mismatch") while compiling the schema's patterns.
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--no-shrink",
        "--suppress-health-check",
        "all",
        "--warnings",
        "off",
        "--output-truncate",
        "true",
    ]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
        command += ["--exclude-path-regex", ENDS_THE_SESSION]
    if coverage:
        command += ["--include-method-regex", "^(POST|PUT|PATCH)$"]
    print(f"\n--- API as {who}: schemathesis ({phases}), {examples} examples", flush=True)
    return subprocess.call(command, cwd=ROOT) == 0


# --- 2. The pages ----------------------------------------------------------------------------

HOSTILE = [
    "-1",
    "99999999999999999999999999",  # past every column's range
    "1e309",  # a float that overflows to infinity
    "2026-02-30",
    "<script>alert(1)</script> ' OR '1'='1",
    "a\x00b",  # PostgreSQL refuses NUL in text
    "\udcff\ud800",  # not Unicode: sent as the bytes of a lone surrogate (invalid UTF-8)
    "x" * 100_000,
    "١٢٣",  # Arabic-Indic digits
]
SKIP_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/metrics", "/__debug__/")
MAX_PAGES = 30


class FormsAndLinks(html.parser.HTMLParser):
    """The links and the POST forms of one page (fields with their current values)."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
                "hidden": {},
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select"):
            name = attrs.get("name")
            if not name or attrs.get("type") in ("submit", "button", "file", "image"):
                return
            kind = "hidden" if attrs.get("type") == "hidden" else "fields"
            self._form[kind][name] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def page_session(base_url: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    login = f"{base_url}/accounts/login/"
    csrf = _csrf(session.get(login, timeout=30).text)
    answer = session.post(
        login,
        data={"username": email, "password": password, "csrfmiddlewaretoken": csrf},
        headers={"Referer": login},
        timeout=30,
    )
    if "sessionid" not in session.cookies:
        raise RuntimeError(f"could not log in as {email} (HTTP {answer.status_code})")
    return session


def _csrf(page: str) -> str:
    parser = FormsAndLinks()
    parser.feed(page)
    for form in parser.forms:
        if "csrfmiddlewaretoken" in form["hidden"]:
            return form["hidden"]["csrfmiddlewaretoken"]
    return ""


def _own_path(base_url: str, page_url: str, href: str) -> str | None:
    url = urllib.parse.urljoin(page_url, href)
    if not url.startswith(base_url):
        return None
    path = urllib.parse.urlsplit(url).path
    if path.startswith(SKIP_PREFIXES) or "logout" in path:
        return None  # never log ourselves out, nor wander into the admin
    return path


def fuzz_pages(base_url: str, who: str, session: requests.Session) -> list[str]:
    """Crawl from the home page and post hostile values to every form; return the failures."""
    failures, seen, queue, forms_posted = [], set(), ["/"], 0
    tried: set[tuple[str, frozenset[str]]] = set()  # one form per kind, not per product
    print(f"\n--- pages as {who}: crawl, then hostile values in every form", flush=True)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        url = base_url + path
        page = session.get(url, timeout=30, allow_redirects=True)
        if page.status_code >= 500:
            failures.append(f"GET {path} as {who}: {page.status_code}")
            continue
        if "text/html" not in page.headers.get("Content-Type", ""):
            continue
        parser = FormsAndLinks()
        parser.feed(page.text)
        queue += [p for p in (_own_path(base_url, url, h) for h in parser.links) if p]
        for form in parser.forms:
            action = _own_path(base_url, url, form["action"] or path)
            if form["method"] != "post" or not action or not form["fields"]:
                continue
            kind = (re.sub(r"\d+|[A-Z]{2}-\d{4}-\d+", "N", action), frozenset(form["fields"]))
            if kind in tried:
                continue  # the same form on another product's or order's page
            tried.add(kind)
            forms_posted += 1
            for value in HOSTILE:
                data = {**form["hidden"], **dict.fromkeys(form["fields"], value)}
                body = urllib.parse.urlencode(data, encoding="utf-8", errors="surrogatepass")
                answer = session.post(
                    base_url + action,
                    data=body,
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Referer": url,
                    },
                    timeout=30,
                    allow_redirects=False,
                )
                if answer.status_code >= 500:
                    failures.append(
                        f"POST {action} (form on {path}) as {who} with {value[:30]!r}: "
                        f"{answer.status_code}"
                    )
    print(f"    {len(seen)} pages, {forms_posted} forms x {len(HOSTILE)} values", flush=True)
    return failures


# --- The run -----------------------------------------------------------------------------------


def fuzz_project(project: str, *, port: int, examples: int, seed: int, coverage: bool) -> list[str]:
    failures: list[str] = []
    with native_stack(project, port=port, fresh=True, extra_env=FUZZ_ENV) as stack:
        base = stack.base_url
        logins = [(login["role"], login["email"], login["password"]) for login in stack.demo_logins]
        # Pages first, on the fresh demo data: the API's fuzzing then changes and deletes
        # rows at random, demo accounts included.
        for role, email, password in logins:
            try:
                session = page_session(base, email, password)
            except RuntimeError as exc:
                failures.append(f"{project}: {exc}")
                continue
            failures += [f"{project}: {f}" for f in fuzz_pages(base, role, session)]
        superuser = next((login for login in logins if login[0] == SUPERUSER_ROLE), logins[-1])
        runs = [("anonymous", None, False)]
        runs += [(role, access_token(base, email, pw), False) for role, email, pw in logins]
        if coverage:
            runs.append((f"{superuser[0]}, writes", access_token(base, *superuser[1:]), True))
        for who, token, boundaries in runs:
            ok = fuzz_api(base, who, token, examples=examples, seed=seed, coverage=boundaries)
            if not ok:
                failures.append(f"{project}: API as {who}")
        if failures:
            print(f"\nlogs of {project}'s stack (the web's last lines):", flush=True)
            print(stack.log("web").read_text()[-4000:])
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("projects", nargs="*", help="default: every project present")
    parser.add_argument("--examples", type=int, default=3, help="cases per API operation")
    parser.add_argument(
        "--coverage",
        action="store_true",
        help="also every boundary of every write's fields, as the superuser (minutes more)",
    )
    parser.add_argument("--seed", type=int, default=2024, help="the same cases every run")
    parser.add_argument("--port", type=int, default=8175, help="gunicorn's port")
    args = parser.parse_args(argv)

    started = time.monotonic()
    failures: list[str] = []
    for project in args.projects or present_projects():
        print(f"\n===== fuzzing {project} =====", flush=True)
        failures += fuzz_project(
            project, port=args.port, examples=args.examples, seed=args.seed, coverage=args.coverage
        )
    took = round(time.monotonic() - started)
    if failures:
        print(f"\nfuzzing FAILED in {took} s:\n  " + "\n  ".join(failures))
        return 1
    print(f"\nfuzzing: no server error, every answer as documented ({took} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
