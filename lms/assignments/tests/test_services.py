"""Submitting and grading through the services: uploads checked, late policy, one grade email."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from assignments import services
from assignments.models import Assignment
from assignments.tests.factories import AssignmentFactory
from courses.uploads import UploadRefused
from shared.errors import Conflict, DomainError

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def assignment(course):
    return AssignmentFactory(course=course, title="Essay", max_points=10)


def pdf(name="essay.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_submission_is_stored_under_a_generated_name(assignment, enrolled, student, media):
    submission = services.submit(by=student, assignment=assignment, file=pdf("My Essay.pdf"))
    assert submission.original_name == "My Essay.pdf" and not submission.is_late
    assert submission.file.name.startswith("protected/submissions/")
    assert "Essay" not in submission.file.name
    assert (media / submission.file.name).read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("virus.exe", b"MZ\x90\x00", "not accepted"),
        ("essay.pdf", PNG, "does not match"),
        ("notes.txt", PNG, "not plain text"),
        ("notes.txt", b"\xff\xfe\x00bad", "not plain text"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_uploads_are_checked_by_name_and_content(assignment, enrolled, student, name, content, why):
    with pytest.raises(UploadRefused, match=why) as error:
        services.submit(by=student, assignment=assignment, file=SimpleUploadedFile(name, content))
    assert error.value.field == "file" and error.value.status_code == 400


def test_text_and_images_pass(assignment, enrolled, student):
    services.submit(
        by=student, assignment=assignment, file=SimpleUploadedFile("a.txt", "héllo".encode())
    )
    again = services.submit(
        by=student, assignment=assignment, file=SimpleUploadedFile("a.png", PNG)
    )
    assert again.original_name == "a.png"


def test_a_file_over_the_limit_is_refused(assignment, enrolled, student, settings):
    settings.LMS_UPLOAD_MAX_BYTES = 10
    with pytest.raises(UploadRefused, match="larger than"):
        services.submit(by=student, assignment=assignment, file=pdf())


def test_resubmitting_replaces_the_file_until_graded(
    assignment, enrolled, student, instructor, media, django_capture_on_commit_callbacks
):
    first = services.submit(by=student, assignment=assignment, file=pdf("v1.pdf"))
    old = media / first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        second = services.submit(by=student, assignment=assignment, file=pdf("v2.pdf"))
    assert second.pk == first.pk and second.original_name == "v2.pdf"
    assert not old.exists()  # the replaced file is gone
    services.grade(by=instructor, submission=second, points=8)
    with pytest.raises(Conflict, match="graded"):
        services.submit(by=student, assignment=assignment, file=pdf())


def test_late_policies(course, enrolled, student):
    past = timezone.now() - timedelta(hours=1)
    refused = AssignmentFactory(
        course=course, due_at=past, late_policy=Assignment.LatePolicy.REFUSE
    )
    with pytest.raises(Conflict) as error:
        services.submit(by=student, assignment=refused, file=pdf())
    assert error.value.code == "deadline_passed"
    penalised = AssignmentFactory(course=course, due_at=past, max_points=10)
    submission = services.submit(by=student, assignment=penalised, file=pdf())
    assert submission.is_late and submission.final_points is None
    submission.points = 10
    assert submission.final_points == 8  # 20% off
    accepted = AssignmentFactory(course=course, due_at=past, late_policy="accept")
    late = services.submit(by=student, assignment=accepted, file=pdf())
    late.points = 10
    assert late.final_points == 10


def test_only_enrolled_students_submit(assignment, other_student):
    with pytest.raises(Http404):
        services.submit(by=other_student, assignment=assignment, file=pdf())


def test_grading_checks_the_range_and_who_grades(
    assignment, enrolled, student, assistant, mailoutbox, django_capture_on_commit_callbacks
):
    submission = services.submit(by=student, assignment=assignment, file=pdf())
    with pytest.raises(DomainError) as error:
        services.grade(by=assistant, submission=submission, points=11)
    assert error.value.field == "points"
    with pytest.raises(PermissionDenied):
        services.grade(by=student, submission=submission, points=10)
    with django_capture_on_commit_callbacks(execute=True):
        graded = services.grade(by=assistant, submission=submission, points=9, feedback="Good")
    assert (graded.points, graded.graded_by) == (9, assistant)
    assert [m.to for m in mailoutbox] == [[student.email]] and "9 of 10" in mailoutbox[0].body
    assert str(graded) == f"Essay by {student}"
