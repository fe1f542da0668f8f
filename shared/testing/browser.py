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
  screen           the window size of ``browser_page``: "desktop" (1280x800) unless the test
                   says otherwise; ``@BOTH_SCREENS`` runs a test on a phone and a desktop
  browser_page     a fresh page in a fresh context (no cookies shared between tests),
                   whose relative URLs go to the live server: ``page.goto("/products/")``
  browser_console  what that page printed to its console (CSP violations show up there)
  screenshot       ``screenshot(page, "name")`` checks the page looks rendered (see
                   ``assert_page_rendered``), saves a full-page PNG, returns its path
  browser_login    ``browser_login(page, email)`` logs in through the real login form
"""

import os
import shutil
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    # Annotations only: Playwright is imported when a browser test runs, not on collection.
    from playwright.sync_api import Browser, BrowserContext, Locator, Page, ViewportSize
    from pytest_django.live_server_helper import LiveServer

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

# The two window sizes every page must work at: a current phone (portrait) and a laptop.
SCREENS: dict[str, "ViewportSize"] = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 800},
}
# ``@BOTH_SCREENS`` on a test runs it once per size (it overrides the ``screen`` fixture).
BOTH_SCREENS = pytest.mark.parametrize("screen", list(SCREENS))


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


def assert_page_rendered(page: "Page") -> None:
    """What a person would notice at a glance, checked by machine.

    Every stylesheet loaded and has rules (a 404 or a CSP-blocked stylesheet leaves an
    unstyled page with all the right text); nothing sticks out sideways, and nothing is
    cut off sideways inside a scrolling or clipping box (a wide table is a ``table.stack``,
    shared/css/app.css); each cell of a stacked table is labelled as its column is; and no
    raw template syntax leaked into the text (a typo in a tag rendered as "{{ ... }}")."""
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
    hidden = page.evaluate(HIDDEN_SIDEWAYS_JS)
    assert not hidden, f"content hidden sideways (a clipping box) on {page.url}: {hidden}"
    unlabelled = page.evaluate(UNLABELLED_CELLS_JS)
    assert not unlabelled, (
        f"cells of a stacked table (table.stack) whose data-label is not their column's "
        f"header on {page.url}: {unlabelled}"
    )
    text = page.locator("body").inner_text()
    for leak in ("{{", "}}", "{%", "%}", "{#", "#}"):  # {# #} is one line only
        assert leak not in text, f"raw template syntax {leak!r} on {page.url}"


# A box that clips or scrolls its content sideways hides part of it (a table's last column
# in an overflow-x wrapper): the person sees a cut-off table and must find the scrollbar.
# Form fields scroll their own text and a <pre> may scroll code; everything else must fit.
HIDDEN_SIDEWAYS_JS = """() => [...document.querySelectorAll("body *")]
    .filter(el => !el.closest("input, textarea, select, pre"))
    .filter(el => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(el).overflowX))
    .filter(el => el.clientWidth > 1)  // a visually hidden box (a stacked table's header)
    .filter(el => el.scrollWidth > el.clientWidth + 1)
    .map(el => `<${el.tagName.toLowerCase()} class="${el.className}">`
        + ` shows ${el.clientWidth}px of ${el.scrollWidth}px`)"""

# On a phone a stacked table (shared/css/app.css) prints each cell's data-label before it,
# in place of the header row: the label must say what the header says.
UNLABELLED_CELLS_JS = """() => {
    const problems = [];
    for (const table of document.querySelectorAll("table.stack")) {
        const headerRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
        if (!headerRow) { problems.push("a table.stack without a <thead>"); continue; }
        const headers = [...headerRow.cells].map(cell => cell.textContent.trim());
        for (const row of [...table.tBodies].flatMap(body => [...body.rows])) {
            let column = 0;
            for (const cell of row.cells) {
                const header = headers[column] || "";
                if (cell.colSpan === 1 && header && cell.dataset.label !== header) {
                    const label = JSON.stringify(cell.dataset.label);
                    problems.push(`column "${header}" has data-label ${label}`);
                }
                column += cell.colSpan;
            }
        }
    }
    return [...new Set(problems)];
}"""


def assert_in_view(locator: "Locator") -> None:
    """The element is on screen sideways: inside the window and not clipped by a box it is in.

    The page scrolls down to it (a person scrolls a page down), never sideways: a key
    column, a total or a Remove button that needs a sideways scroll to be found is hidden."""
    locator.wait_for(state="visible")
    problem = locator.evaluate(
        """el => {
            const top = el.getBoundingClientRect().top + window.scrollY;
            window.scrollTo(0, Math.max(0, top - window.innerHeight / 2));
            const box = el.getBoundingClientRect();
            if (box.width === 0 || box.height === 0) return "it has no size";
            if (box.left < 0 || box.right > window.innerWidth + 1)
                return `it spans ${Math.round(box.left)}-${Math.round(box.right)}px of a `
                    + `${window.innerWidth}px window`;
            for (let box2 = el.parentElement; box2; box2 = box2.parentElement) {
                if (getComputedStyle(box2).overflowX === "visible") continue;
                const clip = box2.getBoundingClientRect();
                if (box.left < clip.left - 1 || box.right > clip.right + 1)
                    return `<${box2.tagName.toLowerCase()}> clips it sideways`;
            }
            return null;
        }"""
    )
    assert problem is None, f"{locator} is not in view on {locator.page.url}: {problem}"


def assert_columns_in_view(page: "Page", *labels: str, table: str = "main table") -> None:
    """The cells of these columns (by their data-label) are in view in the table's first row.

    The key columns of a list (a total, a status, a Remove button's column) must be found
    without a sideways scroll, on a phone as on a laptop: see ``assert_in_view``."""
    row = page.locator(f"{table} tbody tr").first
    for label in labels:
        assert_in_view(row.locator(f'td[data-label="{label}"]'))


def new_context(browser: "Browser", base_url: str, screen: str = "desktop") -> "BrowserContext":
    """A browser context (own cookies) on the live server, with the window of ``screen``."""
    context = browser.new_context(base_url=base_url, viewport=SCREENS[screen])
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context


@pytest.fixture(scope="module")
def browser() -> Iterator["Browser"]:
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
def browser_console() -> ConsoleLog:
    return ConsoleLog()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Keep each phase's report on the test item, so a fixture's teardown can tell
    # whether the test failed (the pattern from pytest's docs).
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def screen() -> str:
    """The window of ``browser_page``: a key of SCREENS. ``@BOTH_SCREENS`` overrides it."""
    return "desktop"


@pytest.fixture
def browser_page(
    browser: "Browser",
    live_server: "LiveServer",
    browser_console: ConsoleLog,
    screenshot_dir: Path,
    request: pytest.FixtureRequest,
    screen: str,
) -> Iterator["Page"]:
    """A page in its own context (own cookies), with ``base_url`` set to the live server.

    When the test fails, the page as it was is saved as ``<test name>-FAILED.png`` in the
    screenshot directory: usually the fastest way to see why."""
    context = new_context(browser, live_server.url, screen)
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
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``$BROWSER_SCREENSHOTS`` if set (CI keeps it as an artifact), else a pytest tmp dir."""
    wanted = os.environ.get("BROWSER_SCREENSHOTS")
    if wanted:
        path = Path(wanted)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def screenshot(
    screenshot_dir: Path, request: pytest.FixtureRequest
) -> Callable[["Page", str], Path]:
    """``screenshot(page, "cart")`` -> ``<dir>/<test name>-cart.png`` (full page)."""

    def take(page: "Page", name: str) -> Path:
        assert_page_rendered(page)
        path = screenshot_dir / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def assert_form_errors_styled(page: "Page") -> int:
    """Every error message on the page is drawn as the shared style draws a field's error.

    The reference is a ``small.error`` (shared/form.html's markup) added to the page: each
    visible error, whatever markup printed it (``ul.errorlist`` from ``{{ field.errors }}``
    included), must have its colour and size, and not the body text's colour. Returns how
    many errors there are, so a test can insist there is one."""
    styles = page.evaluate(
        """() => {
            const probe = document.createElement("small");
            probe.className = "error";
            document.querySelector("main").appendChild(probe);
            const look = el => [getComputedStyle(el).color, getComputedStyle(el).fontSize];
            const wanted = look(probe);
            probe.remove();
            const errors = [...document.querySelectorAll(
                "small.error, ul.errorlist li, .form-errors .error")]
                .filter(el => el.offsetParent !== null && el.textContent.trim());
            return {
                wanted, body: getComputedStyle(document.body).color,
                errors: errors.map(el => [el.textContent.trim(), ...look(el)]),
            };
        }"""
    )
    assert styles["wanted"][0] != styles["body"], "small.error has the body text's colour"
    for text, color, size in styles["errors"]:
        assert [color, size] == styles["wanted"], f"error {text!r} is drawn {color} {size}"
    return len(styles["errors"])


API_DOCS_TIMEOUT_MS = 30_000
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def assert_api_docs_list_the_operations(page: "Page", console: ConsoleLog) -> int:
    """Swagger UI at /api/docs/ lists every operation of the schema.

    A 200 for /api/docs/ proves nothing: a page whose scripts the CSP refused is a blank
    200. Counting the operations the browser drew proves the scripts ran and read the
    schema. Returns how many operations there are."""
    from playwright.sync_api import expect

    schema = page.request.get("/api/schema/?format=json").json()
    operations = [
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in HTTP_METHODS
    ]
    assert operations, "the schema has no operations"
    page.goto("/api/docs/")
    # Swagger UI draws one .opblock per operation, tags expanded (docExpansion "list"). It
    # fetches the whole schema and builds it first: seconds on a busy machine, hence the wait.
    expect(page.locator(".opblock")).to_have_count(len(operations), timeout=API_DOCS_TIMEOUT_MS)
    method, path = operations[0]
    first = page.locator(f".opblock-{method.lower()}", has_text=path).first
    expect(first).to_be_visible()
    assert console.errors() == [], console.messages
    return len(operations)


def log_in(page: "Page", email: str, password: str | None = None) -> None:
    """Log in through the real form (CSRF token, session cookie, axes and all)."""
    from playwright.sync_api import expect

    from shared.testing.factories import DEFAULT_PASSWORD

    page.goto("/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password or DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]", has_text="Log in").click()
    # The header names the user once the session exists; a wrong password stays on the form.
    expect(page.locator("header .user-email")).to_have_text(email)


def log_out(page: "Page") -> None:
    page.locator("header form button", has_text="Log out").click()
    page.wait_for_load_state()


@pytest.fixture
def browser_login() -> Callable[..., None]:
    """``browser_login(page, email, password=DEFAULT_PASSWORD)``: see ``log_in``."""
    return log_in
