"""The gradebook, its CSV, and the weekly digest."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assignments import services as assignment_services
from assignments.tests.factories import AssignmentFactory
from enrollments.tests.factories import EnrollmentFactory
from gradebook import services, tasks
from quizzes import services as quiz_services
from quizzes.models import Quiz
from quizzes.tests.factories import QuizFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded_course(course, student, instructor, settings, tmp_path):
    """Two students: one with two attempts and a graded submission, one with nothing."""
    settings.MEDIA_ROOT = tmp_path
    quiz = QuizFactory(course=course, title="Basics")
    assignment = AssignmentFactory(course=course, title="Essay", max_points=10)
    student.full_name = "Ann"
    student.save()
    EnrollmentFactory(course=course, student=student)
    EnrollmentFactory(course=course, student__full_name="Zed")
    good = quiz_services.start_attempt(by=student, quiz=quiz)
    question = quiz.questions.first()
    quiz_services.answer(
        by=student,
        attempt=good,
        question=question,
        choice_ids=[question.choices.get(is_correct=True).pk],
    )
    quiz_services.submit(by=student, attempt=good)
    quiz_services.submit(by=student, attempt=quiz_services.start_attempt(by=student, quiz=quiz))
    submission = assignment_services.submit(
        by=student, assignment=assignment, file=SimpleUploadedFile("a.txt", b"answer")
    )
    assignment_services.grade(by=instructor, submission=submission, points=7)
    return course, quiz


def test_the_gradebook_has_a_row_per_student_and_applies_each_quiz_rule(graded_course):
    course, quiz = graded_course
    book = services.gradebook(course=course)
    assert [(r.enrollment.student.full_name, r.quizzes, r.assignments) for r in book.rows] == [
        ("Ann", [50], [7]),
        ("Zed", [None], [None]),
    ]
    quiz.grading = Quiz.Grading.LAST
    quiz.save()
    assert services.gradebook(course=course).rows[0].quizzes == [0]


def test_the_gradebook_queries_do_not_grow_with_students(graded_course, django_assert_num_queries):
    course, _ = graded_course
    with django_assert_num_queries(5):
        services.gradebook(course=course)
    for _ in range(5):
        EnrollmentFactory(course=course)
    with django_assert_num_queries(5):
        services.gradebook(course=course)


def test_the_csv_has_a_column_per_quiz_and_assignment(graded_course):
    course, _ = graded_course
    lines = services.gradebook_csv(services.gradebook(course=course)).splitlines()
    assert lines[0] == "student,email,status,quiz: Basics (%),assignment: Essay (/10)"
    assert lines[1] == "Ann,student@example.com,active,50,7"
    assert lines[2].endswith(",active,,")


def test_the_digest_counts_the_week(graded_course):
    course, _ = graded_course
    digest = services.course_digest(course=course)
    assert digest["new_enrollments"] == 2 and digest["completion_rate"] == 0
    assert digest["quiz_averages"] == [{"quiz": "Basics", "average_score": 0.5}]


def test_one_digest_per_instructor_and_week(
    graded_course, instructor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_instructor_digests() == 1
        tasks.send_instructor_digests()
    digests = [m for m in mailoutbox if m.subject.startswith("Your week")]
    assert [m.to for m in digests] == [[instructor.email]]
    assert "Completion rate: 0%" in digests[0].body
