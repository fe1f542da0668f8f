"""Demo quizzes: one per published demo course, and a submitted attempt for the demo student.
Idempotent: quizzes are keyed by course and title."""

from django.contrib.auth import get_user_model
from django.db import transaction

from courses.models import Course
from quizzes import services
from quizzes.models import Attempt, Choice, Question, Quiz

QUESTIONS = [
    ("Which keyword defines a function?", Question.Kind.SINGLE, ["def", "func", "lambda!"], {0}),
    ("Which are Python collection types?", Question.Kind.MULTIPLE, ["list", "dict", "int"], {0, 1}),
    ("What does len('abc') return?", Question.Kind.SINGLE, ["2", "3", "'abc'"], {1}),
]


def make_quiz(course: Course, title: str, **options) -> Quiz:
    quiz, created = Quiz.objects.get_or_create(course=course, title=title, defaults=options)
    if created:
        for position, (text, kind, choices, correct) in enumerate(QUESTIONS, start=1):
            question = Question.objects.create(quiz=quiz, text=text, kind=kind, position=position)
            Choice.objects.bulk_create(
                Choice(question=question, text=choice, is_correct=n in correct)
                for n, choice in enumerate(choices)
            )
    return quiz


@transaction.atomic
def seed_demo() -> None:
    for course in Course.objects.filter(status=Course.Status.PUBLISHED).exclude(
        slug__startswith="bulk-"
    ):
        make_quiz(course, f"{course.title}: check your understanding", time_limit_minutes=10)
    # The demo student has tried the Python quiz once (and may try twice more).
    student = get_user_model().objects.get(email="student@lms.example")
    quiz = Quiz.objects.get(course__slug="python-for-beginners")
    if not Attempt.objects.filter(quiz=quiz, enrollment__student=student).exists():
        attempt = services.start_attempt(by=student, quiz=quiz)
        first = quiz.questions.first()
        services.answer(
            by=student,
            attempt=attempt,
            question=first,
            choice_ids=[first.choices.get(is_correct=True).pk],
        )
        services.submit(by=student, attempt=attempt)


# The load test's catalogue is 60 generated courses; the benchmark's 10,000 need no quizzes.
BULK_QUIZZES = 200


def seed_bulk(count: int) -> None:
    """A quiz in each of the first generated courses, so load tests can take one anywhere."""
    courses = Course.objects.filter(slug__startswith="bulk-course-").order_by("pk")
    for course in courses[: min(count, BULK_QUIZZES)]:
        make_quiz(course, "Quick check", time_limit_minutes=30, attempt_limit=50)
