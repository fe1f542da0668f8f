"""factory_boy factories of the assignments app."""

from datetime import timedelta

import factory
from django.utils import timezone

from assignments.models import Assignment
from courses.tests.factories import CourseFactory


class AssignmentFactory(factory.django.DjangoModelFactory):
    """Due in three days, late work accepted with a 20% penalty, 100 points."""

    class Meta:
        model = Assignment

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Assignment {n}")
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
