"""The quizzes API: list a course's quizzes, start an attempt, answer, submit, read results."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from quizzes import services
from quizzes.models import Attempt, Choice, Question, Quiz


class ChoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Choice
        fields = ["id", "text"]  # never is_correct: that is the answer key


class QuestionSerializer(serializers.ModelSerializer):
    choices = ChoiceSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "text", "kind", "points", "choices"]


class QuizSerializer(serializers.ModelSerializer):
    course = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Quiz
        fields = [
            "id", "course", "title", "attempt_limit", "time_limit_minutes", "pass_mark",
            "grading",
        ]  # fmt: skip


class AttemptSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    passed = serializers.BooleanField(read_only=True)

    class Meta:
        model = Attempt
        fields = [
            "id", "quiz", "number", "status", "started_at", "deadline", "submitted_at",
            "auto_submitted", "score", "max_score", "percent", "passed",
        ]  # fmt: skip


class AttemptDetailSerializer(AttemptSerializer):
    questions = QuestionSerializer(source="quiz.questions", many=True, read_only=True)

    class Meta(AttemptSerializer.Meta):
        fields = [*AttemptSerializer.Meta.fields, "questions"]


class AnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    choices = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


ATTEMPT_EXAMPLE = OpenApiExample(
    "A started attempt",
    value={
        "id": 41, "quiz": 3, "number": 2, "status": "in_progress",
        "started_at": "2026-03-02T10:00:00Z", "deadline": "2026-03-02T10:10:00Z",
        "submitted_at": None, "auto_submitted": False, "score": None, "max_score": 5,
        "percent": None, "passed": False,
    },
    response_only=True,
)  # fmt: skip


class QuizViewSet(viewsets.ReadOnlyModelViewSet):
    """Quizzes of the courses I take or teach (``?course=<slug>`` to filter)."""

    serializer_class = QuizSerializer
    filterset_fields = {"course__slug": ["exact"]}

    def get_queryset(self):
        return Quiz.objects.visible_to(self.request.user).select_related("course").order_by("pk")

    @extend_schema(
        request=None, responses={201: AttemptDetailSerializer}, examples=[ATTEMPT_EXAMPLE]
    )
    @action(detail=True, methods=["post"])
    def attempts(self, request: Request, pk: str) -> Response:
        """Start an attempt (or resume the open one); 409 once the attempt limit is used."""
        attempt = services.start_attempt(by=request.user, quiz=self.get_object())
        return Response(AttemptDetailSerializer(attempt).data, status=201)


class AttemptViewSet(viewsets.ReadOnlyModelViewSet):
    """My attempts (and, for staff, those at their courses' quizzes); the student answers
    while the attempt is open (409 after the deadline) and submits it to be graded."""

    def get_queryset(self):
        return (
            Attempt.objects.visible_to(self.request.user)
            .select_related("quiz")
            .prefetch_related("quiz__questions__choices")
            .order_by("pk")
        )

    def get_serializer_class(self):
        return AttemptDetailSerializer if self.action == "retrieve" else AttemptSerializer

    @extend_schema(
        request=AnswerSerializer,
        responses={200: AttemptSerializer},
        examples=[
            OpenApiExample("Answer", value={"question": 12, "choices": [40]}, request_only=True)
        ],
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        attempt = self.get_object()
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = get_object_or_404(Question, pk=data.validated_data["question"])
        services.answer(
            by=request.user,
            attempt=attempt,
            question=question,
            choice_ids=data.validated_data["choices"],
        )
        return Response(AttemptSerializer(attempt).data)

    @extend_schema(request=None, responses={200: AttemptSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        attempt = services.submit(by=request.user, attempt=self.get_object())
        return Response(AttemptSerializer(attempt).data)
