"""Bulk enrolment from a CSV file: checked up front, run by a job with progress, errors reported."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.tests.factories import CourseFactory
from enrollments import services
from enrollments.models import BulkEnrollment, Enrollment
from shared.errors import DomainError

pytestmark = pytest.mark.django_db

CSV = b"email,name\nann@example.com,Ann\nnobody@example.com,No One\nANN@example.com,Again\n,Empty\n"


def test_a_bad_csv_is_refused_before_any_job(course, instructor):
    for content, why in [
        (b"\xff\xfe", "UTF-8"),
        (b"name\nAnn\n", "email"),
        (b"email\n", "no rows"),
    ]:
        with pytest.raises(DomainError, match=why):
            services.start_bulk_enrollment(by=instructor, course=course, content=content)
    assert not BulkEnrollment.objects.exists()


def test_the_job_enrols_and_reports_the_rest(
    course, assistant, make_user, django_capture_on_commit_callbacks
):
    ann = make_user(email="ann@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        bulk = services.start_bulk_enrollment(by=assistant, course=course, content=CSV)
    bulk.refresh_from_db()
    assert bulk.enrolled == 1
    assert Enrollment.objects.get(course=course, student=ann).status == "active"
    report = bulk.error_report.splitlines()
    assert report[0] == "row,email,reason"
    assert report[1] == "3,nobody@example.com,No account with this email."
    assert report[2].startswith("4,ANN@example.com,You are already enrolled")
    assert report[3] == "5,,No account with this email."
    job = bulk.job
    job.refresh_from_db()
    assert job.state == "succeeded" and job.current == 4 and "1 enrolled" in job.message
    # Run again (a re-delivered message): the finished job is not redone.
    assert services.run_bulk_enrollment(bulk=bulk, job=job) == 1


def test_students_cannot_bulk_enrol(course, student):
    with pytest.raises(PermissionDenied):
        services.start_bulk_enrollment(by=student, course=course, content=CSV)


def test_the_pages_upload_show_progress_and_the_error_report(
    client, course, instructor, other_student, make_user
):
    make_user(email="ann@example.com")
    client.force_login(instructor)
    url = reverse("enrollments:bulk", args=[course.slug])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"file": SimpleUploadedFile("s.csv", b"name\nx\n")})
    assert bad.status_code == 400 and "email" in bad.text
    started = client.post(url, {"file": SimpleUploadedFile("s.csv", CSV)}, follow=True)
    assert "data-task-progress" in started.text and 'data-state="pending"' in started.text
    bulk = BulkEnrollment.objects.get()
    services.run_bulk_enrollment(bulk=bulk, job=bulk.job)  # what the job does after the commit
    done = client.get(reverse("enrollments:bulk-detail", args=[bulk.pk]))
    assert 'data-state="succeeded"' in done.text and "1 of 4 enrolled" in done.text
    report = client.get(reverse("enrollments:bulk-errors", args=[bulk.pk]))
    assert report["Content-Type"].startswith("text/csv") and b"nobody@example.com" in report.content
    assert "Earlier uploads" in client.get(url).text
    client.force_login(other_student)
    assert client.get(reverse("enrollments:bulk-detail", args=[bulk.pk])).status_code == 404
    assert client.get(url).status_code == 403
    draft = CourseFactory(status="draft")
    assert client.get(reverse("enrollments:bulk", args=[draft.slug])).status_code == 404
