"""Demo learners at different stages: one half-way, one finished (with a certificate),
a full course with a waitlist. Idempotent: a second run changes nothing."""

from django.contrib.auth import get_user_model

from courses.models import Course, Lesson
from enrollments import services
from enrollments.models import Enrollment

STUDENT_EMAIL = "student@lms.example"
FINISHER_EMAIL = "finisher@lms.example"
ASSISTANT_EMAIL = "ta@lms.example"


def _enrol(user, course: Course) -> Enrollment:
    existing = Enrollment.objects.filter(course=course, student=user).first()
    return existing or services.enroll(by=user, course=course)


def seed_demo() -> None:
    users = get_user_model().objects
    student = users.get(email=STUDENT_EMAIL)
    finisher = users.get(email=FINISHER_EMAIL)
    assistant = users.get(email=ASSISTANT_EMAIL)
    python = Course.objects.get(slug="python-for-beginners")
    django = Course.objects.get(slug="web-apps-with-django")
    masterclass = Course.objects.get(slug="data-masterclass")

    # The student: half-way through Python, just enrolled in Django.
    _enrol(student, python)
    _enrol(student, django)
    lessons = list(python.modules.first().lessons.all()) if python.modules.exists() else []
    for lesson in lessons[:2]:
        services.mark_complete(by=student, lesson=lesson)
    # The finisher: every lesson of Python (a certificate is issued by the job).
    _enrol(finisher, python)
    for lesson in Lesson.objects.filter(module__course=python):
        services.mark_complete(by=finisher, lesson=lesson)
    # The masterclass: full (two seats), the student third in line on the waitlist.
    _enrol(finisher, masterclass)
    _enrol(assistant, masterclass)
    _enrol(student, masterclass)
    # The TA assists Python and studies Django: a role of one course only.
    _enrol(assistant, django)
