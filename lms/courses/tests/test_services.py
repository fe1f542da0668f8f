"""Building a course through its services: each use case and each refusal."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from courses import services
from courses.models import Course, Lesson
from courses.tests.factories import CourseFactory, LessonFactory, ModuleFactory
from enrollments import services as enrollment_services
from enrollments.tests.factories import EnrollmentFactory
from shared.errors import Conflict, DomainError

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_an_instructor_creates_a_draft_and_is_its_instructor(instructor):
    course = services.create_course(by=instructor, title="Go basics", tags=["Go", " go ", "CLI"])
    assert course.status == Course.Status.DRAFT
    assert course.slug == "go-basics"
    assert instructor.has_perm("courses.build_course", course)
    assert sorted(course.tags.values_list("slug", flat=True)) == ["cli", "go"]
    assert services.create_course(by=instructor, title="Go basics").slug == "go-basics-2"


def test_a_student_cannot_create_a_course(student):
    with pytest.raises(PermissionDenied):
        services.create_course(by=student, title="Mine")


def test_dates_must_be_in_order(instructor):
    with pytest.raises(DomainError) as error:
        services.create_course(
            by=instructor,
            title="Backwards",
            starts_on=datetime.date(2026, 2, 1),
            ends_on=datetime.date(2026, 1, 1),
        )
    assert error.value.field == "ends_on"


def _update(course, by, **changes):
    values = {
        "title": course.title,
        "summary": "",
        "description": "",
        "capacity": course.capacity,
        "starts_on": None,
        "ends_on": None,
        "tags": [],
    }
    return services.update_course(by=by, course=course, **{**values, **changes})


def test_capacity_cannot_drop_below_the_seats_taken(course, instructor):
    EnrollmentFactory(course=course)
    EnrollmentFactory(course=course)
    with pytest.raises(DomainError) as error:
        _update(course, instructor, capacity=1)
    assert error.value.field == "capacity"
    assert _update(course, instructor, capacity=2, title="Renamed").title == "Renamed"


def test_more_capacity_promotes_the_waitlist(
    course, instructor, student, django_capture_on_commit_callbacks
):
    course.capacity = 0
    course.save()
    waiting = enrollment_services.enroll(by=student, course=course)
    assert waiting.status == "waitlisted"
    with django_capture_on_commit_callbacks(execute=True):
        _update(course, instructor, capacity=5)
    waiting.refresh_from_db()
    assert waiting.status == "active"


def test_an_assistant_may_grade_but_not_build(course, assistant):
    assert assistant.has_perm("courses.grade_course", course)
    with pytest.raises(PermissionDenied):
        _update(course, assistant, title="No")


def test_publish_needs_a_lesson_and_moves_once(instructor):
    course = services.create_course(by=instructor, title="Empty")
    with pytest.raises(Conflict):
        services.apply_transition(by=instructor, course=course, action="publish")
    module = services.add_module(by=instructor, course=course, title="One")
    services.add_lesson(by=instructor, module=module, title="First", body="Hi")
    assert services.apply_transition(by=instructor, course=course, action="publish").status == (
        "published"
    )
    with pytest.raises(Conflict):
        services.apply_transition(by=instructor, course=course, action="publish")
    with pytest.raises(DomainError):
        services.apply_transition(by=instructor, course=course, action="explode")
    assert services.apply_transition(by=instructor, course=course, action="archive").status == (
        "archived"
    )


def test_lessons_of_each_kind_need_their_content(course, instructor):
    module = course.modules.first()
    with pytest.raises(DomainError) as error:
        services.add_lesson(by=instructor, module=module, title="V", kind=Lesson.Kind.VIDEO)
    assert error.value.field == "video_url"
    with pytest.raises(DomainError) as error:
        services.add_lesson(by=instructor, module=module, title="F", kind=Lesson.Kind.FILE)
    assert error.value.field == "attachment"
    with pytest.raises(DomainError):
        services.add_lesson(by=instructor, module=module, title="?", kind="hologram")
    video = services.add_lesson(
        by=instructor, module=module, title="V", kind="video", video_url="https://v.example/1"
    )
    assert video.position == 4


def test_a_file_lesson_stores_the_file_under_a_generated_name(
    course, instructor, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("../../etc/notes.pdf", PDF)
    lesson = services.add_lesson(
        by=instructor, module=course.modules.first(), title="Slides", kind="file", attachment=upload
    )
    assert lesson.attachment.name.startswith("protected/lessons/")
    assert "notes" not in lesson.attachment.name and lesson.attachment.name.endswith(".pdf")
    assert lesson.attachment_name == "notes.pdf"  # shown to learners, never used on disk


def test_reorder_modules_and_lessons(course, instructor):
    second = ModuleFactory(course=course, title="Second")
    first = course.modules.exclude(pk=second.pk).get()
    services.reorder_modules(by=instructor, course=course, order=[second.pk, first.pk])
    assert list(course.modules.all()) == [second, first]
    with pytest.raises(DomainError):
        services.reorder_modules(by=instructor, course=course, order=[second.pk])

    lessons = list(first.lessons.all())
    services.reorder_lessons(
        by=instructor, module=first, order=[lessons[2].pk, lessons[0].pk, lessons[1].pk]
    )
    assert list(first.lessons.all()) == [lessons[2], lessons[0], lessons[1]]
    with pytest.raises(DomainError):
        services.reorder_lessons(by=instructor, module=first, order=[lessons[0].pk] * 3)


def test_move_swaps_with_the_neighbour(course, instructor):
    module = course.modules.first()
    a, b, c = module.lessons.all()
    services.move(by=instructor, item=c, direction="up")
    assert list(module.lessons.all()) == [a, c, b]
    services.move(by=instructor, item=a, direction="up")  # already first: nothing moves
    assert list(module.lessons.all()) == [a, c, b]
    other = ModuleFactory(course=course)
    services.move(by=instructor, item=module, direction="down")
    assert list(course.modules.all()) == [other, module]
    with pytest.raises(DomainError):
        services.move(by=instructor, item=module, direction="sideways")


def test_add_staff(course, instructor, make_user):
    helper = make_user()
    staff = services.add_staff(by=instructor, course=course, user=helper, role="assistant")
    assert staff.role == "assistant" and helper.has_perm("courses.grade_course", course)
    with pytest.raises(DomainError):
        services.add_staff(by=instructor, course=course, user=helper, role="boss")


def test_an_announcement_is_emailed_to_students_once(
    course, instructor, mailoutbox, django_capture_on_commit_callbacks
):
    first = EnrollmentFactory(course=course)
    EnrollmentFactory(course=course, status="dropped")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_announcement(by=instructor, course=course, title="Exam", body="Friday.")
    assert [m.to for m in mailoutbox] == [[first.student.email]]
    assert "Exam" in mailoutbox[0].subject


def test_lesson_order_spans_modules(course):
    # After the course's own modules, whatever positions the factory's sequence gave them.
    after = max(course.modules.values_list("position", flat=True)) + 1
    later = ModuleFactory(course=course, position=after)
    last = LessonFactory(module=later)
    assert list(Lesson.objects.filter(module__course=course))[-1] == last
    assert CourseFactory().seats_left == 30
