"""factory_boy factories of the classroom app."""

import factory

from classroom.models import LiveQuestion, LiveSession
from courses.tests.factories import CourseFactory


class LiveSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiveSession

    course = factory.SubFactory(CourseFactory)


class LiveQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiveQuestion

    session = factory.SubFactory(LiveSessionFactory)
    prompt = "Which keyword defines a function?"
    choices = factory.LazyFunction(lambda: ["def", "fun", "function"])
