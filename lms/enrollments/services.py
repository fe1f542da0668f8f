"""Use cases of taking a course: enrol (or join the waitlist), drop, promote, mark progress.

Capacity is enforced under the course's row lock (``SELECT ... FOR UPDATE``): every enrol
and every drop of one course runs one at a time, so the seat count, the waitlist order and
the promotion after a drop are decided by one transaction each. PostgreSQL backs the rules
with constraints: one enrollment per student and course, one student per waitlist position,
never more seats taken than the capacity. See docs/decisions/0001-capacity-and-waitlist.md.
"""

import csv
import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from courses.models import Announcement, Course, Lesson
from enrollments.models import BulkEnrollment, Enrollment, LessonProgress
from shared.accounts.models import User
from shared.errors import Conflict, DomainError
from shared.tasks.base import enqueue_on_commit
from shared.tasks.models import TaskProgress
from shared.tasks.services import start_job
from shared.web.live import group_send_on_commit

BULK_MAX_ROWS = 5000


class CourseClosed(Conflict):
    default_code = "course_closed"


class AlreadyEnrolled(Conflict):
    default_code = "already_enrolled"


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@transaction.atomic
def enroll(*, by: User, course: Course) -> Enrollment:
    """Take a seat if one is free, else join the end of the waitlist."""
    locked = Course.objects.select_for_update().get(pk=course.pk)
    if locked.status != Course.Status.PUBLISHED:
        raise CourseClosed(gettext("This course is not open for enrolment."))
    enrollment = Enrollment.objects.filter(course=locked, student=by).first()
    if enrollment and enrollment.status != Enrollment.Status.DROPPED:
        message = {
            Enrollment.Status.WAITLISTED: gettext(
                "You are already on the waitlist of this course."
            ),
            Enrollment.Status.COMPLETED: gettext("You have already completed this course."),
        }.get(enrollment.status, gettext("You are already enrolled in this course."))
        raise AlreadyEnrolled(message)
    enrollment = enrollment or Enrollment(course=locked, student=by)
    if locked.seats_taken < locked.capacity:
        _take_seat(locked, enrollment)
    else:
        enrollment.status = Enrollment.Status.WAITLISTED
        enrollment.waitlist_position = _next_position(locked)
        enrollment.enrolled_at = None
    enrollment.save()
    return enrollment


def _next_position(course: Course) -> int:
    last = course.enrollments.aggregate(last=Max("waitlist_position"))["last"]
    return (last or 0) + 1


def _take_seat(course: Course, enrollment: Enrollment) -> None:
    """Give ``enrollment`` a seat; the caller holds the course's lock and saves it."""
    Course.objects.filter(pk=course.pk).update(seats_taken=F("seats_taken") + 1)
    course.seats_taken += 1
    enrollment.status = Enrollment.Status.ACTIVE
    enrollment.waitlist_position = None
    enrollment.enrolled_at = timezone.now()


@transaction.atomic
def drop(*, by: User, enrollment: Enrollment) -> Enrollment:
    """Leave the course (or the waitlist). A freed seat goes to the first on the waitlist."""
    if enrollment.student_id != by.pk:
        raise Http404("No such enrollment.")
    course = Course.objects.select_for_update().get(pk=enrollment.course_id)
    enrollment = Enrollment.objects.get(pk=enrollment.pk)  # fresh, under the course's lock
    if enrollment.status == Enrollment.Status.DROPPED:
        raise Conflict(gettext("You have already left this course."))
    if enrollment.status == Enrollment.Status.COMPLETED:
        raise Conflict(gettext("A completed course stays on your record."))
    held_seat = enrollment.status == Enrollment.Status.ACTIVE
    enrollment.status = Enrollment.Status.DROPPED
    enrollment.waitlist_position = None
    enrollment.save()
    if held_seat:
        Course.objects.filter(pk=course.pk).update(seats_taken=F("seats_taken") - 1)
        course.seats_taken -= 1
        _promote_waiting(course)
        # An open live-classroom tab of this student closes (classroom/consumers.py).
        group_send_on_commit(
            course.live_group, {"type": "live.event", "kind": "member_left", "user": by.pk}
        )
    return enrollment


def _promote_waiting(course: Course) -> list[Enrollment]:
    """Move the first of the waitlist into every free seat; the caller holds the lock."""
    promoted = []
    while course.seats_taken < course.capacity:
        first = (
            course.enrollments.filter(status=Enrollment.Status.WAITLISTED)
            .order_by("waitlist_position")
            .first()
        )
        if first is None:
            break
        _take_seat(course, first)
        first.save()
        promoted.append(first)
        enqueue_on_commit(
            "shared.send_templated_email",
            to=[first.student.email],
            subject=f"A seat is yours: {course.title}",
            template="enrollments/email/promoted",
            context={"course": course.title, "url": course.get_absolute_url()},
            # One email per promotion, however often the job or the commit hook runs.
            idempotency_key=f"promoted-{first.pk}-{first.enrolled_at:%Y%m%d%H%M%S%f}",
        )
    return promoted


@transaction.atomic
def fill_free_seats(*, course: Course) -> list[Enrollment]:
    """After the capacity grew: promote from the waitlist into the new seats."""
    locked = Course.objects.select_for_update().get(pk=course.pk)
    return _promote_waiting(locked)


