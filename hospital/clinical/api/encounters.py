"""The encounters API: /api/v1/encounters/ (open, read, close)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from clinical import services
from clinical.access import chart_patients
from clinical.api.base import PATIENT_PARAMETER, PatientScopedViewSet
from clinical.models import Encounter
from patients.models import Patient
from scheduling.models import Appointment
from staff.models import Doctor


class EncounterSerializer(serializers.ModelSerializer):
    # Plain ids, resolved by the view against what the user may see: an unknown id and
    # someone else's id both answer 404, so the API never confirms that a record exists.
    patient = serializers.IntegerField(source="patient_id")
    appointment = serializers.IntegerField(source="appointment_id", required=False, allow_null=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Encounter
        fields = [
            "id",
            "patient",
            "doctor",
            "appointment",
            "reason",
            "opened_at",
            "closed_at",
            "summary",
            "is_open",
        ]
        read_only_fields = ["id", "doctor", "opened_at", "closed_at", "summary"]


class CloseEncounterSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(summary="A patient's encounters", parameters=[PATIENT_PARAMETER]),
    create=extend_schema(
        summary="Open an encounter (the doctor, or a nurse for a checked-in appointment)"
    ),
)
class EncounterViewSet(PatientScopedViewSet):
    serializer_class = EncounterSerializer

    def get_queryset(self):
        return Encounter.objects.visible_to(self.request.user).with_related()

    def patient_filter(self, patient) -> dict:
        return {"patient": patient}

    def patient_of(self, instance) -> Patient:
        return instance.patient

    def perform_create(self, serializer):
        user = self.request.user
        data = serializer.validated_data
        patient = get_object_or_404(chart_patients(user), pk=data["patient_id"])
        appointment = None
        if data.get("appointment_id"):
            appointment = get_object_or_404(
                Appointment.objects.visible_to(user), pk=data["appointment_id"]
            )
        doctor = Doctor.objects.for_user(user).first()
        serializer.instance = services.open_encounter(
            by=user,
            patient=patient,
            doctor=None if appointment else doctor,
            appointment=appointment,
            reason=data.get("reason", ""),
            client_ip=self.request.client_ip,
        )

    @extend_schema(
        request=CloseEncounterSerializer,
        responses=EncounterSerializer,
        summary="Close the encounter",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        encounter = self.get_object()
        body = CloseEncounterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.close_encounter(
            by=request.user,
            encounter=encounter,
            summary=body.validated_data["summary"],
            client_ip=request.client_ip,
        )
        return Response(EncounterSerializer(encounter).data)
