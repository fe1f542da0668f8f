"""Quizzes (attempt limit, time limit, pass mark, grading rule), questions, attempts, answers."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Course, is_platform_admin
from enrollments.models import Enrollment


class QuizQuerySet(models.QuerySet):
    def visible_to(self, user) -> "QuizQuerySet":
        """Quizzes of the courses a user takes part in (active or completed) or teaches."""
        if is_platform_admin(user):
            return self
        if not user.is_authenticated:
            return self.none()
        taking = Enrollment.objects.filter(
            student=user, status__in=Enrollment.SEAT_STATUSES
        ).values("course")
        teaching = Course.objects.filter(staff__user=user).values("pk")
        return self.filter(Q(course__in=taking) | Q(course__in=teaching))


class Quiz(models.Model):
    class Grading(models.TextChoices):
        HIGHEST = "highest", _("Highest attempt")
        LAST = "last", _("Last attempt")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="quizzes")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    attempt_limit = models.PositiveSmallIntegerField(default=3)
    time_limit_minutes = models.PositiveSmallIntegerField(default=10)
    pass_mark = models.PositiveSmallIntegerField(default=60, help_text="Percent.")
    grading = models.CharField(max_length=8, choices=Grading.choices, default=Grading.HIGHEST)
    position = models.PositiveIntegerField(default=0)

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["course", "position", "pk"]
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(condition=Q(attempt_limit__gte=1), name="quiz_attempts_min_1"),
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="quiz_pass_mark_percent"),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("One answer")
        MULTIPLE = "multiple", _("Several answers")

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField()
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.SINGLE)
    points = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["quiz", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=300)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["question", "pk"]

    def __str__(self) -> str:
        return self.text


class AttemptQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AttemptQuerySet":
        """A student's own attempts, the attempts at the quizzes of a course one teaches."""
        if is_platform_admin(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(enrollment__student=user)
            | Q(quiz__course__in=Course.objects.filter(staff__user=user))
        )


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    # 1, 2, 3... per student and quiz: given under the enrollment's row lock, so no gap and
    # no duplicate (the unique constraint refuses one anyway).
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now)
    # The server's clock decides: an answer after this instant is refused.
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    auto_submitted = models.BooleanField(default=False)
    score = models.PositiveIntegerField(null=True, blank=True)
    max_score = models.PositiveIntegerField(default=0)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["quiz", "enrollment", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "quiz", "number"], name="attempt_number_unique"
            ),
            # At most one open attempt per student and quiz.
            models.UniqueConstraint(
                fields=["enrollment", "quiz"],
                condition=Q(status="in_progress"),
                name="attempt_one_open",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="attempt_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.number} ({self.enrollment.student})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS and timezone.now() < self.deadline

    @property
    def percent(self) -> int | None:
        if self.score is None:
            return None
        return round(100 * self.score / self.max_score) if self.max_score else 0

    @property
    def passed(self) -> bool:
        percent = self.percent
        return percent is not None and percent >= self.quiz.pass_mark


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choices = models.ManyToManyField(Choice, related_name="+")
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["attempt", "question"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt}: {self.question}"