def enrollment_of(user: User, course: Course) -> Enrollment | None:
    """The user's enrollment that may read the course's lessons (active or completed)."""
    if not user.is_authenticated:
        return None
    return Enrollment.objects.filter(
        course=course, student=user, status__in=Enrollment.SEAT_STATUSES
    ).first()


def progress_of(enrollment: Enrollment) -> Progress:
    total = Lesson.objects.filter(module__course_id=enrollment.course_id).count()
    done = enrollment.progress.count()
    return Progress(done=done, total=total)


def mark_complete(*, by: User, lesson: Lesson) -> Progress:
    """Record that ``by`` finished ``lesson``: once, however many times it is asked.

    The unique (enrollment, lesson) constraint decides between concurrent requests: the
    first insert wins, the others find the row. The last lesson completes the enrollment
    with a conditional UPDATE, so exactly one request enqueues the certificate.
    """
    enrollment = enrollment_of(by, lesson.course)
    if enrollment is None:
        raise Http404("You are not enrolled in this course.")
    try:
        with transaction.atomic():
            LessonProgress.objects.create(enrollment=enrollment, lesson=lesson)
    except IntegrityError:
        pass  # already complete: the same answer as the first time
    progress = progress_of(enrollment)
    if progress.total and progress.done >= progress.total:
        _complete(enrollment)
    return progress


def _complete(enrollment: Enrollment) -> bool:
    with transaction.atomic():
        completed = Enrollment.objects.filter(
            pk=enrollment.pk, status=Enrollment.Status.ACTIVE
        ).update(status=Enrollment.Status.COMPLETED, completed_at=timezone.now())
        if completed:
            enqueue_on_commit("certificates.issue_certificate", enrollment_id=enrollment.pk)
    return bool(completed)


def email_announcement(*, announcement: Announcement) -> int:
    """Email an announcement to every student taking its course; return how many."""
    students = Enrollment.objects.filter(
        course_id=announcement.course_id, status__in=Enrollment.SEAT_STATUSES
    ).select_related("student")
    count = 0
    for enrollment in students:
        enqueue_on_commit(
            "shared.send_templated_email",
            to=[enrollment.student.email],
            subject=f"{announcement.course.title}: {announcement.title}",
            template="enrollments/email/announcement",
            context={"course": announcement.course.title, "body": announcement.body},
            idempotency_key=f"announcement-{announcement.pk}-{enrollment.student_id}",
        )
        count += 1
    return count


# --- Bulk enrolment from a CSV file ------------------------------------------------------
def read_emails_csv(content: bytes) -> list[str]:
    """The emails of a CSV with an ``email`` column (other columns are ignored)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(gettext("The file is not UTF-8 text."), field="file") from None
    reader = csv.DictReader(io.StringIO(text))
    if "email" not in (reader.fieldnames or []):
        raise DomainError(
            gettext('The CSV needs a header row with an "email" column.'), field="file"
        )
    emails = [(row.get("email") or "").strip() for row in reader]
    if not emails:
        raise DomainError(gettext("The CSV has no rows."), field="file")
    if len(emails) > BULK_MAX_ROWS:
        message = gettext("At most %(rows)s rows per file.") % {"rows": BULK_MAX_ROWS}
        raise DomainError(message, field="file")
    return emails


@transaction.atomic
def start_bulk_enrollment(*, by: User, course: Course, content: bytes) -> BulkEnrollment:
    """Check the CSV, record it, and enqueue the job that enrols its students."""
    if not by.has_perm("courses.grade_course", course):
        raise PermissionDenied
    emails = read_emails_csv(content)
    job = start_job(
        name=f"Enrol {len(emails)} students in {course.title}", owner=by, total=len(emails)
    )
    bulk = BulkEnrollment.objects.create(course=course, created_by=by, job=job, emails=emails)
    enqueue_on_commit("enrollments.run_bulk_enrollment", bulk_id=bulk.pk, job_id=str(job.pk))
    return bulk


def run_bulk_enrollment(*, bulk: BulkEnrollment, job: TaskProgress) -> int:
    """Enrol each row's student (a seat or the waitlist), reporting progress as it goes.

    A row that cannot be enrolled (no account, already enrolled, course closed) goes to the
    error report; the others are enrolled. Run again, it finds its work done and stops."""
    if not job.begin():
        return bulk.enrolled
    users = get_user_model().objects
    errors = io.StringIO()
    report = csv.writer(errors)
    report.writerow(["row", "email", "reason"])
    enrolled = 0
    for row, email in enumerate(bulk.emails, start=2):  # row 1 is the header
        student = users.filter(email__iexact=email).first() if email else None
        if student is None:
            report.writerow([row, email, "No account with this email."])
        else:
            try:
                enroll(by=student, course=bulk.course)
            except DomainError as error:
                report.writerow([row, email, error.message])
            else:
                enrolled += 1
        job.update(row - 1)
    bulk.enrolled = enrolled
    bulk.error_report = errors.getvalue()
    bulk.save(update_fields=["enrolled", "error_report"])
    failed = len(bulk.emails) - enrolled
    job.succeed(
        result_url=f"/bulk-enrollments/{bulk.pk}/",
        message=f"{enrolled} enrolled, {failed} in the error report.",
    )
    return enrolled
