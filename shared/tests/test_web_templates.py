"""The base templates: layout and nav, messages, form errors, pagination, error pages, CSP."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_anonymous_nav_offers_login_and_register(client):
    page = client.get("/doors/").content.decode()
    assert "<title>Shared test project</title>" in page
    assert 'href="/accounts/login/"' in page and 'href="/accounts/register/"' in page
    assert "Log out" not in page
    assert 'href="/doors/users/"' in page  # the project's nav_links block


def test_logged_in_nav_shows_email_roles_and_a_logout_form(page_client_for, make_user):
    client = page_client_for(make_user(email="nav@example.com", roles=["staff", "member"]))
    page = client.get("/doors/").content.decode()
    assert "nav@example.com" in page
    assert re.findall(r'<mark class="role">(\w+)</mark>', page) == ["Member", "Staff"]
    logout_form = re.search(r'<form method="post" action="/accounts/logout/".*?</form>', page, re.S)
    assert logout_form and 'name="csrfmiddlewaretoken"' in logout_form.group(0)
    assert "Log in</a>" not in page


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/register/", "/no-such-page/"])
def test_shared_pages_extend_the_projects_layout_and_keep_its_nav(client, path):
    # SITE_BASE_TEMPLATE is doors/base.html in the test project: its "Users" link shows.
    page = client.get(path).content.decode()
    assert 'href="/doors/users/"' in page


def test_messages_are_shown_once(client, make_user):
    from shared.accounts.services import verification_path

    user = make_user(is_active=False, email_verified=False)
    page = client.get(verification_path(user), follow=True).content.decode()
    assert 'class="message message-success"' in page
    assert "message-success" not in client.get("/doors/").content.decode()


def test_form_include_shows_field_and_non_field_errors(client):
    page = client.post("/doors/form/", {"name": "forbidden", "quantity": "0"}).content.decode()
    assert "Ensure this value is greater than or equal to 1." in page
    assert 'aria-invalid="true"' in page
    page = client.post("/doors/form/", {"name": "forbidden", "quantity": "2"}).content.decode()
    assert re.search(r'class="form-errors".*This combination is not allowed\.', page, re.S)
    assert client.post("/doors/form/", {"name": "ok", "quantity": "2"}).content == b"saved"


def test_a_plain_form_tag_renders_through_the_shared_form_template():
    # FORM_RENDERER: {{ form }} in any project looks like {% include "shared/form.html" %}.
    from django import forms

    class NameForm(forms.Form):
        name = forms.CharField()

    html = str(NameForm(data={}))
    assert '<small class="error" id="id_name_error">This field is required.</small>' in html
    assert '<span class="required" aria-hidden="true">*</span>' in html


def test_pagination_keeps_the_other_query_parameters(client, make_user):
    for n in range(5):
        make_user(email=f"page{n}@example.com")
    make_user(email="other@example.com")
    page = client.get("/doors/users/?q=page&page=2").content.decode()
    assert re.findall(r'class="user-row">([^<]+)<', page) == [
        "page2@example.com",
        "page3@example.com",
    ]
    assert "Page 2 of 3" in page
    assert 'href="?q=page&amp;page=3" rel="next"' in page
    assert 'href="?q=page&amp;page=1" rel="prev"' in page
    assert 'href="?q=page&amp;page=1" aria-label="First page"' in page
    last = client.get("/doors/users/?q=page&page=3").content.decode()
    assert 'rel="next"' not in last


def test_pagination_is_hidden_on_a_single_page(client, make_user):
    make_user(email="solo@example.com")
    assert 'class="pagination"' not in client.get("/doors/users/").content.decode()


@pytest.fixture
def production_errors(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


def test_404_page(production_errors):
    response = production_errors.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found (404)" in response.content.decode()
    assert "/no/such/page/" in response.content.decode()


def test_400_page_needs_no_context(production_errors):
    response = production_errors.get("/doors/bad-request/")
    assert response.status_code == 400
    assert "Bad request (400)" in response.content.decode()


def test_500_page_needs_no_context(production_errors):
    response = production_errors.get("/doors/server-error/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong (500)" in page
    assert "/static/shared/css/pico.min.css" in page


def test_403_page_for_anonymous_points_to_login(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/secret/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "/accounts/login/?next=/secret/" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/doors/",
        "/accounts/login/",
        "/accounts/register/",
        "/accounts/password/reset/",
        "/api/docs/",
    ],
)
def test_pages_send_a_csp_and_carry_no_inline_script_or_style(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    page = response.content.decode()
    # Every <script> loads a file; no <style> element and no style="" attribute.
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", page))
    assert "<style" not in page
    assert not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page)  # no inline event handlers either
    for sheet in re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', page):
        assert finders.find(sheet), f"{sheet} is not a static file"


def test_swagger_ui_comes_from_our_static_files_and_its_script_from_its_own_url(client):
    page = client.get("/api/docs/").content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in scripts
    assert all(src.startswith("/") for src in scripts), scripts  # no CDN
    start_up = client.get("/api/docs/?script=")
    assert start_up["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in start_up.content.decode()


def test_every_page_links_the_favicon_and_favicon_ico_finds_it(client):
    page = client.get("/doors/").content.decode()
    assert '<link rel="icon" href="/static/shared/favicon.svg"' in page
    assert finders.find("shared/favicon.svg") and finders.find("shared/favicon.ico")
    # Browsers and bots that ignore the <link> still ask for /favicon.ico: never a 404.
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/shared/favicon.ico"


def test_security_headers(client):
    response = client.get("/doors/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pico_is_vendored_with_its_license():
    path = finders.find("shared/css/pico.min.css")
    with open(path, encoding="utf-8") as css:
        assert "Licensed under MIT" in css.read(300)


def test_login_page_lists_demo_logins_only_in_debug(client, settings):
    settings.DEMO_LOGINS = [{"role": "staff", "email": "staff@demo.test", "password": "pw-demo"}]
    settings.DEBUG = False
    assert "staff@demo.test" not in client.get("/accounts/login/").content.decode()
    settings.DEBUG = True
    page = client.get("/accounts/login/").content.decode()
    assert "<code>staff@demo.test</code>" in page and "<code>pw-demo</code>" in page
