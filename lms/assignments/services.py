"""Use cases of assignments: submit a file (checked), grade it, remind those who have not."""

# UploadedFile is generic only for the type checker, so annotations are not evaluated.
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from assignments.models import Assignment, Submission
from courses.services import require_perm
from courses.uploads import validate_upload
from enrollments.models import Enrollment
from shared.accounts.models import User
from shared.errors import Conflict, DomainError
from shared.tasks.base import enqueue_on_commit


class DeadlinePassed(Conflict):
    default_code = "deadline_passed"


@transaction.atomic
def submit(*, by: User, assignment: Assignment, file: UploadedFile[bytes]) -> Submission:
    """Hand in (or replace) the student's file, under the assignment's late policy."""
    enrollment = Enrollment.objects.filter(
        course_id=assignment.course_id, student=by, status__in=Enrollment.SEAT_STATUSES
    ).first()
    if enrollment is None:
        raise Http404("You are not enrolled in this course.")
    validate_upload(file, field="file")
    now = timezone.now()
    late = now > assignment.due_at
    if late and assignment.late_policy == Assignment.LatePolicy.REFUSE:
        raise DeadlinePassed(
            gettext("The deadline has passed; this assignment takes no late work.")
        )
    submission = (
        Submission.objects.select_for_update()
        .filter(assignment=assignment, enrollment=enrollment)
        .first()
    )
    if submission is not None and submission.points is not None:
        raise Conflict(gettext("This submission has been graded; it can no longer be replaced."))
    submission = submission or Submission(assignment=assignment, enrollment=enrollment)
    old_file = submission.file.name if submission.pk else None
    submission.original_name = (file.name or "submission")[:200]
    submission.size = file.size or 0
    submission.submitted_at = now
    submission.is_late = late
    submission.file.save(file.name or "submission", file, save=False)
    submission.save()
    if old_file:
        # The replaced file goes once the new one is committed (never before).
        storage = submission.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return submission


@transaction.atomic
def grade(*, by: User, submission: Submission, points: int, feedback: str = "") -> Submission:
    """Grade (or regrade) a submission; the student is emailed once per grading."""
    assignment = submission.assignment
    require_perm(by, "courses.grade_course", assignment.course)
    if not 0 <= points <= assignment.max_points:
        message = gettext("Give between 0 and %(max)s points.") % {"max": assignment.max_points}
        raise DomainError(message, field="points")
    submission.points = points
    submission.feedback = feedback
    submission.graded_by = by
    submission.graded_at = timezone.now()
    submission.save()
    enqueue_on_commit(
        "shared.send_templated_email",
        to=[submission.enrollment.student.email],
        subject=f"Graded: {assignment.title}",
        template="assignments/email/graded",
        context={
            "assignment": assignment.title,
            "points": submission.final_points,
            "max_points": assignment.max_points,
            "feedback": feedback,
        },
        idempotency_key=f"graded-{submission.pk}-{submission.graded_at:%Y%m%d%H%M%S%f}",
    )
    return submission


def send_deadline_reminders() -> int:
    """Email every student who has not submitted, once, about assignments due within the
    reminder window (settings.LMS_REMINDER_HOURS); return how many were enqueued."""
    now = timezone.now()
    window = now + timedelta(hours=settings.LMS_REMINDER_HOURS)
    count = 0
    due = Assignment.objects.filter(due_at__gt=now, due_at__lte=window).select_related("course")
    for assignment in due:
        pending = (
            Enrollment.objects.filter(course=assignment.course, status=Enrollment.Status.ACTIVE)
            .exclude(submissions__assignment=assignment)
            .select_related("student")
        )
        for enrollment in pending:
            enqueue_on_commit(
                "shared.send_templated_email",
                to=[enrollment.student.email],
                subject=f"Due soon: {assignment.title}",
                template="assignments/email/reminder",
                context={
                    "assignment": assignment.title,
                    "course": assignment.course.title,
                    "due": assignment.due_at.isoformat(),
                },
                # The job runs every 15 minutes: the key makes it one reminder per student.
                idempotency_key=f"reminder-{assignment.pk}-{enrollment.student_id}",
            )
            count += 1
    return count
