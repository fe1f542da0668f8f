"""factory_boy factories of the enrollments app."""

import factory
from django.utils import timezone

from courses.tests.factories import CourseFactory
from enrollments.models import Enrollment, LessonProgress
from shared.testing.factories import UserFactory


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """An active enrollment. It bypasses the service, so it also takes a seat by hand."""

    class Meta:
        model = Enrollment

    course = factory.SubFactory(CourseFactory)
    student = factory.SubFactory(UserFactory, roles=["student"])
    status = Enrollment.Status.ACTIVE
    enrolled_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        enrollment = super()._create(model_class, *args, **kwargs)
        if enrollment.status in Enrollment.SEAT_STATUSES:
            course = enrollment.course
            course.seats_taken += 1
            course.save(update_fields=["seats_taken"])
        return enrollment


class LessonProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonProgress

    enrollment = factory.SubFactory(EnrollmentFactory)
