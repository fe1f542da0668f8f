"""The quizzes API: list a course's quizzes, start an attempt, answer, submit, read results;
and, for a course's instructors, write a quiz (the same services as the quiz editor's pages)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from courses.models import Course
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


# --- Writing a quiz (staff) ---------------------------------------------------------------
class QuizWriteSerializer(serializers.Serializer):
    """A quiz's settings, as the instructor sends them; the service checks the ranges."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    attempt_limit = serializers.IntegerField(default=3)
    time_limit_minutes = serializers.IntegerField(default=10)
    pass_mark = serializers.IntegerField(default=60, help_text="Percent.")
    grading = serializers.ChoiceField(choices=Quiz.Grading.choices, default=Quiz.Grading.HIGHEST)


class QuizCreateSerializer(QuizWriteSerializer):
    course = serializers.SlugField(help_text="The course's slug")


class ChoiceKeySerializer(serializers.ModelSerializer):
    """A choice with its place in the answer key: only ever sent to the course's builders."""

    class Meta:
        model = Choice
        fields = ["id", "text", "is_correct"]


class QuestionKeySerializer(serializers.ModelSerializer):
    choices = ChoiceKeySerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "text", "kind", "points", "position", "choices"]


class ChoiceWriteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    is_correct = serializers.BooleanField(default=False)


class QuestionWriteSerializer(serializers.Serializer):
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    points = serializers.IntegerField(default=1)
    choices = ChoiceWriteSerializer(many=True)

    def values(self) -> dict:
        """The validated data as the service's keyword arguments."""
        data = dict(self.validated_data)
        data["choices"] = [services.ChoiceDraft(**choice) for choice in data["choices"]]
        return data


QUESTION_EXAMPLE = OpenApiExample(
    "A one-answer question",
    value={
        "text": "Which keyword starts a loop?", "kind": "single", "points": 1,
        "choices": [{"text": "for", "is_correct": True}, {"text": "if", "is_correct": False}],
    },
    request_only=True,
)  # fmt: skip
QUESTION_ID = OpenApiParameter("question_pk", int, OpenApiParameter.PATH)


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
    """Quizzes of the courses I take or teach (``?course=<slug>`` to filter); a course's
    instructors also create and change them, with their questions (403 for the others who
    may see the quiz; its questions are locked once a student has started it, 409)."""

    serializer_class = QuizSerializer
    filterset_fields = {"course__slug": ["exact"]}

    def get_queryset(self):
        return Quiz.objects.visible_to(self.request.user).select_related("course").order_by("pk")

    @extend_schema(request=QuizCreateSerializer, responses={201: QuizSerializer})
    def create(self, request: Request) -> Response:
        data = QuizCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        course = get_object_or_404(
            Course.objects.visible_to(request.user), slug=values.pop("course")
        )
        quiz = services.create_quiz(by=request.user, course=course, **values)
        return Response(QuizSerializer(quiz).data, status=201)

    @extend_schema(request=QuizWriteSerializer, responses={200: QuizSerializer})
    def update(self, request: Request, pk: str) -> Response:
        """Replace the quiz's settings (every field; allowed after attempts)."""
        data = QuizWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        quiz = services.update_quiz(by=request.user, quiz=self.get_object(), **data.validated_data)
        return Response(QuizSerializer(quiz).data)

    @extend_schema(
        request=QuestionWriteSerializer,
        responses={201: QuestionKeySerializer},
        examples=[QUESTION_EXAMPLE],
    )
    @action(detail=True, methods=["post"])
    def questions(self, request: Request, pk: str) -> Response:
        """Add a question, last, with its choices (400 when the answer key breaks a rule)."""
        data = QuestionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.save_question(by=request.user, quiz=self.get_object(), **data.values())
        return Response(QuestionKeySerializer(question).data, status=201)

    @extend_schema(
        methods=["PUT"],
        parameters=[QUESTION_ID],
        request=QuestionWriteSerializer,
        responses={200: QuestionKeySerializer},
    )
    @extend_schema(
        methods=["DELETE"], parameters=[QUESTION_ID], request=None, responses={204: None}
    )
    @action(detail=True, methods=["put", "delete"], url_path=r"questions/(?P<question_pk>[0-9]+)")
    def question(self, request: Request, pk: str, question_pk: str) -> Response:
        """Rewrite a question and its choices, or delete it."""
        quiz = self.get_object()
        question = get_object_or_404(quiz.questions, pk=question_pk)
        if request.method == "DELETE":
            services.delete_question(by=request.user, question=question)
            return Response(status=204)
        data = QuestionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.save_question(
            by=request.user, quiz=quiz, question=question, **data.values()
        )
        return Response(QuestionKeySerializer(question).data)

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
