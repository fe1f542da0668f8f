"""Fixtures for end-to-end tests in a real browser (headless Chromium driven by Playwright).

Mark such a test ``@pytest.mark.browser`` and ``@pytest.mark.django_db(transaction=True)``:
the page talks to pytest-django's ``live_server`` (a real HTTP server in a thread of the
test process), which only sees committed rows.

Why the system Chromium (``apt-get install chromium``) and not ``playwright install``?
That command downloads a browser build from Playwright's CDN at test time; a Debian
package is installed once, like PostgreSQL, and CI installs it the same way. Set
``CHROMIUM_PATH`` to use another binary. Without one, the plugin leaves these tests out and
says so (see plugin.py), as it does for ``postgres`` tests without PostgreSQL.

Fixtures:
  browser          one Chromium per test module
  browser_page     a fresh page in a fresh context (no cookies shared between tests),
                   whose relative URLs go to the live server: ``page.goto("/products/")``
  browser_console  what that page printed to its console (CSP violations show up there)
  screenshot       ``screenshot(page, "name")`` checks the page looks rendered (see
                   ``assert_page_rendered``), saves a full-page PNG, returns its path
  browser_login    ``browser_login(page, email)`` logs in through the real login form
"""

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI containers run as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",  # /dev/shm is tiny in containers
    "--disable-background-networking",  # no calls home during a test
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 10_000


def chromium_path() -> str | None:
    """The Chromium binary to drive: ``$CHROMIUM_PATH``, else ``chromium`` on the PATH."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@dataclass
class ConsoleLog:
    """Console messages and uncaught page errors, in the order the browser reported them."""

    messages: list[tuple[str, str]] = field(default_factory=list)  # (type, text)

    def errors(self) -> list[str]:
        return [text for kind, text in self.messages if kind in ("error", "pageerror")]

    def csp_violations(self) -> list[str]:
        # Chromium reports a blocked inline script or style as a console error that
        # quotes the policy: "Refused to execute inline script because it violates the
        # following Content Security Policy directive: ..."
        return [text for text in self.errors() if "Content Security Policy" in text]


def assert_page_rendered(page) -> None:
    """What a person would notice at a glance, checked by machine.

    Every stylesheet loaded and has rules (a 404 or a CSP-blocked stylesheet leaves an
    unstyled page with all the right text), nothing sticks out sideways (a wide table
    needs a scrolling wrapper), and no raw template syntax leaked into the text (a typo
    in a tag or a variable rendered as "{{ ... }}")."""
    sheets = page.evaluate(
        """() => [...document.styleSheets].map(sheet => {
            try { return [sheet.href, sheet.cssRules.length]; }
            catch (error) { return [sheet.href, 0]; }
        })"""
    )
    assert sheets, f"no stylesheet on {page.url}"
    empty = [href for href, rules in sheets if rules == 0]
    assert not empty, f"stylesheets without rules (not loaded?) on {page.url}: {empty}"
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the window on {page.url}"
    text = page.locator("body").inner_text()
    for leak in ("{{", "}}", "{%", "%}"):
        assert leak not in text, f"raw template syntax {leak!r} on {page.url}"


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (starting it costs about a second)."""
    path = chromium_path()
    if path is None:
        pytest.fail("no Chromium: mark the test @pytest.mark.browser (apt-get install chromium)")
    # Playwright's sync API keeps an asyncio loop running in this thread while the browser
    # is open; Django then believes it is called from async code and refuses ORM calls in
    # the test body. The test body is plain synchronous code, so it is safe to say so,
    # for as long as the browser is open and no longer (the other tests keep the check).
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if saved is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture
def browser_console():
    return ConsoleLog()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test item, so a fixture's teardown can tell
    # whether the test failed (the pattern from pytest's docs).
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def browser_page(browser, live_server, browser_console, screenshot_dir, request):
    """A page in its own context (own cookies), with ``base_url`` set to the live server.

    When the test fails, the page as it was is saved as ``<test name>-FAILED.png`` in the
    screenshot directory: usually the fastest way to see why."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    page.on("console", lambda msg: browser_console.messages.append((msg.type, msg.text)))
    page.on("pageerror", lambda exc: browser_console.messages.append(("pageerror", str(exc))))
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        path = screenshot_dir / f"{request.node.name}-FAILED.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"browser: the page at failure is in {path}")
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """``$BROWSER_SCREENSHOTS`` if set (CI keeps it as an artifact), else a pytest tmp dir."""
    wanted = os.environ.get("BROWSER_SCREENSHOTS")
    if wanted:
        path = Path(wanted)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def screenshot(screenshot_dir, request):
    """``screenshot(page, "cart")`` -> ``<dir>/<test name>-cart.png`` (full page)."""

    def take(page, name: str) -> Path:
        assert_page_rendered(page)
        path = screenshot_dir / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(page, email: str, password: str | None = None) -> None:
    """Log in through the real form (CSRF token, session cookie, axes and all)."""
    from playwright.sync_api import expect

    from shared.testing.factories import DEFAULT_PASSWORD

    page.goto("/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password or DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]", has_text="Log in").click()
    # The header names the user once the session exists; a wrong password stays on the form.
    expect(page.locator("header .user-email")).to_have_text(email)


def log_out(page) -> None:
    page.locator("header form button", has_text="Log out").click()
    page.wait_for_load_state()


@pytest.fixture
def browser_login():
    """``browser_login(page, email, password=DEFAULT_PASSWORD)``: see ``log_in``."""
    return log_in
