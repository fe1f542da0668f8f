"""Fixtures every LMS test may use (the shared plugin adds make_user, clients, concurrently...)."""

import pytest

from core.roles import INSTRUCTOR, PLATFORM_ADMIN, STUDENT
from courses.models import CourseStaff
from courses.tests.factories import CourseFactory, CourseStaffFactory
from enrollments.tests.factories import EnrollmentFactory
from quizzes.tests.factories import QuizFactory


@pytest.fixture
def student(make_user):
    return make_user(roles=[STUDENT], email="student@example.com")


@pytest.fixture
def other_student(make_user):
    return make_user(roles=[STUDENT], email="other@example.com")


@pytest.fixture
def instructor(make_user):
    return make_user(roles=[INSTRUCTOR], email="teacher@example.com")


@pytest.fixture
def assistant(make_user):
    return make_user(roles=[STUDENT], email="ta@example.com")


@pytest.fixture
def platform_admin(make_user):
    return make_user(roles=[PLATFORM_ADMIN], email="admin@example.com")


@pytest.fixture
def course(db, instructor, assistant):
    """A published course with three lessons, taught by ``instructor``, helped by ``assistant``."""
    course = CourseFactory(lessons=3, title="Python basics", slug="python-basics")
    CourseStaffFactory(course=course, user=instructor, role=CourseStaff.Role.INSTRUCTOR)
    CourseStaffFactory(course=course, user=assistant, role=CourseStaff.Role.ASSISTANT)
    return course


@pytest.fixture
def other_course(db, make_user):
    """Another published course, taught by someone else."""
    course = CourseFactory(lessons=1, title="Other course", slug="other-course")
    CourseStaffFactory(course=course, user=make_user(roles=[INSTRUCTOR], email="x@example.com"))
    return course


@pytest.fixture
def quiz(course):
    return QuizFactory(course=course, title="Basics quiz")


@pytest.fixture
def enrolled(course, student):
    return EnrollmentFactory(course=course, student=student)
