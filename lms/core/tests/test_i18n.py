"""The LMS in English and Hindi: every template string is marked, the Hindi catalogue is
compiled and complete, and the language follows the cookie, the browser and the switcher.

English stays the default: a request that asks for nothing gets English, so every other
test of the LMS reads English texts.
"""

from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from assignments.tests.factories import AssignmentFactory
from shared.testing.i18n import catalogue_problems, unmarked_in_templates

LMS = Path(__file__).resolve().parents[2]
SHARED_WEB = LMS.parent / "shared" / "web"
HINDI = {"HTTP_ACCEPT_LANGUAGE": "hi"}


def lms_templates():
    """Every template of the LMS: lms/templates (its own overrides) and each app's."""
    return [p for p in LMS.rglob("templates/**/*.html") if "staticfiles" not in p.parts]


def test_every_template_string_is_marked_for_translation():
    templates = lms_templates()
    assert len(templates) > 15  # the walk finds the templates (a wrong path would find none)
    unmarked = unmarked_in_templates(templates, root=LMS)
    assert unmarked == [], "Text not marked for translation:\n" + "\n".join(map(str, unmarked))


def test_the_shared_layout_is_marked_too():
    # Every LMS page extends shared/web/templates/base.html: its header is on each page.
    assert unmarked_in_templates([SHARED_WEB / "templates" / "base.html"]) == []


@pytest.mark.parametrize(
    "locale_dir", [LMS / "locale", SHARED_WEB / "locale"], ids=["lms", "shared-web"]
)
def test_the_committed_mo_matches_the_po_and_every_message_is_translated(locale_dir):
    messages = locale_dir / "hi" / "LC_MESSAGES"
    assert catalogue_problems(messages / "django.po", messages / "django.mo") == []


# --- Which language a request gets ------------------------------------------------------


@pytest.mark.django_db
def test_english_is_the_default(client, course):
    page = client.get("/courses/")
    assert page.headers["Content-Language"] == "en"
    assert '<html lang="en">' in page.text and "Course catalogue" in page.text


@pytest.mark.django_db
def test_the_browsers_accept_language_picks_hindi(client, course):
    page = client.get("/courses/", **HINDI)
    assert page.headers["Content-Language"] == "hi"
    assert '<html lang="hi">' in page.text
    assert "पाठ्यक्रम सूची-पत्र" in page.text  # "Course catalogue"
    assert "लॉग इन" in page.text  # the shared header: "Log in"
    assert "Course catalogue" not in page.text


@pytest.mark.django_db
def test_the_language_cookie_wins_over_the_browser(client, course):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Course catalogue" in client.get("/courses/", **HINDI).text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    assert "पाठ्यक्रम सूची-पत्र" in client.get("/courses/").text


@pytest.mark.django_db
def test_a_language_the_lms_does_not_offer_falls_back_to_english(client, course):
    assert "Course catalogue" in client.get("/courses/", HTTP_ACCEPT_LANGUAGE="fr").text


@pytest.mark.django_db
def test_plurals_and_numbers_in_hindi(client, course):
    page = client.get(course.get_absolute_url(), **HINDI).text
    left, capacity = course.seats_left, course.capacity
    assert f"{capacity} में से {left} सीटें बाकी" in page  # "{left} of {capacity} seats left"


@pytest.mark.django_db
def test_dates_follow_the_language(client, course, enrolled, student):
    due = timezone.make_aware(datetime(2026, 3, 5, 14, 5))
    assignment = AssignmentFactory(course=course, due_at=due)
    client.force_login(student)
    english = client.get(f"/assignments/{assignment.pk}/").text
    hindi = client.get(f"/assignments/{assignment.pk}/", **HINDI).text
    assert "Due 5 Mar 2026, 14:05" in english
    assert "अंतिम तिथि 5 मार्च 2026, 14:05" in hindi


# --- The switcher -------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_has_the_switcher_a_post_form_with_a_csrf_token(client, course):
    page = client.get("/courses/?q=python").text
    assert 'action="/i18n/setlang/"' in page and 'method="post"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'name="next" value="/courses/?q=python"' in page  # back to this very page
    assert 'value="hi" lang="hi"' in page


def test_the_switcher_sets_the_cookie_and_goes_back_to_the_page():
    response = Client().post("/i18n/setlang/", {"language": "hi", "next": "/courses/?q=x"})
    assert response.status_code == 302 and response.url == "/courses/?q=x"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "hi"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x"])
def test_the_switcher_refuses_to_send_the_reader_to_another_site(next_url):
    response = Client().post("/i18n/setlang/", {"language": "hi", "next": next_url})
    assert response.status_code == 302
    assert "evil.example" not in response.url
    assert response.url == "/"


@pytest.mark.django_db
def test_a_language_the_lms_does_not_offer_leaves_the_pages_in_english(course):
    browser = Client()
    # set_language stores any language Django itself knows (it has a French catalogue)...
    browser.post("/i18n/setlang/", {"language": "fr", "next": "/courses/"})
    # ...but LocaleMiddleware only picks one of settings.LANGUAGES: French falls back.
    page = browser.get("/courses/")
    assert page.headers["Content-Language"] == "en" and "Course catalogue" in page.text


def test_the_switcher_needs_the_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/i18n/setlang/", {"language": "hi"}).status_code == 403


# --- Messages from Python code -------------------------------------------------------------


@pytest.mark.django_db
def test_a_flash_message_and_a_form_label_in_hindi(client, course, student):
    client.force_login(student)
    response = client.post(f"/courses/{course.slug}/enrol/", follow=True, **HINDI)
    assert "आप Python basics में नामांकित हैं।" in response.text  # "You are enrolled in ..."


@pytest.mark.django_db
def test_an_api_refusal_speaks_the_callers_language(api_client_for, course, student):
    api = api_client_for(student)
    api.post("/api/v1/enrollments/", {"course": course.slug})
    again = api.post("/api/v1/enrollments/", {"course": course.slug}, **HINDI)
    assert again.status_code == 409
    error = again.json()["errors"][0]
    assert error["code"] == "already_enrolled"  # the code stays English: clients match on it
    assert error["detail"] == "आप इस पाठ्यक्रम में पहले से नामांकित हैं।"
    english = api.post("/api/v1/enrollments/", {"course": course.slug})
    assert english.json()["errors"][0]["detail"] == "You are already enrolled in this course."
