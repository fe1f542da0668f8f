"""Quiz pages and API: start, answer, submit, results, and the deadline, through both doors;
and writing a quiz, through the instructor's editor and the API: the same rules."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Attempt, Question, Quiz

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


# --- The instructor's editor ---------------------------------------------------------------
def question_data(text="Which is a loop?", kind="single", points=1, rows=()):
    """The question page's POST: its fields, and the choices formset with its management form."""
    data = {"text": text, "kind": kind, "points": points}
    data.update({"choice-TOTAL_FORMS": len(rows), "choice-INITIAL_FORMS": 0})
    for n, (choice, correct) in enumerate(rows):
        data[f"choice-{n}-text"] = choice
        if correct:
            data[f"choice-{n}-is_correct"] = "on"
    return data


QUIZ_SETTINGS = {
    "title": "Loops", "description": "", "attempt_limit": 2, "time_limit_minutes": 5,
    "pass_mark": 50, "grading": "highest",
}  # fmt: skip


def test_an_instructor_writes_a_quiz_a_student_takes_it(
    client, course, instructor, enrolled, student
):
    client.force_login(instructor)
    builder = client.get(reverse("courses:builder", args=[course.slug]))
    assert reverse("quizzes:create", args=[course.slug]) in builder.text
    created = client.post(reverse("quizzes:create", args=[course.slug]), QUIZ_SETTINGS)
    quiz = Quiz.objects.get(title="Loops")
    assert created.url == reverse("quizzes:edit", args=[course.slug, quiz.pk])
    add = reverse("quizzes:question-create", args=[course.slug, quiz.pk])
    assert 'name="choice-TOTAL_FORMS" value="4"' in client.get(add).text  # four blank rows
    rows = [("for", True), ("if", False), ("", False), ("", False)]  # blank rows are dropped
    saved = client.post(add, question_data(rows=rows))
    assert saved.status_code == 302
    question = quiz.questions.get()
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [
        ("for", True),
        ("if", False),
    ]
    editor = client.get(reverse("quizzes:edit", args=[course.slug, quiz.pk]))
    assert (
        "Which is a loop?" in editor.text
        and "(1 question)" in client.get(reverse("courses:builder", args=[course.slug])).text
    )

    # The student finds it and takes it through the pages they already use.
    client.force_login(student)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(quiz=quiz)
    right = question.choices.get(is_correct=True).pk
    done = client.post(
        reverse("quizzes:attempt", args=[attempt.pk]), {f"q{question.pk}": right}, follow=True
    )
    assert "Score: <strong>1/1</strong> (100%)" in done.text


def test_a_bad_question_is_shown_again_with_its_errors_and_nothing_lost(client, quiz, instructor):
    client.force_login(instructor)
    add = reverse("quizzes:question-create", args=[quiz.course.slug, quiz.pk])
    rows = [("while", True), ("until", True)]
    refused = client.post(add, question_data(text="Kept text", rows=rows))
    assert refused.status_code == 400
    assert "needs exactly one correct choice" in refused.text
    assert "Kept text" in refused.text and 'value="until"' in refused.text
    one = client.post(add, question_data(rows=[("alone", True)]))
    assert one.status_code == 400 and "at least two choices" in one.text
    blank = client.post(add, question_data(text="", points=0, rows=[("", True), ("b", False)]))
    assert blank.status_code == 400
    assert (
        "This field is required." in blank.text and "A correct choice needs its text." in blank.text
    )
    assert quiz.questions.count() == 2


def test_bad_settings_are_shown_on_the_editor_with_400(client, quiz, instructor):
    client.force_login(instructor)
    url = reverse("quizzes:edit", args=[quiz.course.slug, quiz.pk])
    refused = client.post(url, {**QUIZ_SETTINGS, "pass_mark": 150, "title": "Changed"})
    assert refused.status_code == 400 and "less than or equal to 100" in refused.text
    quiz.refresh_from_db()
    assert quiz.title == "Basics quiz"
    # The page still lists the saved quiz, while the form keeps what was typed.
    assert "Quiz editor: Basics quiz" in refused.text and 'value="Changed"' in refused.text


def test_an_attempted_quiz_refuses_question_changes_with_409(
    client, quiz, instructor, enrolled, student
):
    client.force_login(student)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    client.force_login(instructor)
    slug, first = quiz.course.slug, quiz.questions.first()
    editor = client.get(reverse("quizzes:edit", args=[slug, quiz.pk]))
    assert "questions, choices and points are locked" in editor.text
    assert reverse("quizzes:question-create", args=[slug, quiz.pk]) not in editor.text
    edit = reverse("quizzes:question-edit", args=[slug, quiz.pk, first.pk])
    refused = client.post(edit, question_data(text="Changed", rows=[("a", True), ("b", False)]))
    assert refused.status_code == 409 and "Create a new quiz instead" in refused.text
    delete = client.post(reverse("quizzes:question-delete", args=[slug, quiz.pk, first.pk]))
    assert delete.status_code == 409
    first.refresh_from_db()
    assert first.text == "Question 0" and Question.objects.filter(quiz=quiz).count() == 2
    moved = client.post(reverse("quizzes:question-move", args=[slug, quiz.pk, first.pk, "down"]))
    assert moved.status_code == 302 and quiz.questions.last() == first


