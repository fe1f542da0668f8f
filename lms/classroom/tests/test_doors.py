"""The live classroom's pages and API: the same rules as the services, status codes, JSON."""

import pytest
from django.urls import reverse

from classroom import services
from classroom.models import LiveAnswer, LiveSession
from classroom.tests.factories import LiveQuestionFactory, LiveSessionFactory
from enrollments.tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(course, instructor):
    return services.open_session(by=instructor, course=course)


@pytest.fixture
def question(session, instructor):
    return services.push_question(
        by=instructor, session=session, prompt="2 + 2?", choices=["3", "4"]
    )


# --- The instructor's console ------------------------------------------------------------


def test_the_instructor_opens_pushes_and_closes_from_the_console(
    page_client_for, course, instructor
):
    client = page_client_for(instructor)
    console = reverse("classroom:console", args=[course.slug])
    page = client.get(console)
    assert page.status_code == 200 and "Open a live session" in page.content.decode()

    assert client.post(reverse("classroom:open", args=[course.slug])).url == console
    session = LiveSession.objects.get(course=course)
    push = reverse("classroom:push", args=[course.slug, session.pk])
    assert client.post(push, {"prompt": "2 + 2?", "choices": "3\n4\n"}).status_code == 302
    assert session.questions.get().choices == ["3", "4"]
    page = client.get(console).content.decode()
    assert "2 + 2?" in page and 'data-socket-path="/ws/courses/python-basics/live/"' in page

    assert (
        client.post(reverse("classroom:close", args=[course.slug, session.pk])).status_code == 302
    )
    session.refresh_from_db()
    assert not session.is_open


def test_a_second_open_is_a_409_page(page_client_for, course, instructor, session):
    response = page_client_for(instructor).post(reverse("classroom:open", args=[course.slug]))
    assert response.status_code == 409


def test_a_bad_question_is_a_400_with_the_error_on_its_field(
    page_client_for, course, instructor, session
):
    push = reverse("classroom:push", args=[course.slug, session.pk])
    response = page_client_for(instructor).post(push, {"prompt": "Pick", "choices": "only one"})
    assert response.status_code == 400
    assert response.context["form"].errors["choices"] == ["Give between 2 and 6 choices."]
    response = page_client_for(instructor).post(push, {"prompt": "", "choices": "a\nb"})
    assert response.status_code == 400 and "prompt" in response.context["form"].errors


def test_students_and_assistants_may_not_open_the_console(
    page_client_for, course, student, enrolled, assistant
):
    for user in (student, assistant):
        client = page_client_for(user)
        assert client.get(reverse("classroom:console", args=[course.slug])).status_code == 403
        assert client.post(reverse("classroom:open", args=[course.slug])).status_code == 403
    assert not LiveSession.objects.exists()


def test_outsiders_get_404_for_the_pages(page_client_for, course, other_student):
    client = page_client_for(other_student)
    for url in (
        reverse("classroom:console", args=[course.slug]),
        reverse("classroom:join", args=[course.slug]),
    ):
        assert client.get(url).status_code == 404


def test_another_courses_session_is_404_through_this_course(
    page_client_for, course, other_course, instructor
):
    theirs = LiveSessionFactory(course=other_course)
    client = page_client_for(instructor)
    push = reverse("classroom:push", args=[course.slug, theirs.pk])
    assert client.post(push, {"prompt": "Q", "choices": "a\nb"}).status_code == 404
    assert client.post(reverse("classroom:close", args=[course.slug, theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_open and not theirs.questions.exists()


# --- The student's live view -------------------------------------------------------------


def test_the_lesson_page_links_to_an_open_session(
    page_client_for, course, student, enrolled, instructor
):
    client = page_client_for(student)
    lesson = course.modules.first().lessons.first()
    url = reverse("enrollments:lesson", args=[course.slug, lesson.pk])
    assert "Join the live session" not in client.get(url).content.decode()
    services.open_session(by=instructor, course=course)
    assert reverse("classroom:join", args=[course.slug]) in client.get(url).content.decode()


def test_a_student_answers_with_the_form_once(page_client_for, course, student, enrolled, question):
    client = page_client_for(student)
    join = reverse("classroom:join", args=[course.slug])
    page = client.get(join)
    assert page.status_code == 200 and "2 + 2?" in page.content.decode()
    answer = reverse("classroom:answer", args=[course.slug])
    assert client.post(answer, {"question": question.pk, "choice": 1}).url == join
    assert LiveAnswer.objects.get().choice == 1
    assert "Your answer is in." in client.get(join).content.decode()
    assert client.post(answer, {"question": question.pk, "choice": 0}).status_code == 409
    assert client.post(answer, {"question": question.pk, "choice": "x"}).status_code == 400
    assert LiveAnswer.objects.count() == 1


def test_a_question_of_another_course_cannot_be_answered_here(
    page_client_for, course, other_course, student, enrolled
):
    EnrollmentFactory(course=other_course, student=student)
    theirs = LiveQuestionFactory(session=LiveSessionFactory(course=other_course))
    answer = reverse("classroom:answer", args=[course.slug])
    assert (
        page_client_for(student).post(answer, {"question": theirs.pk, "choice": 0}).status_code
        == 404
    )
    assert not LiveAnswer.objects.exists()


def test_the_join_page_says_when_no_session_is_open(page_client_for, course, student, enrolled):
    page = page_client_for(student).get(reverse("classroom:join", args=[course.slug]))
    assert "No live session is open right now." in page.content.decode()


# --- The API -------------------------------------------------------------------------------


def test_the_api_lists_my_courses_sessions_with_tallies(
    api_client_for, course, student, enrolled, other_student, question
):
    services.answer(by=student, question=question, choice=1)
    body = api_client_for(student).get("/api/v1/live-sessions/").json()
    assert body["count"] == 1
    (listed,) = body["results"]
    assert listed["course"] == "python-basics" and listed["closed_at"] is None
    assert listed["questions"] == [
        {
            "id": question.pk,
            "prompt": "2 + 2?",
            "choices": ["3", "4"],
            "tally": [0, 1],
            "pushed_at": listed["questions"][0]["pushed_at"],
        }
    ]
    assert api_client_for(other_student).get("/api/v1/live-sessions/").json()["count"] == 0


def test_the_api_answers_404_for_another_courses_session(
    api_client_for, other_course, student, enrolled
):
    theirs = LiveSessionFactory(course=other_course)
    assert api_client_for(student).get(f"/api/v1/live-sessions/{theirs.pk}/").status_code == 404


def test_the_api_needs_a_login(api_client, session):
    assert api_client.get("/api/v1/live-sessions/").status_code == 401


def test_the_session_list_runs_the_same_queries_for_more_rows(
    api_client_for, assert_constant_queries, course, student, enrolled, question
):
    client = api_client_for(student)

    def more_rows():
        LiveAnswer.objects.create(question=question, student=student, choice=0)
        LiveQuestionFactory(session=question.session)
        closed = LiveSessionFactory(course=course, closed_at=question.pushed_at)
        LiveQuestionFactory(session=closed)

    assert_constant_queries(lambda: client.get("/api/v1/live-sessions/"), more_rows)
