"""factory_boy factories of the courses app."""

import factory

from courses.models import Announcement, Course, CourseStaff, Lesson, Module, Tag
from shared.testing.factories import UserFactory


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class CourseFactory(factory.django.DjangoModelFactory):
    """A published course with room for 30; ``CourseFactory(lessons=3)`` adds a module."""

    class Meta:
        model = Course
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "A course."
    status = Course.Status.PUBLISHED
    capacity = 30

    @factory.post_generation
    def lessons(self, create, extracted, **kwargs):
        if extracted:
            module = ModuleFactory(course=self)
            for _ in range(extracted):
                LessonFactory(module=module)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    position = factory.Sequence(lambda n: n)


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    position = factory.Sequence(lambda n: n)
    body = "Some **text**."


class CourseStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseStaff

    course = factory.SubFactory(CourseFactory)
    user = factory.SubFactory(UserFactory)
    role = CourseStaff.Role.INSTRUCTOR


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    course = factory.SubFactory(CourseFactory)
    title = "Welcome"
    body = "Hello class."
