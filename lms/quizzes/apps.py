"""The quizzes app: quizzes with attempt and time limits, questions, attempts and answers."""

from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    default_auto_field = "django.db.models.BigAutoField"
