"""Live sessions of a course: the questions an instructor pushes and the students' answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from courses.models import Course, is_platform_admin
from enrollments.models import Enrollment


class LiveSessionQuerySet(models.QuerySet):
    def open(self) -> "LiveSessionQuerySet":
        return self.filter(closed_at__isnull=True)

    def visible_to(self, user) -> "LiveSessionQuerySet":
        """Sessions of the courses ``user`` takes part in (a seat) or teaches; every session
        for a platform admin. Outside it a session answers 404."""
        if is_platform_admin(user):
            return self
        if not user.is_authenticated:
            return self.none()
        seated = Enrollment.objects.filter(
            student=user, status__in=Enrollment.SEAT_STATUSES
        ).values("course_id")
        return self.filter(Q(course__staff__user=user) | Q(course_id__in=seated)).distinct()


class LiveSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="live_sessions")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = LiveSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            # One open session per course: two instructors clicking "open" get one session.
            models.UniqueConstraint(
                fields=["course"],
                condition=Q(closed_at__isnull=True),
                name="live_session_one_open_per_course",
            ),
        ]

    def __str__(self) -> str:
        return f"Live session of {self.course} ({'open' if self.is_open else 'closed'})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def current_question(self) -> "LiveQuestion | None":
        """The question pushed last: the one students answer now."""
        return self.questions.order_by("-pk").first()


class LiveQuestion(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="questions")
    prompt = models.CharField(max_length=300)
    # The choices' texts, in order; an answer stores the index of the one picked.
    choices = models.JSONField()
    pushed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.prompt

    def tally(self) -> list[int]:
        """How many students picked each choice, in the order of ``choices``."""
        counts = [0] * len(self.choices)
        rows = self.answers.values_list("choice").annotate(n=models.Count("pk"))
        for choice, n in rows:
            if 0 <= choice < len(counts):
                counts[choice] = n
        return counts

    def results(self) -> list[dict]:
        """Each choice with its count, for a template: [{"index", "text", "count"}, ...]."""
        return [
            {"index": index, "text": text, "count": count}
            for index, (text, count) in enumerate(zip(self.choices, self.tally(), strict=True))
        ]


class LiveAnswer(models.Model):
    question = models.ForeignKey(LiveQuestion, on_delete=models.CASCADE, related_name="answers")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_answers"
    )
    choice = models.PositiveSmallIntegerField()
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            # One answer per student and question: a second one (two tabs, a double click,
            # two sockets at once) is refused by the database, whatever the code above did.
            models.UniqueConstraint(fields=["question", "student"], name="live_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.student} → {self.choice} on {self.question_id}"
