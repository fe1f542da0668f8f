"""The courses API: the catalogue (read), and building a course (instructors)."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from courses import services
from courses.models import Course, Lesson, Module


class LessonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lesson
        fields = ["id", "title", "position", "kind"]


class ModuleSerializer(serializers.ModelSerializer):
    lessons = LessonSerializer(many=True, read_only=True)

    class Meta:
        model = Module
        fields = ["id", "title", "position", "lessons"]


class CourseSerializer(serializers.ModelSerializer):
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    seats_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Course
        fields = [
            "id", "slug", "title", "summary", "status", "capacity", "seats_left",
            "starts_on", "ends_on", "tags",
        ]  # fmt: skip
        read_only_fields = ["slug", "status"]


class CourseDetailSerializer(CourseSerializer):
    modules = ModuleSerializer(many=True, read_only=True)

    class Meta(CourseSerializer.Meta):
        fields = [*CourseSerializer.Meta.fields, "description", "modules"]


class CourseWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=300, required=False, default="")
    description = serializers.CharField(required=False, default="")
    capacity = serializers.IntegerField(min_value=1, max_value=10_000, default=30)
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), default=list)


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(Course.TRANSITIONS))


class ModuleWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)


class ReorderSerializer(serializers.Serializer):
    order = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


COURSE_EXAMPLE = OpenApiExample(
    "A published course",
    value={
        "id": 1, "slug": "python-for-beginners", "title": "Python for beginners",
        "summary": "From zero to scripts", "status": "published", "capacity": 30,
        "seats_left": 12, "starts_on": "2026-01-12", "ends_on": "2026-03-30",
        "tags": ["python", "programming"],
    },
    response_only=True,
)  # fmt: skip


@extend_schema(
    parameters=[
        OpenApiParameter("search", str, description="Words of the title or summary"),
        OpenApiParameter("tag", str, description="A tag's slug"),
    ]
)
class CourseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The catalogue: anyone may read the published courses; staff also see their drafts.

    A course outside ``visible_to`` answers 404, never 403."""

    lookup_field = "slug"
    search_fields = ["title", "summary"]
    ordering_fields = ["title", "starts_on"]

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_queryset(self):
        courses = Course.objects.visible_to(self.request.user).prefetch_related("tags")
        if tag := self.request.query_params.get("tag"):
            courses = courses.filter(tags__slug=tag)
        if self.action == "retrieve":
            courses = courses.prefetch_related("modules__lessons")
        return courses

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CourseDetailSerializer
        if self.action == "create":
            return CourseWriteSerializer
        return CourseSerializer

    @extend_schema(
        request=CourseWriteSerializer,
        responses={201: CourseSerializer},
        examples=[
            OpenApiExample(
                "A new draft",
                value={"title": "Django in depth", "capacity": 25, "tags": ["python", "web"]},
                request_only=True,
            ),
            COURSE_EXAMPLE,
        ],
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = CourseWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = services.create_course(by=request.user, **data.validated_data)
        return Response(CourseSerializer(course).data, status=201)

    @extend_schema(examples=[COURSE_EXAMPLE])
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=TransitionSerializer, responses={200: CourseSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, slug: str) -> Response:
        """Publish, unpublish or archive (instructors of the course)."""
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        course = services.apply_transition(
            by=request.user, course=self.get_object(), action=data.validated_data["action"]
        )
        return Response(CourseSerializer(course).data)

    @extend_schema(request=ModuleWriteSerializer, responses={201: ModuleSerializer})
    @action(detail=True, methods=["post"])
    def modules(self, request: Request, slug: str) -> Response:
        """Add a module at the end of the syllabus."""
        data = ModuleWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        module = services.add_module(
            by=request.user, course=self.get_object(), title=data.validated_data["title"]
        )
        return Response(ModuleSerializer(module).data, status=201)

    @extend_schema(
        request=ReorderSerializer,
        responses={200: ModuleSerializer(many=True)},
        examples=[OpenApiExample("New order", value={"order": [3, 1, 2]}, request_only=True)],
    )
    @action(detail=True, methods=["post"], url_path="modules/reorder")
    def reorder_modules(self, request: Request, slug: str) -> Response:
        """Put the modules in this order of ids."""
        course = self.get_object()
        data = ReorderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.reorder_modules(by=request.user, course=course, order=data.validated_data["order"])
        return Response(ModuleSerializer(course.modules.all(), many=True).data)
