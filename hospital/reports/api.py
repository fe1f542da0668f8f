"""The reports API: /api/v1/reports/ (request, list, read, download when built)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action

from core.roles import REPORTING
from reports import services
from reports.models import DepartmentReport
from reports.views import download_response
from shared.accounts.roles import HasRole
from shared.tasks.api import TaskProgressSerializer
from staff.models import Department


class DepartmentReportSerializer(serializers.ModelSerializer):
    month = serializers.DateField(help_text="Any day of the month; stored as its first day.")
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), allow_null=True, required=False
    )
    job = TaskProgressSerializer(read_only=True)
    is_ready = serializers.BooleanField(read_only=True)

    class Meta:
        model = DepartmentReport
        fields = ["id", "month", "department", "requested_at", "built_at", "is_ready", "job"]
        read_only_fields = ["id", "requested_at", "built_at"]


@extend_schema_view(
    create=extend_schema(
        summary="Request a report; follow `job` (or /api/v1/tasks/<id>/) until built"
    ),
    download=extend_schema(
        summary="The built report as CSV or PDF",
        parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["csv", "pdf"])],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/pdf"): OpenApiTypes.BINARY,
        },
    ),
)
class DepartmentReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = DepartmentReportSerializer
    permission_classes = [HasRole.of(*REPORTING)]
    filter_backends: list = []

    def get_queryset(self):
        return DepartmentReport.objects.visible_to(self.request.user).with_related()

    def perform_create(self, serializer):
        serializer.instance = services.request_report(
            by=self.request.user,
            month=serializer.validated_data["month"],
            department=serializer.validated_data.get("department"),
        )

    @action(detail=True, methods=["get"], url_path=r"download/(?P<fmt>csv|pdf)")
    def download(self, request, pk=None, fmt="csv"):
        return download_response(self.get_object(), fmt)
