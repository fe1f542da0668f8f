"""Assignment pages and API: upload, grade, and who may fetch a submitted file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assignments import services
from assignments.models import Submission
from assignments.tests.factories import AssignmentFactory
from enrollments.tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def assignment(course):
    return AssignmentFactory(course=course, title="Essay", max_points=10)


def upload(name="essay.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


# --- Pages -------------------------------------------------------------------------------
def test_hand_in_and_grade_through_the_pages(client, assignment, enrolled, student, assistant):
    client.force_login(student)
    url = reverse("assignments:detail", args=[assignment.pk])
    assert "Hand in" in client.get(url).text
    done = client.post(url, {"file": upload()}, follow=True)
    assert "Your file is handed in" in done.text and "essay.pdf" in done.text
    submission = Submission.objects.get()

    client.force_login(assistant)
    staff_page = client.get(url)
    assert "Submissions" in staff_page.text and student.get_full_name() in staff_page.text
    grade_url = reverse("assignments:grade", args=[submission.pk])
    assert client.get(grade_url).status_code == 200
    too_many = client.post(grade_url, {"points": 11})
    assert too_many.status_code == 400 and "between 0 and 10" in too_many.text
    assert client.post(grade_url, {"points": 7, "feedback": "ok"}).status_code == 302

    client.force_login(student)
    assert "Grade: <strong>7/10</strong>" in client.get(url).text


def test_a_refused_upload_shows_on_the_form(client, assignment, enrolled, student):
    client.force_login(student)
    response = client.post(
        reverse("assignments:detail", args=[assignment.pk]), {"file": upload("x.pdf", b"MZ")}
    )
    assert response.status_code == 400 and "does not match" in response.text


def test_submitted_files_reach_only_the_student_and_the_staff(
    client, assignment, enrolled, student, other_student, assistant, other_course, make_user
):
    submission = services.submit(by=student, assignment=assignment, file=upload())
    url = reverse("assignments:file", args=[submission.pk])
    client.force_login(student)
    own = client.get(url)
    assert own.status_code == 200 and b"".join(own.streaming_content) == PDF
    client.force_login(assistant)
    assert client.get(url).status_code == 200
    # Another student of the same course, a student of another course, a stranger: 404.
    classmate = EnrollmentFactory(course=assignment.course).student
    elsewhere = EnrollmentFactory(course=other_course).student
    for user in (classmate, elsewhere, other_student):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(student)
    assert client.get(reverse("assignments:file", args=[submission.pk + 1000])).status_code == 404
    assert client.get("/media/" + submission.file.name).status_code == 404  # a guessed path


def test_grading_someone_elses_course_is_404_or_403(
    client, assignment, enrolled, student, other_student
):
    submission = services.submit(by=student, assignment=assignment, file=upload())
    client.force_login(other_student)
    assert client.get(reverse("assignments:grade", args=[submission.pk])).status_code == 404
    client.force_login(student)  # may see it (their own), may not grade it
    assert client.get(reverse("assignments:grade", args=[submission.pk])).status_code == 403
    assert client.get(reverse("assignments:detail", args=[assignment.pk])).status_code == 200
    client.force_login(other_student)
    assert client.get(reverse("assignments:detail", args=[assignment.pk])).status_code == 404


# --- API ---------------------------------------------------------------------------------
def test_api_multipart_submission_and_grading(
    api_client_for, assignment, enrolled, student, instructor
):
    api = api_client_for(student)
    assert [a["id"] for a in api.get("/api/v1/assignments/").json()["results"]] == [assignment.pk]
    created = api.post(
        f"/api/v1/assignments/{assignment.pk}/submission/", {"file": upload()}, format="multipart"
    )
    assert created.status_code == 201
    body = created.json()
    assert (
        body["original_name"] == "essay.pdf"
        and body["file_url"] == f"/files/submissions/{body['id']}/"
    )
    staff = api_client_for(instructor)
    graded = staff.post(f"/api/v1/submissions/{body['id']}/grade/", {"points": 9})
    assert graded.status_code == 200 and graded.json()["final_points"] == 9
    assert api.post(f"/api/v1/submissions/{body['id']}/grade/", {"points": 10}).status_code == 403
    assert api.get("/api/v1/submissions/").json()["results"][0]["points"] == 9


def test_api_refuses_bad_files_with_400(api_client_for, assignment, enrolled, student):
    api = api_client_for(student)
    url = f"/api/v1/assignments/{assignment.pk}/submission/"
    bad = api.post(url, {"file": upload("x.pdf", b"MZ\x90")}, format="multipart")
    assert bad.status_code == 400 and bad.json()["errors"][0]["attr"] == "file"
    assert api.post(url, {}, format="multipart").status_code == 400


def test_api_other_course_students_see_nothing(
    api_client_for, assignment, enrolled, student, other_student
):
    submission = services.submit(by=student, assignment=assignment, file=upload())
    other = api_client_for(other_student)
    assert other.get(f"/api/v1/submissions/{submission.pk}/").status_code == 404
    assert other.get(f"/api/v1/assignments/{assignment.pk}/").status_code == 404
    assert (
        other.post(
            f"/api/v1/assignments/{assignment.pk}/submission/",
            {"file": upload()},
            format="multipart",
        ).status_code
        == 404
    )
