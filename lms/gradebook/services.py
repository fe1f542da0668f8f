"""Reading grades: one course's gradebook (pages, CSV, API) and the weekly instructor digest.

The gradebook is built in a fixed number of queries whatever the class size: the students,
the quizzes, the assignments, every submitted attempt and every submission, then joined in
Python. Each quiz counts by its own rule (highest or last attempt).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Avg, Count, Q
from django.utils import timezone

from assignments.models import Assignment, Submission
from courses.models import Course, CourseStaff
from enrollments.models import Enrollment
from quizzes.models import Attempt, Quiz
from shared.tasks.base import enqueue_on_commit


@dataclass
class Row:
    enrollment: Enrollment
    quizzes: list[int | None] = field(default_factory=list)  # percent per quiz
    assignments: list[int | None] = field(default_factory=list)  # final points per assignment


@dataclass
class Gradebook:
    course: Course
    quizzes: list[Quiz]
    assignments: list[Assignment]
    rows: list[Row]


def gradebook(*, course: Course) -> Gradebook:
    enrollments = list(
        Enrollment.objects.filter(course=course, status__in=Enrollment.SEAT_STATUSES)
        .select_related("student")
        .order_by("student__full_name", "student__email")
    )
    quizzes = list(course.quizzes.all())
    assignments = list(course.assignments.all())
    attempts: dict[tuple[int, int], list[Attempt]] = {}
    for attempt in Attempt.objects.filter(
        quiz__course=course, status=Attempt.Status.SUBMITTED
    ).order_by("number"):
        attempts.setdefault((attempt.enrollment_id, attempt.quiz_id), []).append(attempt)
    submissions = {
        (s.enrollment_id, s.assignment_id): s
        for s in Submission.objects.filter(assignment__course=course).select_related("assignment")
    }
    rows = []
    for enrollment in enrollments:
        row = Row(enrollment=enrollment)
        for quiz in quizzes:
            tried = attempts.get((enrollment.pk, quiz.pk), [])
            if not tried:
                row.quizzes.append(None)
                continue
            counted = (
                tried[-1]
                if quiz.grading == Quiz.Grading.LAST
                else max(tried, key=lambda a: a.score or 0)
            )
            counted.max_score = counted.max_score or 0
            row.quizzes.append(counted.percent)
        for assignment in assignments:
            submission = submissions.get((enrollment.pk, assignment.pk))
            row.assignments.append(submission.final_points if submission else None)
        rows.append(row)
    return Gradebook(course=course, quizzes=quizzes, assignments=assignments, rows=rows)


def gradebook_csv(book: Gradebook) -> str:
    """The gradebook as CSV: one row per student, one column per quiz and assignment."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["student", "email", "status"]
        + [f"quiz: {q.title} (%)" for q in book.quizzes]
        + [f"assignment: {a.title} (/{a.max_points})" for a in book.assignments]
    )
    for row in book.rows:
        student = row.enrollment.student
        cells = [*row.quizzes, *row.assignments]
        writer.writerow(
            [student.get_full_name(), student.email, row.enrollment.status]
            + ["" if value is None else value for value in cells]
        )
    return out.getvalue()


def course_digest(*, course: Course, since_days: int = 7) -> dict[str, object]:
    """The week in one course: new enrollments, completion rate, quiz averages (JSON-safe)."""
    since = timezone.now() - timedelta(days=since_days)
    counts = course.enrollments.aggregate(
        new=Count("pk", filter=Q(enrolled_at__gte=since)),
        seated=Count("pk", filter=Q(status__in=Enrollment.SEAT_STATUSES)),
        completed=Count("pk", filter=Q(status=Enrollment.Status.COMPLETED)),
    )
    quiz_averages = [
        {"quiz": quiz.title, "average_score": round(quiz.average or 0, 1)}
        for quiz in course.quizzes.annotate(
            average=Avg("attempts__score", filter=Q(attempts__status=Attempt.Status.SUBMITTED))
        )
    ]
    seated = counts["seated"] or 0
    return {
        "course": course.title,
        "new_enrollments": counts["new"],
        "completion_rate": round(100 * counts["completed"] / seated) if seated else 0,
        "quiz_averages": quiz_averages,
    }


def send_instructor_digests() -> int:
    """Email each instructor of a published course the week's digest; return how many."""
    week = timezone.now().strftime("%G-W%V")
    sent = 0
    staff = CourseStaff.objects.filter(
        role=CourseStaff.Role.INSTRUCTOR, course__status=Course.Status.PUBLISHED
    ).select_related("course", "user")
    for row in staff:
        enqueue_on_commit(
            "shared.send_templated_email",
            to=[row.user.email],
            subject=f"Your week in {row.course.title}",
            template="gradebook/email/digest",
            context=course_digest(course=row.course),
            # One digest per instructor, course and ISO week, however often beat fires.
            idempotency_key=f"digest-{week}-{row.course_id}-{row.user_id}",
        )
        sent += 1
    return sent
