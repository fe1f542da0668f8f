"""The live classroom's API: read the sessions of my courses and their results.

Running a session is done from the console page or over the socket; the API reads.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from classroom.models import LiveQuestion, LiveSession


class LiveQuestionSerializer(serializers.ModelSerializer):
    choices = serializers.ListField(child=serializers.CharField())
    tally = serializers.SerializerMethodField(help_text="How many students picked each choice.")

    class Meta:
        model = LiveQuestion
        fields = ["id", "prompt", "choices", "tally", "pushed_at"]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_tally(self, question: LiveQuestion) -> list[int]:
        # Counted from the prefetched answers: one query for the whole page, not one per question.
        counts = [0] * len(question.choices)
        for given in question.answers.all():
            if 0 <= given.choice < len(counts):
                counts[given.choice] += 1
        return counts


class LiveSessionSerializer(serializers.ModelSerializer):
    course = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    questions = LiveQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = LiveSession
        fields = ["id", "course", "opened_at", "closed_at", "questions"]


class LiveSessionViewSet(viewsets.ReadOnlyModelViewSet):
    """Live sessions of the courses I take part in or teach, with each question's tally."""

    serializer_class = LiveSessionSerializer
    filterset_fields = ["course__slug"]

    def get_queryset(self):
        return (
            LiveSession.objects.visible_to(self.request.user)
            .select_related("course")
            .prefetch_related(
                Prefetch("questions", queryset=LiveQuestion.objects.order_by("pk")),
                "questions__answers",
            )
        )
