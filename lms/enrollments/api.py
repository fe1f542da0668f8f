"""The enrollments API: enrol, drop, my enrollments with progress, and marking lessons complete."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import Course, Lesson
from enrollments import services
from enrollments.models import Enrollment


class EnrollmentSerializer(serializers.ModelSerializer):
    course = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    student = serializers.EmailField(source="student.email", read_only=True)
    lessons_done = serializers.IntegerField(read_only=True)
    lessons_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id", "course", "student", "status", "waitlist_position", "enrolled_at",
            "completed_at", "lessons_done", "lessons_total",
        ]  # fmt: skip


class EnrolSerializer(serializers.Serializer):
    course = serializers.SlugField(help_text="The course's slug")


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()


ENROLLMENT_EXAMPLE = OpenApiExample(
    "On the waitlist",
    value={
        "id": 7, "course": "python-for-beginners", "student": "ann@example.com",
        "status": "waitlisted", "waitlist_position": 3, "enrolled_at": None,
        "completed_at": None, "lessons_done": 0, "lessons_total": 12,
    },
    response_only=True,
)  # fmt: skip


class EnrollmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """My enrollments (a student), or those of the courses I teach (staff)."""

    serializer_class = EnrollmentSerializer
    filterset_fields = ["status", "course__slug"]

    def get_queryset(self):
        return (
            Enrollment.objects.visible_to(self.request.user)
            .select_related("course", "student")
            .with_progress()
            .order_by("pk")
        )

    @extend_schema(
        request=EnrolSerializer,
        responses={201: EnrollmentSerializer},
        examples=[
            OpenApiExample("Enrol", value={"course": "python-for-beginners"}, request_only=True),
            ENROLLMENT_EXAMPLE,
        ],
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Take a seat, or the next place on the waitlist when the course is full (409 when
        already enrolled or the course is closed)."""
        data = EnrolSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = get_object_or_404(
            Course.objects.visible_to(request.user), slug=data.validated_data["course"]
        )
        enrollment = services.enroll(by=request.user, course=course)
        return Response(self._one(enrollment), status=201)

    @extend_schema(request=None, responses={200: EnrollmentSerializer})
    @action(detail=True, methods=["post"])
    def drop(self, request: Request, pk: str) -> Response:
        """Leave the course or the waitlist; a freed seat goes to the first waiting."""
        enrollment = services.drop(by=request.user, enrollment=self.get_object())
        return Response(self._one(enrollment))

    @extend_schema(responses={200: ProgressSerializer})
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: str) -> Response:
        progress = services.progress_of(self.get_object())
        return Response(ProgressSerializer(progress).data)

    def _one(self, enrollment: Enrollment) -> dict:
        return EnrollmentSerializer(self.get_queryset().get(pk=enrollment.pk)).data


class LessonCompleteView(APIView):
    """Mark a lesson complete: idempotent, the answer is the course's progress."""

    @extend_schema(
        request=None,
        responses={200: ProgressSerializer},
        examples=[
            OpenApiExample(
                "Progress", value={"done": 5, "total": 12, "percent": 42}, response_only=True
            )
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        lesson = get_object_or_404(
            Lesson.objects.filter(module__course__in=Course.objects.visible_to(request.user)),
            pk=pk,
        )
        progress = services.mark_complete(by=request.user, lesson=lesson)
        return Response(ProgressSerializer(progress).data)