def test_an_empty_quiz_tells_the_student_it_has_no_questions(
    client, course, instructor, enrolled, student
):
    client.force_login(instructor)
    client.post(reverse("quizzes:create", args=[course.slug]), QUIZ_SETTINGS)
    client.force_login(student)
    refused = client.post(reverse("quizzes:start", args=[Quiz.objects.get(title="Loops").pk]))
    assert refused.status_code == 409 and "no questions yet" in refused.text


# --- Writing a quiz through the API: the same services, so the same rules ---------------------
QUESTION = {
    "text": "Which keyword starts a loop?", "kind": "single", "points": 2,
    "choices": [{"text": "for", "is_correct": True}, {"text": "if"}],
}  # fmt: skip


def test_an_instructor_writes_a_quiz_through_the_api(
    api_client_for, course, instructor, enrolled, student
):
    api = api_client_for(instructor)
    created = api.post("/api/v1/quizzes/", {**QUIZ_SETTINGS, "course": course.slug})
    assert created.status_code == 201 and created.json()["course"] == course.slug
    quiz = created.json()["id"]
    changed = api.put(f"/api/v1/quizzes/{quiz}/", {**QUIZ_SETTINGS, "title": "Loops, again"})
    assert changed.status_code == 200 and changed.json()["title"] == "Loops, again"
    added = api.post(f"/api/v1/quizzes/{quiz}/questions/", QUESTION)
    assert added.status_code == 201
    body = added.json()
    assert [(c["text"], c["is_correct"]) for c in body["choices"]] == [("for", True), ("if", False)]
    question = f"/api/v1/quizzes/{quiz}/questions/{body['id']}/"
    extra = api.post(f"/api/v1/quizzes/{quiz}/questions/", {**QUESTION, "text": "Spare"})
    assert api.delete(f"/api/v1/quizzes/{quiz}/questions/{extra.json()['id']}/").status_code == 204
    rewritten = api.put(question, {**QUESTION, "points": 1})
    assert rewritten.status_code == 200 and rewritten.json()["points"] == 1
    assert Question.objects.filter(quiz_id=quiz).count() == 1

    # The student takes it, and never sees the answer key.
    started = api_client_for(student).post(f"/api/v1/quizzes/{quiz}/attempts/")
    assert started.status_code == 201 and "is_correct" not in str(started.json())


def test_the_api_refuses_what_the_pages_refuse(api_client_for, client, quiz, instructor):
    api = api_client_for(instructor)
    two_right = {**QUESTION, "choices": [{"text": "a", "is_correct": True}] * 2}
    refused = api.post(f"/api/v1/quizzes/{quiz.pk}/questions/", two_right)
    assert refused.status_code == 400
    error = refused.json()["errors"][0]
    assert error["attr"] == "choices" and "exactly one correct choice" in error["detail"]
    high = api.put(f"/api/v1/quizzes/{quiz.pk}/", {**QUIZ_SETTINGS, "pass_mark": 150})
    assert high.status_code == 400 and high.json()["errors"][0]["attr"] == "pass_mark"
    assert quiz.questions.count() == 2


def test_an_attempted_quiz_is_locked_through_the_api_too(
    api_client_for, quiz, instructor, enrolled, student
):
    api_client_for(student).post(f"/api/v1/quizzes/{quiz.pk}/attempts/")
    api = api_client_for(instructor)
    first = quiz.questions.first()
    locked = api.put(f"/api/v1/quizzes/{quiz.pk}/questions/{first.pk}/", QUESTION)
    assert locked.status_code == 409 and locked.json()["errors"][0]["code"] == "quiz_locked"
    assert api.delete(f"/api/v1/quizzes/{quiz.pk}/questions/{first.pk}/").status_code == 409
    assert api.put(f"/api/v1/quizzes/{quiz.pk}/", QUIZ_SETTINGS).status_code == 200


def test_only_the_courses_builders_write_quizzes_through_the_api(
    api_client, api_client_for, quiz, course, student, enrolled, assistant, other_course
):
    """Who may see the quiz but not build it gets 403; who may not see it, 404."""
    other_instructor = other_course.staff.get().user
    url = f"/api/v1/quizzes/{quiz.pk}/questions/"
    assert api_client.post(url, QUESTION).status_code == 401
    assert api_client_for(student).post(url, QUESTION).status_code == 403
    assert api_client_for(assistant).post(url, QUESTION).status_code == 403
    assert api_client_for(other_instructor).post(url, QUESTION).status_code == 404
    new = {**QUIZ_SETTINGS, "course": course.slug}
    assert api_client_for(student).post("/api/v1/quizzes/", new).status_code == 403
    assert quiz.questions.count() == 2 and course.quizzes.count() == 1
