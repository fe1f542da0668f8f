"""The assignments API: assignments, multipart submissions, and grading."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from assignments import services
from assignments.models import Assignment, Submission


class AssignmentSerializer(serializers.ModelSerializer):
    course = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id", "course", "title", "instructions", "due_at", "late_policy",
            "late_penalty_percent", "max_points",
        ]  # fmt: skip


class SubmissionSerializer(serializers.ModelSerializer):
    student = serializers.EmailField(source="enrollment.student.email", read_only=True)
    final_points = serializers.IntegerField(read_only=True, allow_null=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id", "assignment", "student", "original_name", "size", "submitted_at", "is_late",
            "points", "final_points", "feedback", "graded_at", "file_url",
        ]  # fmt: skip

    def get_file_url(self, submission: Submission) -> str:
        # The page door's URL, which checks who asks: the file itself has no public URL.
        return f"/files/submissions/{submission.pk}/"


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class GradeSerializer(serializers.Serializer):
    points = serializers.IntegerField(min_value=0)
    feedback = serializers.CharField(required=False, allow_blank=True, default="")


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Assignments of the courses I take or teach."""

    serializer_class = AssignmentSerializer
    filterset_fields = {"course__slug": ["exact"]}

    def get_queryset(self):
        return (
            Assignment.objects.visible_to(self.request.user).select_related("course").order_by("pk")
        )

    @extend_schema(
        request={"multipart/form-data": UploadSerializer},
        responses={201: SubmissionSerializer},
        description="Hand in a file (multipart). 400 when the file is too large, of a type "
        "not accepted, or not what its name says; 409 after the deadline of a no-late-work "
        "assignment or once graded.",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def submission(self, request: Request, pk: str) -> Response:
        data = UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = services.submit(
            by=request.user, assignment=self.get_object(), file=data.validated_data["file"]
        )
        return Response(SubmissionSerializer(submission).data, status=201)


class SubmissionViewSet(viewsets.ReadOnlyModelViewSet):
    """My submissions; for staff, those of their courses (``?assignment=<id>``)."""

    serializer_class = SubmissionSerializer
    filterset_fields = ["assignment"]

    def get_queryset(self):
        return (
            Submission.objects.visible_to(self.request.user)
            .select_related("assignment", "enrollment__student")
            .order_by("pk")
        )

    @extend_schema(
        request=GradeSerializer,
        responses={200: SubmissionSerializer},
        examples=[
            OpenApiExample(
                "Grade", value={"points": 85, "feedback": "Clear and tested."}, request_only=True
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def grade(self, request: Request, pk: str) -> Response:
        """Grade a submission (the course's instructors and teaching assistants)."""
        data = GradeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = services.grade(
            by=request.user, submission=self.get_object(), **data.validated_data
        )
        return Response(SubmissionSerializer(submission).data)
