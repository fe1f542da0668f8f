"""The progress of a job as JSON: ``GET /api/v1/tasks/<uuid>/`` for clients that poll."""

from django.db.models import QuerySet
from rest_framework import generics, serializers

from shared.tasks.models import TaskProgress


class TaskProgressSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    is_finished = serializers.BooleanField(read_only=True)

    class Meta:
        model = TaskProgress
        fields = [
            "id",
            "name",
            "state",
            "current",
            "total",
            "percent",
            "message",
            "result_url",
            "is_finished",
            "created",
            "updated",
        ]
        read_only_fields = fields


class TaskProgressDetail(generics.RetrieveAPIView):  # type: ignore[type-arg]
    """The owner of a job, or staff, may read it; anyone else gets a 404, which
    does not even reveal that the job exists."""

    serializer_class = TaskProgressSerializer

    def get_queryset(self) -> QuerySet[TaskProgress]:
        return TaskProgress.objects.visible_to(self.request.user)
