"""factory_boy factories of the quizzes app."""

import factory

from courses.tests.factories import CourseFactory
from quizzes.models import Choice, Question, Quiz


class QuizFactory(factory.django.DjangoModelFactory):
    """A quiz with two single-choice questions of one point (the first choice is right)."""

    class Meta:
        model = Quiz
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Quiz {n}")
    attempt_limit = 3
    time_limit_minutes = 10
    pass_mark = 50

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        for n in range(2 if extracted is None else extracted):
            question = Question.objects.create(quiz=self, text=f"Question {n}", position=n)
            Choice.objects.create(question=question, text="right", is_correct=True)
            Choice.objects.create(question=question, text="wrong")
