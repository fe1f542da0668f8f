"""The observations API: /api/v1/observations/ (record, correct with `supersedes`)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response

from clinical import services
from clinical.api.base import PATIENT_PARAMETER, PatientScopedViewSet
from clinical.models import Encounter, Observation


class ObservationSerializer(serializers.ModelSerializer):
    is_superseded = serializers.BooleanField(read_only=True, default=False)
    encounter = serializers.IntegerField(source="encounter_id", required=False)
    supersedes = serializers.IntegerField(source="supersedes_id", required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=Observation.Kind.choices, required=False)

    class Meta:
        model = Observation
        fields = [
            "id",
            "encounter",
            "kind",
            "value",
            "unit",
            "text",
            "recorded_by",
            "recorded_at",
            "supersedes",
            "correction_reason",
            "is_superseded",
        ]
        read_only_fields = ["id", "unit", "recorded_by", "recorded_at"]

    def validate(self, attrs):
        if attrs.get("supersedes_id"):
            return attrs  # a correction: the encounter and kind are those of the original
        errors = {}
        if not attrs.get("encounter_id"):
            errors["encounter"] = ["Name the encounter (or `supersedes` for a correction)."]
        if not attrs.get("kind"):
            errors["kind"] = ["This field is required."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


@extend_schema_view(
    list=extend_schema(
        summary="A patient's observations, superseded ones included", parameters=[PATIENT_PARAMETER]
    ),
    create=extend_schema(
        summary="Record an observation, or a correction (with `supersedes` and `correction_reason`)"
    ),
)
class ObservationViewSet(PatientScopedViewSet):
    serializer_class = ObservationSerializer

    def get_queryset(self):
        return (
            Observation.objects.visible_to(self.request.user)
            .with_history_flag()
            .select_related("encounter__patient")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        if data.get("supersedes_id"):
            original = get_object_or_404(
                Observation.objects.visible_to(user), pk=data["supersedes_id"]
            )
            created = services.correct_observation(
                by=user,
                original=original,
                reason=data.get("correction_reason", ""),
                value=data.get("value"),
                text=data.get("text", ""),
                client_ip=request.client_ip,
            )
        else:
            encounter = get_object_or_404(
                Encounter.objects.visible_to(user), pk=data["encounter_id"]
            )
            created = services.record_observation(
                by=user,
                encounter=encounter,
                kind=data["kind"],
                value=data.get("value"),
                text=data.get("text", ""),
                client_ip=request.client_ip,
            )
        return Response(ObservationSerializer(created).data, status=status.HTTP_201_CREATED)
