"""The production smoke test: what a deployment must do, checked over real HTTPS.

It runs against a stack started by ``deploy/native_stack.py`` with nginx in front
(``python deploy/native_stack.py shop --smoke``), as a visitor and as an attacker would:

* log in through the login form (session cookie + CSRF token), see who we are;
* register through the registration page: the verification email is sent by the Celery
  worker through SMTP; follow the link in it and log in as the new account;
* the request id of the registration is in the JSON logs of both gunicorn and the worker;
* a static file comes from nginx (gunicorn never logs it), compressed;
* the shop's SPA, when built, comes from nginx at /app/ with the pages' headers and CSP;
* the security headers are on a page, a static file and a 404, each exactly once;
* HTTP is redirected to HTTPS; TLS 1.2 and 1.3 are spoken;
* a spoofed ``X-Forwarded-Proto: https`` sent straight to gunicorn is not believed;
* an unknown ``Host`` is refused; /metrics is refused to other addresses;
* Prometheus scrapes web, Flower and the Redis exporter: the Celery queue length rises
  while the worker pauses and drains after, succeeded and failed tasks are counted;
* a burst of logins is answered with 429 by nginx;
* the LMS's live classroom: a wss:// socket through nginx to the ASGI server opens for a
  signed-in student and sends the live session's state; an anonymous one is refused.

Each check prints one line; ``run()`` returns 0 when all passed.
"""

from __future__ import annotations

import http.client
import json
import mailbox
import re
import secrets
import ssl
import time
import traceback
from collections.abc import Callable
from email.message import Message
from urllib.parse import urlsplit

import requests
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect as websocket_connect

# The security headers and who sets them (docs/deploy.md has the table).
DJANGO_HEADERS = (
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Content-Security-Policy",
)
NGINX_HEADERS = (
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)
USER_AGENT = 'capstone-smoke/1 (says "hello" \\ and more)'
# An address on the loopback network that is not the proxy's 127.0.0.1: "someone else".
OUTSIDER = "127.0.0.2"


class CheckFailed(AssertionError):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


