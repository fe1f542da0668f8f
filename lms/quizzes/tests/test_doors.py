"""Quiz pages and API: start, answer, submit, results, and the deadline, through both doors."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt

pytestmark = pytest.mark.django_db


def right_choice(question) -> int:
    return question.choices.get(is_correct=True).pk


# --- Pages -------------------------------------------------------------------------------
def test_take_a_quiz_through_the_pages(client, quiz, enrolled, student):
    client.force_login(student)
    page = client.get(reverse("quizzes:detail", args=[quiz.pk]))
    assert page.status_code == 200 and "Start or resume" in page.text
    started = client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    assert started.url == reverse("quizzes:attempt", args=[attempt.pk])
    take = client.get(started.url)
    assert 'class="countdown"' in take.text and "lms/js/countdown.js" in take.text
    first, second = quiz.questions.all()
    done = client.post(
        started.url, {f"q{first.pk}": right_choice(first), f"q{second.pk}": "x"}, follow=True
    )
    assert "Score: <strong>1/2</strong> (50%)" in done.text and "Passed" in done.text
    assert client.get(started.url).url == reverse("quizzes:result", args=[attempt.pk])
    listing = client.get(reverse("quizzes:detail", args=[quiz.pk]))
    assert "Your result: <strong>50%</strong>" in listing.text


def test_a_late_page_submit_is_refused_with_409(client, quiz, enrolled, student):
    client.force_login(student)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=5))
    first = quiz.questions.first()
    late = client.post(
        reverse("quizzes:attempt", args=[attempt.pk]), {f"q{first.pk}": right_choice(first)}
    )
    assert late.status_code == 409 and "Time is up" in late.text


def test_an_open_attempts_result_page_says_so(client, quiz, enrolled, student):
    client.force_login(student)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    assert "still open" in client.get(reverse("quizzes:result", args=[attempt.pk])).text


def test_the_quiz_of_another_course_is_404(client, quiz, other_student):
    client.force_login(other_student)
    assert client.get(reverse("quizzes:detail", args=[quiz.pk])).status_code == 404
    assert client.post(reverse("quizzes:start", args=[quiz.pk])).status_code == 404


def test_staff_see_the_quiz_without_a_start_button(client, quiz, assistant):
    client.force_login(assistant)
    page = client.get(reverse("quizzes:detail", args=[quiz.pk]))
    assert page.status_code == 200 and "Start or resume" not in page.text


# --- API ---------------------------------------------------------------------------------
def test_take_a_quiz_through_the_api(api_client_for, quiz, enrolled, student):
    api = api_client_for(student)
    assert [
        q["id"]
        for q in api.get(f"/api/v1/quizzes/?course__slug={quiz.course.slug}").json()["results"]
    ] == [quiz.pk]
    started = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/")
    assert started.status_code == 201
    body = started.json()
    assert body["number"] == 1 and "is_correct" not in body["questions"][0]["choices"][0]
    first = quiz.questions.first()
    answered = api.post(
        f"/api/v1/attempts/{body['id']}/answer/",
        {"question": first.pk, "choices": [right_choice(first)]},
    )
    assert answered.status_code == 200
    submitted = api.post(f"/api/v1/attempts/{body['id']}/submit/").json()
    assert (submitted["score"], submitted["percent"], submitted["passed"]) == (1, 50, True)
    assert api.get(f"/api/v1/attempts/{body['id']}/").json()["status"] == "submitted"
    late = api.post(
        f"/api/v1/attempts/{body['id']}/answer/", {"question": first.pk, "choices": [1]}
    )
    assert late.status_code == 409


def test_api_refuses_late_and_bad_answers(api_client_for, quiz, enrolled, student):
    api = api_client_for(student)
    attempt_id = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["id"]
    first = quiz.questions.first()
    bad = api.post(f"/api/v1/attempts/{attempt_id}/answer/", {"question": first.pk, "choices": []})
    assert bad.status_code == 400
    Attempt.objects.filter(pk=attempt_id).update(deadline=timezone.now() - timedelta(seconds=1))
    late = api.post(
        f"/api/v1/attempts/{attempt_id}/answer/",
        {"question": first.pk, "choices": [right_choice(first)]},
    )
    assert late.status_code == 409 and late.json()["errors"][0]["code"] == "time_is_up"


def test_api_attempt_limit_is_409(api_client_for, quiz, enrolled, student):
    api = api_client_for(student)
    for _ in range(3):
        attempt_id = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["id"]
        api.post(f"/api/v1/attempts/{attempt_id}/submit/")
    refused = api.post(f"/api/v1/quizzes/{quiz.pk}/attempts/")
    assert refused.status_code == 409 and refused.json()["errors"][0]["code"] == "attempt_limit"


def test_api_other_students_attempts_are_404(
    api_client_for, quiz, enrolled, student, other_student
):
    attempt_id = api_client_for(student).post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["id"]
    other = api_client_for(other_student)
    assert other.get(f"/api/v1/attempts/{attempt_id}/").status_code == 404
    assert other.post(f"/api/v1/attempts/{attempt_id}/submit/").status_code == 404
    assert other.post(f"/api/v1/quizzes/{quiz.pk}/attempts/").status_code == 404


def test_api_staff_read_attempts_of_their_course(
    api_client_for, quiz, enrolled, student, assistant
):
    attempt_id = api_client_for(student).post(f"/api/v1/quizzes/{quiz.pk}/attempts/").json()["id"]
    staff = api_client_for(assistant)
    assert staff.get(f"/api/v1/attempts/{attempt_id}/").status_code == 200
    assert staff.post(f"/api/v1/attempts/{attempt_id}/submit/").status_code == 404  # not theirs
