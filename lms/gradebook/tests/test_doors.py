"""The gradebook through the page, the CSV export and the API; who may open it."""

import pytest
from django.urls import reverse

from courses.tests.factories import CourseFactory, CourseStaffFactory
from quizzes.tests.factories import QuizFactory

pytestmark = pytest.mark.django_db


def test_gradebook_page_csv_and_api_for_staff(client, api_client_for, course, enrolled, assistant):
    QuizFactory(course=course, title="Basics")
    client.force_login(assistant)
    page = client.get(reverse("gradebook:course", args=[course.slug]))
    assert page.status_code == 200 and "Basics" in page.text
    export = client.get(reverse("gradebook:csv", args=[course.slug]))
    assert export["Content-Type"].startswith("text/csv")
    assert export.content.decode().splitlines()[1].startswith(enrolled.student.get_full_name())
    body = api_client_for(assistant).get(f"/api/v1/courses/{course.slug}/grades/").json()
    assert body["quizzes"] == ["Basics"] and body["rows"][0]["quizzes"] == [None]


@pytest.mark.parametrize("who", ["student", "other_student", "instructor_elsewhere"])
def test_gradebook_is_refused_to_others(
    client, api_client_for, course, enrolled, who, request, make_user
):
    if who == "instructor_elsewhere":
        user = make_user(roles=["instructor"])
        CourseStaffFactory(course=CourseFactory(), user=user)
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    page = client.get(reverse("gradebook:course", args=[course.slug]))
    api = api_client_for(user).get(f"/api/v1/courses/{course.slug}/grades/")
    # They may see the published course, not its gradebook: 404 through both doors, so the
    # URL does not confirm a gradebook (gradebook/access.py).
    assert (page.status_code, api.status_code) == (404, 404)


def test_the_gradebook_of_a_draft_is_404_to_outsiders(client, make_user):
    draft = CourseFactory(status="draft")
    client.force_login(make_user())
    assert client.get(reverse("gradebook:course", args=[draft.slug])).status_code == 404