class Smoke:
    def __init__(self, stack) -> None:
        self.stack = stack
        self.https = stack.https_url
        self.host, self.https_port = "127.0.0.1", urlsplit(stack.https_url).port
        self.http_port = urlsplit(stack.http_url).port
        self.tls = ssl.create_default_context(cafile=str(stack.cert_file))
        self.results: list[tuple[str, bool, str]] = []
        self.register_request_id = ""

    # --- helpers ---------------------------------------------------------------------

    def session(self) -> requests.Session:
        session = requests.Session()
        session.verify = str(self.stack.cert_file)  # trust our self-signed certificate only
        # Not the environment's CA bundle or proxy settings (REQUESTS_CA_BUNDLE would win
        # over session.verify): this is loopback with our own certificate.
        session.trust_env = False
        # Quotes and a backslash, as a hostile client may send: the JSON logs must stay JSON.
        session.headers["User-Agent"] = USER_AGENT
        return session

    @staticmethod
    def csrf_token(html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        expect(match is not None, "no CSRF token in the form")
        return match.group(1)

    def login(self, session: requests.Session, email: str, password: str) -> requests.Response:
        form = session.get(f"{self.https}/accounts/login/")
        expect(form.status_code == 200, f"login page answered {form.status_code}")
        return session.post(
            f"{self.https}/accounts/login/",
            data={
                "csrfmiddlewaretoken": self.csrf_token(form.text),
                "username": email,
                "password": password,
            },
            headers={"Referer": f"{self.https}/accounts/login/"},  # Django's HTTPS CSRF check
            allow_redirects=False,
        )

    def raw(
        self,
        method: str,
        path: str,
        *,
        port: int,
        headers: dict,
        tls: bool = False,
        source: str | None = None,
    ) -> http.client.HTTPResponse:
        """One request with exactly the headers given, from a chosen source address."""
        source_address = (source, 0) if source else None
        if tls:
            conn = http.client.HTTPSConnection(
                self.host, port, context=self.tls, timeout=10, source_address=source_address
            )
        else:
            conn = http.client.HTTPConnection(
                self.host, port, timeout=10, source_address=source_address
            )
        conn.request(method, path, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        return response

    @staticmethod
    def expect_headers_once(response, names: tuple[str, ...], what: str) -> None:
        for name in names:
            if isinstance(response, requests.Response):
                values = response.raw.headers.getlist(name)  # every copy, not a merged value
            else:
                values = response.msg.get_all(name) or []
            expect(len(values) == 1, f"{what}: {name} present {len(values)} times, expected once")

    def web_log(self) -> str:
        return self.stack.log("web").read_text(errors="replace")

    # --- the checks --------------------------------------------------------------------

    def check_readyz(self) -> str:
        response = self.session().get(f"{self.https}/readyz")
        expect(
            response.status_code == 200, f"/readyz answered {response.status_code}: {response.text}"
        )
        checks = response.json()["checks"]
        return "ready: " + ", ".join(f"{name} {c['ms']} ms" for name, c in checks.items())

    def check_login(self) -> str:
        demo = next(
            (login for login in self.stack.demo_logins if login["role"] != "admin"),
            self.stack.demo_logins[0] if self.stack.demo_logins else None,
        )
        expect(demo is not None, "the project declares no DEMO_LOGINS to log in with")
        session = self.session()
        response = self.login(session, demo["email"], demo["password"])
        expect(
            response.status_code == 302, f"login answered {response.status_code}, not a redirect"
        )
        cookie = next((c for c in session.cookies if c.name == "sessionid"), None)
        expect(cookie is not None and cookie.secure, "no Secure session cookie after login")
        me = session.get(f"{self.https}/api/v1/auth/me/")
        expect(me.status_code == 200, f"/api/v1/auth/me/ answered {me.status_code}")
        expect(me.json().get("email") == demo["email"], f"logged in as {me.json()!r}")
        return f"logged in as {demo['email']} ({demo['role']}) with the form, session cookie Secure"

    def check_registration_job(self) -> str:
        email = f"smoke-{secrets.token_hex(4)}@example.com"
        password = f"Smoke-{secrets.token_urlsafe(12)}"
        session = self.session()
        form = session.get(f"{self.https}/accounts/register/")
        expect(form.status_code == 200, f"registration page answered {form.status_code}")
        response = session.post(
            f"{self.https}/accounts/register/",
            data={
                "csrfmiddlewaretoken": self.csrf_token(form.text),
                "email": email,
                "full_name": "Smoke Test",
                "password": password,
                "password_confirm": password,
            },
            headers={"Referer": f"{self.https}/accounts/register/"},
            allow_redirects=False,
        )
        expect(
            response.status_code == 200 and email in response.text,
            f"registration answered {response.status_code}",
        )
        self.register_request_id = response.headers.get("X-Request-ID", "")

        # The web process only queued the email; the worker renders and sends it.
        message = self.wait_for_mail(email, timeout=30)
        link = re.search(r"https?://[^\s\"<>]+/accounts/verify/[^\s\"<>]+", self.mail_text(message))
        expect(link is not None, "no verification link in the email")
        url = link.group(0)
        expect(
            url.startswith(self.https + "/"),
            f"the link points to {url}, not to the HTTPS site: scheme or host got lost",
        )

        verified = session.get(url, allow_redirects=False)
        expect(
            verified.status_code == 302, f"the verification link answered {verified.status_code}"
        )
        after = self.login(self.session(), email, password)
        expect(after.status_code == 302, "the new account cannot log in after verification")
        return f"registered {email}; the worker mailed the link; verified and logged in"

    def wait_for_mail(self, to: str, timeout: float) -> Message:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.stack.mailbox and self.stack.mailbox.exists():
                for message in mailbox.Maildir(self.stack.mailbox):
                    if to in (message.get("To") or ""):
                        return message
            time.sleep(0.5)
        raise CheckFailed(
            f"no email to {to} within {timeout:.0f}s (worker log: {self.stack.log('worker')})"
        )

    @staticmethod
    def mail_text(message: Message) -> str:
        parts = message.walk() if message.is_multipart() else [message]
        for part in parts:
            if part.get_content_type() == "text/plain":
                return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        raise CheckFailed("the email has no text part")

    def json_lines(self, name: str) -> list[dict]:
        """Every line of one log of the stack, each parsed as a JSON object."""
        lines = []
        for number, line in enumerate(self.stack.log(name).read_text().splitlines(), 1):
            try:
                lines.append(json.loads(line))
            except ValueError:
                raise CheckFailed(f"{name}.log line {number} is not JSON: {line[:200]}") from None
        return lines

    def check_request_id_in_logs(self) -> str:
        request_id = self.register_request_id
        expect(bool(request_id), "the registration response had no X-Request-ID")
        # nginx's and gunicorn's logs are JSON through and through (the first line that is
        # not fails the check), and the user agent with quotes came through unbroken.
        for log, logger in (("nginx-access", "nginx.access"), ("web", "gunicorn.access")):
            lines = [
                line
                for line in self.json_lines(log)
                if line.get("name") == logger and line.get("request_id") == request_id
            ]
            expect(
                any(line["method"] == "POST" and line["status"] == 200 for line in lines),
                f"{log}.log has no JSON line of the registration POST with its request id",
            )
            expect(lines[0]["user_agent"] == USER_AGENT, f"{log}.log changed the user agent")
        worker_lines = [
            json.loads(line)
            for line in self.stack.log("worker").read_text(errors="replace").splitlines()
            if line.startswith("{") and request_id in line
        ]
        expect(bool(worker_lines), "no JSON line from the worker carries the request id")
        return (
            f"request {request_id[:8]}…: one JSON line each in nginx's and gunicorn's access "
            "logs (user agent with quotes intact), and in the worker's log"
        )

    def check_static_from_nginx(self) -> str:
        page = self.session().get(f"{self.https}/accounts/login/")
        match = re.search(r'href="(/static/[^"]+\.css)"', page.text)
        expect(match is not None, "no stylesheet link on the login page")
        path = match.group(1) + f"?probe={secrets.token_hex(4)}"
        response = self.session().get(f"{self.https}{path}", headers={"Accept-Encoding": "gzip"})
        expect(response.status_code == 200, f"{path} answered {response.status_code}")
        expect(
            response.headers.get("Content-Encoding") == "gzip", "the stylesheet is not compressed"
        )
        self.expect_headers_once(response, NGINX_HEADERS, "static file")
        time.sleep(0.2)
        expect(path.split("?")[1] not in self.web_log(), "gunicorn served the static file")
        return f"{match.group(1)}: 200 from nginx, gzip, headers once, not in gunicorn's log"

    def check_spa_from_nginx(self) -> str:
        """The shop's SPA (shop/frontend), when `make spa-build` ran before collectstatic:
        nginx serves it at /app/, a client-side route too, with the pages' headers and CSP."""
        if not (self.stack.workdir / "static" / "app" / "index.html").exists():
            return "no SPA bundle among the static files (make spa-build first): nothing to serve"
        session = self.session()

        def policy(response: requests.Response) -> set[str]:
            # Directive by directive, without a per-response nonce django-csp may add.
            header = response.headers.get("Content-Security-Policy", "")
            return {re.sub(r" 'nonce-[^']+'", "", part.strip()) for part in header.split(";")}

        pages = policy(session.get(f"{self.https}/accounts/login/"))
        for path in ("/app/", "/app/orders/1"):
            response = session.get(f"{self.https}{path}")
            expect(response.status_code == 200, f"{path} answered {response.status_code}")
            expect('<div id="root">' in response.text, f"{path} is not the SPA's page")
            self.expect_headers_once(response, DJANGO_HEADERS, f"SPA {path}")
            expect(policy(response) == pages, f"{path}: the CSP differs from the pages'")
        time.sleep(0.2)
        expect("GET /app/" not in self.web_log(), "gunicorn served the SPA")
        return "/app/ and a client-side route: 200 from nginx, the pages' headers and CSP, once"

    def check_headers_on_page_and_404(self) -> str:
        session = self.session()
        page = session.get(f"{self.https}/accounts/login/")
        self.expect_headers_once(page, DJANGO_HEADERS, "page")
        missing = session.get(f"{self.https}/no-such-page-{secrets.token_hex(3)}/")
        expect(missing.status_code == 404, f"a missing page answered {missing.status_code}")
        self.expect_headers_once(missing, DJANGO_HEADERS, "Django 404")
        missing_static = session.get(f"{self.https}/static/no-such-file.css")
        expect(missing_static.status_code == 404, "a missing static file was not a 404")
        self.expect_headers_once(missing_static, NGINX_HEADERS, "nginx 404")
        hsts = page.headers["Strict-Transport-Security"]
        return f"page, 404 and static 404 carry each header once (HSTS: {hsts})"

    def check_http_redirect(self) -> str:
        response = self.raw(
            "GET",
            "/accounts/login/?next=/x",
            port=self.http_port,
            headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"},
        )
        location = response.getheader("Location", "")
        expect(response.status == 301, f"plain HTTP answered {response.status}")
        expect(location == f"{self.https}/accounts/login/?next=/x", f"redirected to {location}")
        return f"http:// → 301 {location} (a spoofed X-Forwarded-Proto changes nothing)"

    def check_tls_versions(self) -> str:
        spoken = []
        for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            context = ssl.create_default_context(cafile=str(self.stack.cert_file))
            context.minimum_version = context.maximum_version = version
            conn = http.client.HTTPSConnection(
                self.host, self.https_port, context=context, timeout=10
            )
            try:
                conn.request("GET", "/healthz")
                expect(conn.getresponse().status == 200, f"{version.name} failed")
                spoken.append(version.name)
            finally:
                conn.close()
        return "TLS versions spoken: " + ", ".join(spoken)

    def check_spoofed_proto_to_gunicorn(self) -> str:
        spoofed = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
        outsider = self.raw(
            "GET", "/accounts/login/", port=self.stack.port, headers=spoofed, source=OUTSIDER
        )
        expect(
            outsider.status == 301 and outsider.getheader("Location", "").startswith("https://"),
            f"gunicorn believed X-Forwarded-Proto from {OUTSIDER}: {outsider.status}",
        )
        # The same header from the proxy's address is believed: the trust is by address.
        proxy = self.raw(
            "GET", "/accounts/login/", port=self.stack.port, headers=spoofed, source="127.0.0.1"
        )
        expect(proxy.status == 200, f"X-Forwarded-Proto from the proxy address gave {proxy.status}")
        return f"from {OUTSIDER}: 301 to HTTPS (header ignored); from the proxy 127.0.0.1: 200"

    def check_unknown_host(self) -> str:
        https = self.raw(
            "GET", "/", port=self.https_port, headers={"Host": "evil.example"}, tls=True
        )
        expect(https.status == 421, f"HTTPS with an unknown Host answered {https.status}")
        try:
            answer = self.raw("GET", "/", port=self.http_port, headers={"Host": "evil.example"})
        except (http.client.RemoteDisconnected, ConnectionResetError):
            answer = None
        expect(answer is None, f"HTTP with an unknown Host answered {answer and answer.status}")
        return "unknown Host: HTTPS 421, HTTP connection closed without an answer (444)"

    def check_flower(self) -> str:
        expect(bool(self.stack.flower_url), "Flower was not started with the stack")
        session = self.session()
        refused = session.get(f"{self.stack.flower_url}/workers")
        expect(
            refused.status_code == 401,
            f"Flower without its password answered {refused.status_code}",
        )
        workers = session.get(f"{self.stack.flower_url}/workers", auth=self.stack.flower_auth)
        expect(
            workers.status_code == 200, f"Flower with its password answered {workers.status_code}"
        )
        # /metrics is open by Flower's design (for Prometheus): Flower listens on loopback
        # only, here and in compose.dev.yml. The registration email above ran on the worker,
        # and Flower counted its events.
        metrics = session.get(f"{self.stack.flower_url}/metrics")
        succeeded = sum(
            float(line.rsplit(" ", 1)[1])
            for line in metrics.text.splitlines()
            if line.startswith("flower_events_total{")
            and 'task="shared.send_templated_email"' in line
            and 'type="task-succeeded"' in line
        )
        expect(succeeded >= 1, "Flower's metrics show no succeeded email task")
        return (
            f"Flower: 401 without its password; /metrics: {succeeded:.0f} email task(s) succeeded"
        )

    def prometheus(self, query: str) -> float | None:
        """The value of a PromQL query that gives one number (None when it gives nothing)."""
        response = self.session().get(
            f"{self.stack.prometheus_url}/api/v1/query", params={"query": query}, timeout=10
        )
        expect(response.status_code == 200, f"Prometheus refused {query}: {response.text}")
        result = response.json()["data"]["result"]
        return float(result[0]["value"][1]) if result else None

    def wait_for_metric(self, query: str, wanted: Callable[[float], bool], timeout=30) -> float:
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = self.prometheus(query)
            if value is not None and wanted(value):
                return value
            time.sleep(1)
        raise CheckFailed(f"Prometheus: {query} was {value} for {timeout} s")

    def targets_and_rules(self, timeout: float = 30) -> tuple[int, int]:
        """Every scrape target answers (gunicorn's /metrics, Flower, the Redis exporter), and
        every alert rule of deploy/prometheus/alerts.yml loaded and evaluates without error.
        Returns (targets up, rules)."""
        up = self.wait_for_metric("count(up == 1)", lambda v: v == 3, timeout=timeout)
        groups = self.session().get(f"{self.stack.prometheus_url}/api/v1/rules").json()
        rules = [rule for group in groups["data"]["groups"] for rule in group["rules"]]
        broken = [f"{r['name']}: {r.get('lastError')}" for r in rules if r["health"] != "ok"]
        expect(bool(rules) and not broken, f"alert rules not healthy: {broken or 'none loaded'}")
        return int(up), len(rules)

    # The broker, for the Celery metrics check. The native stack reaches Redis from here;
    # the compose smoke overrides these three to go through the worker container.
    def broker(self):
        from celery import Celery  # the broker is all it needs, not the project's settings

        return Celery(broker=self.stack.env["REDIS_URL"])

    def pause_worker(self) -> None:
        """The worker stops taking tasks from the ``celery`` queue (it keeps running)."""
        with self.broker() as broker:
            paused = broker.control.cancel_consumer("celery", reply=True, timeout=5)
        expect(bool(paused), "no worker answered cancel_consumer")

    def resume_worker(self) -> None:
        with self.broker() as broker:
            broker.control.add_consumer("celery", reply=True, timeout=5)

    def send_task(self, name: str, kwargs: dict | None = None) -> None:
        with self.broker() as broker:
            broker.send_task(name, kwargs=kwargs)

    def check_celery_metrics(self) -> str:
        expect(bool(self.stack.prometheus_url), "Prometheus was not started with the stack")
        # A minute: in Docker the first scrapes wait for every container to be up.
        up, rules = self.targets_and_rules(timeout=60)
        web = self.wait_for_metric(
            "sum(django_http_requests_total_by_view_transport_method_total)", lambda v: v > 0
        )
        queue = 'sum(redis_key_size{key="celery"}) or vector(0)'
        events = 'sum(flower_events_total{task="shared.prune_task_records",type="%s"}) or vector(0)'
        # Flower counts from its start: what earlier tasks of this kind left is subtracted.
        before = {
            kind: self.prometheus(events % kind) or 0 for kind in ("task-succeeded", "task-failed")
        }
        try:
            # Tasks pile up while the worker stops taking them from the queue, as when the
            # workers cannot keep up; then it takes them again and the queue drains.
            self.pause_worker()
            for _ in range(3):
                self.send_task("shared.prune_task_records")
            # A task that fails: the wrong type of argument (a TypeError, never retried).
            self.send_task("shared.prune_task_records", kwargs={"keep_days": "a week"})
            waiting = self.wait_for_metric(queue, lambda v: v >= 4)
        finally:
            self.resume_worker()
        self.wait_for_metric(queue, lambda v: v == 0)

        def new_events(kind: str, at_least: int) -> float:
            total = self.wait_for_metric(events % kind, lambda v: v >= before[kind] + at_least)
            return total - before[kind]

        succeeded, failed = new_events("task-succeeded", 3), new_events("task-failed", 1)
        return (
            f"Prometheus: {up} targets up, {rules} alert rules healthy, "
            f"{web:.0f} requests counted; queue length "
            f"{waiting:.0f} while the worker paused, then 0; {succeeded:.0f} task(s) succeeded "
            f"and {failed:.0f} failed, counted by Flower"
        )

    def check_metrics_restricted(self) -> str:
        local = self.raw(
            "GET", "/metrics", port=self.https_port, headers={"Host": "127.0.0.1"}, tls=True
        )
        expect(local.status == 200, f"/metrics from this host answered {local.status}")
        other = self.raw(
            "GET",
            "/metrics",
            port=self.https_port,
            headers={"Host": "127.0.0.1"},
            tls=True,
            source=OUTSIDER,
        )
        expect(other.status == 403, f"/metrics from {OUTSIDER} answered {other.status}")
        return f"/metrics: 200 from 127.0.0.1, 403 from {OUTSIDER}"

    def check_login_rate_limit(self) -> str:
        session = self.session()
        token = self.csrf_token(session.get(f"{self.https}/accounts/login/").text)
        statuses = []
        run = secrets.token_hex(4)  # failures are kept in the database: new names every run
        for attempt in range(12):
            # A different account each time: django-axes (per account) never steps in,
            # so a 429 here can only be nginx's limit per address.
            response = session.post(
                f"{self.https}/accounts/login/",
                data={
                    "csrfmiddlewaretoken": token,
                    "username": f"nobody-{run}-{attempt}@example.com",
                    "password": "wrong-password",
                },
                headers={"Referer": f"{self.https}/accounts/login/"},
                allow_redirects=False,
            )
            statuses.append(response.status_code)
            if response.status_code == 429:
                expect(
                    "X-Request-ID" not in response.headers,
                    f"Django answered 429, not nginx (after {statuses}): {response.text[:200]}",
                )
                break
        expect(429 in statuses, f"no 429 after {len(statuses)} logins: {statuses}")
        token_api = session.post(
            f"{self.https}/api/v1/auth/token/",
            json={"email": "nobody@example.com", "password": "x"},
        )
        expect(token_api.status_code == 429, f"the token endpoint answered {token_api.status_code}")
        return f"login statuses {statuses}; then the token endpoint: 429"

    def check_live_classroom(self) -> str:
        """The LMS's WebSocket through nginx (Upgrade) to uvicorn: a signed-in student joins
        the seed's live session and is sent its state; without a session cookie, refused."""
        if not self.stack.asgi_url:
            return f"{self.stack.project} has no WebSockets: nothing to check"
        url = f"wss://127.0.0.1:{self.https_port}/ws/courses/python-for-beginners/live/"
        origin = {"Origin": self.https}
        try:
            with websocket_connect(url, ssl=self.tls, additional_headers=origin, open_timeout=10):
                pass
        except InvalidStatus as refused:
            anonymous = refused.response.status_code
        else:
            raise CheckFailed("an anonymous socket was accepted")
        expect(anonymous == 403, f"an anonymous socket was refused with {anonymous}, not 403")

        session = self.session()
        student = next(u for u in self.stack.demo_logins if u["email"] == "student@lms.example")
        expect(self.login(session, student["email"], student["password"]).status_code == 302,
               "the demo student could not log in")  # fmt: skip
        cookie = f"sessionid={session.cookies['sessionid']}"
        headers = {**origin, "Cookie": cookie}
        with websocket_connect(
            url, ssl=self.tls, additional_headers=headers, open_timeout=10
        ) as ws:
            state = json.loads(ws.recv(timeout=10))
        expect(state.get("type") == "state", f"the first message was {state!r}")
        question = (state.get("question") or {}).get("prompt")
        expect(question is not None, f"the seed's live session has no question: {state!r}")
        expect(_log_has_upgrade(self.stack.log("nginx-access")), "nginx logged no 101 on /ws/")
        return f"wss:// through nginx: anonymous 403; the student got the state ({question!r})"

    # --- running -----------------------------------------------------------------------

    def all_checks(self) -> list[tuple[str, Callable[[], str]]]:
        return [
            ("ready", self.check_readyz),
            ("log in", self.check_login),
            ("background job", self.check_registration_job),
            ("request id in logs", self.check_request_id_in_logs),
            ("static by nginx", self.check_static_from_nginx),
            ("SPA by nginx", self.check_spa_from_nginx),
            ("security headers", self.check_headers_on_page_and_404),
            ("HTTP redirect", self.check_http_redirect),
            ("TLS versions", self.check_tls_versions),
            ("spoofed proto", self.check_spoofed_proto_to_gunicorn),
            ("unknown host", self.check_unknown_host),
            ("metrics restricted", self.check_metrics_restricted),
            ("Flower", self.check_flower),
            ("Celery metrics", self.check_celery_metrics),
            ("live classroom", self.check_live_classroom),
            ("login rate limit", self.check_login_rate_limit),  # last: it uses up the limit
        ]

    def run(self, checks: list[tuple[str, Callable[[], str]]] | None = None) -> int:
        """Run ``checks`` (all of them by default), one line each; 0 when all passed."""
        checks = self.all_checks() if checks is None else checks
        project = self.stack.project
        for name, check in checks:
            try:
                detail, ok = check(), True
            except CheckFailed as exc:
                detail, ok = str(exc), False
            except Exception as exc:  # a crash is a failure too, with its traceback
                detail, ok = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}", False
            self.results.append((name, ok, detail))
            print(f"  {'ok  ' if ok else 'FAIL'} {project:<9} {name:<19} {detail}", flush=True)
        failed = [name for name, ok, _ in self.results if not ok]
        print(
            f"smoke {project}: {len(self.results) - len(failed)} checks ok, {len(failed)} failing"
            + (f" ({', '.join(failed)}); logs in {self.stack.workdir}" if failed else "")
        )
        return 1 if failed else 0


def _log_has_upgrade(path) -> bool:
    """nginx's access log has a /ws/ request answered 101 Switching Protocols."""
    for line in path.read_text(errors="replace").splitlines():
        entry = json.loads(line)
        if entry["path"].startswith("/ws/") and entry["status"] == 101:
            return True
    return False


def run(stack) -> int:
    """Run every check against a running native stack (with nginx); 0 when all passed."""
    if not stack.https_url:
        raise ValueError(
            "the smoke test needs the stack with nginx (native_stack(..., nginx=True))"
        )
    return Smoke(stack).run()
