"""The prescriptions API: /api/v1/prescriptions/."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from clinical import services
from clinical.api.base import PATIENT_PARAMETER, PatientScopedViewSet
from clinical.models import Encounter, Prescription
from clinical.services import ItemInput
from patients.access import clinical_patients


class PrescriptionItemSerializer(serializers.Serializer):
    drug = serializers.CharField(max_length=120)
    dose = serializers.CharField(max_length=60)
    frequency = serializers.CharField(max_length=60)
    duration_days = serializers.IntegerField(min_value=1, max_value=365)


class PrescriptionSerializer(serializers.ModelSerializer):
    encounter = serializers.IntegerField(source="encounter_id")
    items = PrescriptionItemSerializer(many=True, allow_empty=False)

    class Meta:
        model = Prescription
        fields = ["id", "encounter", "prescribed_by", "prescribed_at", "notes", "items"]
        read_only_fields = ["id", "prescribed_by", "prescribed_at"]


@extend_schema_view(
    list=extend_schema(summary="A patient's prescriptions", parameters=[PATIENT_PARAMETER])
)
class PrescriptionViewSet(PatientScopedViewSet):
    serializer_class = PrescriptionSerializer

    def scope_patients(self):
        return clinical_patients(self.request.user)  # a portal patient reads their own

    def get_queryset(self):
        return Prescription.objects.visible_to(self.request.user).with_items()

    def perform_create(self, serializer):
        data = serializer.validated_data
        encounter = get_object_or_404(
            Encounter.objects.visible_to(self.request.user), pk=data["encounter_id"]
        )
        serializer.instance = services.prescribe(
            by=self.request.user,
            encounter=encounter,
            items=[ItemInput(**item) for item in data["items"]],
            notes=data.get("notes", ""),
            client_ip=self.request.client_ip,
        )
