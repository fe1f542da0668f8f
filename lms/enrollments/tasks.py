"""The enrollments app's jobs: thin wrappers that load rows by id and call the services."""

from courses.models import Announcement, Course
from enrollments import services
from enrollments.models import BulkEnrollment
from shared.tasks.base import task
from shared.tasks.models import TaskProgress


@task(name="enrollments.fill_free_seats")
def fill_free_seats(*, course_id: int) -> int:
    course = Course.objects.filter(pk=course_id).first()
    return len(services.fill_free_seats(course=course)) if course else 0


@task(name="enrollments.email_announcement")
def email_announcement(*, announcement_id: int) -> int:
    announcement = Announcement.objects.filter(pk=announcement_id).first()
    return services.email_announcement(announcement=announcement) if announcement else 0


@task(name="enrollments.run_bulk_enrollment")
def run_bulk_enrollment(*, bulk_id: int, job_id: str) -> int:
    bulk = BulkEnrollment.objects.select_related("course").get(pk=bulk_id)
    return services.run_bulk_enrollment(bulk=bulk, job=TaskProgress.objects.get(pk=job_id))
