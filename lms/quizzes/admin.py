"""Admin for quizzes: questions inline on the quiz, choices inline on the question."""

from django.contrib import admin

from quizzes.models import Attempt, Choice, Question, Quiz


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    show_change_link = True


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 2


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "attempt_limit", "time_limit_minutes", "pass_mark"]
    list_select_related = ["course"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "quiz", "kind", "points"]
    inlines = [ChoiceInline]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["quiz", "enrollment", "number", "status", "score", "deadline"]
    list_select_related = ["quiz", "enrollment__student"]
    # Attempts are written by the services (numbering, grading): read only here.
    readonly_fields = [f.name for f in Attempt._meta.fields]
