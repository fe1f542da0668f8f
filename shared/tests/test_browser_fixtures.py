"""The ``browser`` marker and fixtures (shared/testing/browser.py).

Without Chromium, browser tests are left out and the run says why (like the service
markers). With it, the fixtures log in through the real form and the console log sees
what the Content-Security-Policy blocks.
"""

import pytest

from shared.testing.browser import ConsoleLog

BROWSER_TEST = """
import pytest

@pytest.mark.browser
def test_in_a_browser():
    pass

def test_plain():
    pass
"""


def test_without_chromium_browser_tests_are_left_out_and_counted(pytester, monkeypatch, tmp_path):
    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no chromium on it
    monkeypatch.setenv("DJANGO_MODE", "embedded")
    monkeypatch.delenv("CAPSTONE_LEFT_OUT_FILE", raising=False)  # the runner's, not ours
    pytester.makepyfile(test_marked=BROWSER_TEST)
    result = pytester.runpytest_subprocess(
        "--ds=shared.tests.project.settings", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=1, deselected=1)
    result.stdout.fnmatch_lines(
        [
            "*: 1 test(s) left out (needs Chromium (apt-get install chromium): 1); run them with "
            "apt-get install chromium, then make test (or bash .ci/browser.sh); "
            "see docs/browser-tests.md."
        ]
    )


def test_chromium_path_prefers_the_environment(monkeypatch):
    from shared.testing.browser import chromium_path

    monkeypatch.setenv("CHROMIUM_PATH", "/opt/chromium/chrome")
    assert chromium_path() == "/opt/chromium/chrome"


def test_console_log_picks_out_csp_violations():
    log = ConsoleLog(
        messages=[
            ("log", "hello"),
            ("error", "Failed to load resource: 404"),
            ("error", "Refused to execute inline script because it violates the following "
                      "Content Security Policy directive: \"script-src 'self'\""),
        ]
    )  # fmt: skip
    assert len(log.errors()) == 2
    assert len(log.csp_violations()) == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_login_through_the_form_and_a_blocked_inline_script_is_reported(
    browser_page, browser_login, browser_console, make_user
):
    user = make_user(email="reader@example.com")
    browser_login(browser_page, user.email)  # asserts the header names the user
    # An inline script added to a served page: the CSP must refuse it, and the log see it.
    browser_page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.ranInline = true";
            document.body.appendChild(script);
        }"""
    )
    browser_page.wait_for_timeout(200)  # console events arrive asynchronously
    assert browser_page.evaluate("() => window.ranInline === true") is False
    assert len(browser_console.csp_violations()) == 1, browser_console.messages


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_stays_on_the_form(browser_page, browser_login, make_user):
    from playwright.sync_api import Error as PlaywrightError

    user = make_user(email="reader@example.com")
    browser_page.set_default_timeout(2_000)
    with pytest.raises((AssertionError, PlaywrightError)):
        browser_login(browser_page, user.email, "not-the-password")
    assert "/accounts/login/" in browser_page.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_assert_page_rendered_notices_a_missing_stylesheet_and_raw_tags(browser_page):
    from shared.testing.browser import assert_page_rendered

    browser_page.goto("/accounts/login/")
    assert_page_rendered(browser_page)  # the real page: styled, no raw tags

    browser_page.evaluate(
        """() => new Promise(done => {
            const link = document.createElement("link");
            link.rel = "stylesheet";
            link.href = "/static/no-such-file.css";
            link.onload = link.onerror = done;
            document.head.appendChild(link);
        })"""
    )
    with pytest.raises(AssertionError, match="stylesheets without rules"):
        assert_page_rendered(browser_page)

    browser_page.reload()
    browser_page.evaluate("() => { document.querySelector('h1').textContent = '{{ title }}'; }")
    with pytest.raises(AssertionError, match="raw template syntax"):
        assert_page_rendered(browser_page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_api_docs_list_every_operation_under_the_csp(browser_page, browser_console):
    # The docs load Swagger UI and ReDoc from the sidecar's static files, with no inline
    # script or style: the browser draws the operations and the console stays clean.
    from shared.testing.browser import assert_api_docs_list_the_operations

    assert assert_api_docs_list_the_operations(browser_page, browser_console) > 5
    assert browser_console.csp_violations() == []


WIDE_TABLE = """(klass) => {
    const cells = n => Array.from({length: 8}, (_, i) => `<${n} data-label="Column ${i}">`
        + `${n === "th" ? "Column " + i : "a long value " + i}</${n}>`).join("");
    const html = `<table class="${klass}"><thead><tr>${cells("th")}</tr></thead>`
        + `<tbody><tr>${cells("td")}</tr></tbody></table>`;
    document.querySelector("main").insertAdjacentHTML("beforeend", html);
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("screen", ["phone"])
def test_on_a_phone_a_stacked_table_keeps_its_last_column_in_view(browser_page, screen):
    from shared.testing.browser import assert_columns_in_view, assert_page_rendered

    assert browser_page.viewport_size == {"width": 390, "height": 844}
    browser_page.goto("/accounts/login/")
    browser_page.evaluate(WIDE_TABLE, "stack")
    assert_page_rendered(browser_page)  # nothing sticks out: the row became a card
    assert_columns_in_view(browser_page, "Column 0", "Column 7", table="main table.stack")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("screen", ["phone"])
def test_the_checks_see_a_scrolled_away_column_and_a_wrong_label(browser_page, screen):
    from shared.testing.browser import assert_in_view, assert_page_rendered

    browser_page.goto("/accounts/login/")
    # The old pattern: a wide table in a box that scrolls sideways. The page does not get
    # wider, but the last column is out of sight.
    browser_page.evaluate(
        """() => {
            const scroller = document.createElement("div");
            scroller.id = "scroller";
            scroller.style.overflowX = "auto";  // CSSOM: the CSP refuses a style="" attribute
            document.querySelector("main").appendChild(scroller);
        }"""
    )
    browser_page.evaluate(
        """(html) => { document.querySelector("#scroller").innerHTML = html; }""",
        "<table><tr>" + "<td>a long table cell</td>" * 8 + "<td id='last'>Total</td></tr></table>",
    )
    with pytest.raises(AssertionError, match="content hidden sideways"):
        assert_page_rendered(browser_page)
    with pytest.raises(AssertionError, match=r"is not in view.*px window"):
        assert_in_view(browser_page.locator("#last"))

    browser_page.reload()
    browser_page.evaluate(WIDE_TABLE, "stack")
    browser_page.evaluate("""() => { document.querySelector("td").dataset.label = "Wrong"; }""")
    with pytest.raises(AssertionError, match='column "Column 0" has data-label "Wrong"'):
        assert_page_rendered(browser_page)
