"""The lab API: /api/v1/lab-orders/ and /api/v1/lab-results/ (enter, correct)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response

from clinical import services
from clinical.api.base import PATIENT_PARAMETER, LabScopedViewSet
from clinical.models import Encounter, LabOrder, LabResult
from clinical.services import ResultInput
from patients.models import Patient


class LabOrderSerializer(serializers.ModelSerializer):
    encounter = serializers.IntegerField(source="encounter_id")

    class Meta:
        model = LabOrder
        fields = ["id", "encounter", "test_name", "notes", "ordered_by", "ordered_at"]
        read_only_fields = ["id", "ordered_by", "ordered_at"]


@extend_schema_view(
    list=extend_schema(summary="A patient's lab orders", parameters=[PATIENT_PARAMETER])
)
class LabOrderViewSet(LabScopedViewSet):
    serializer_class = LabOrderSerializer

    def get_queryset(self):
        return LabOrder.objects.visible_to(self.request.user).with_related()

    def perform_create(self, serializer):
        data = serializer.validated_data
        encounter = get_object_or_404(
            Encounter.objects.visible_to(self.request.user), pk=data["encounter_id"]
        )
        serializer.instance = services.order_lab_test(
            by=self.request.user,
            encounter=encounter,
            test_name=data["test_name"],
            notes=data.get("notes", ""),
            client_ip=self.request.client_ip,
        )


class LabResultSerializer(serializers.ModelSerializer):
    order = serializers.IntegerField(source="order_id", required=False)
    supersedes = serializers.IntegerField(source="supersedes_id", required=False, allow_null=True)
    is_superseded = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = LabResult
        fields = [
            "id",
            "order",
            "value",
            "unit",
            "reference_low",
            "reference_high",
            "abnormal",
            "comment",
            "entered_by",
            "entered_at",
            "supersedes",
            "correction_reason",
            "is_superseded",
        ]
        read_only_fields = ["id", "abnormal", "entered_by", "entered_at"]

    def validate(self, attrs):
        if not attrs.get("supersedes_id") and not attrs.get("order_id"):
            raise serializers.ValidationError(
                {"order": ["Name the order (or `supersedes` for a correction)."]}
            )
        return attrs


@extend_schema_view(
    list=extend_schema(
        summary="A patient's lab results, corrections included", parameters=[PATIENT_PARAMETER]
    ),
    create=extend_schema(
        summary="Enter a result (abnormal is computed), or a correction with `supersedes`"
    ),
)
class LabResultViewSet(LabScopedViewSet):
    serializer_class = LabResultSerializer

    def get_queryset(self):
        return (
            LabResult.objects.visible_to(self.request.user)
            .with_history_flag()
            .select_related("order__encounter__patient")
        )

    def patient_filter(self, patient) -> dict:
        return {"order__encounter__patient": patient}

    def patient_of(self, instance) -> Patient:
        return instance.order.encounter.patient

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        result_input = ResultInput(
            value=data["value"],
            unit=data["unit"],
            reference_low=data.get("reference_low"),
            reference_high=data.get("reference_high"),
            comment=data.get("comment", ""),
        )
        if data.get("supersedes_id"):
            original = get_object_or_404(
                LabResult.objects.visible_to(user), pk=data["supersedes_id"]
            )
            created = services.correct_lab_result(
                by=user,
                original=original,
                data=result_input,
                reason=data.get("correction_reason", ""),
                client_ip=request.client_ip,
            )
        else:
            order = get_object_or_404(LabOrder.objects.visible_to(user), pk=data["order_id"])
            created = services.record_lab_result(
                by=user, order=order, data=result_input, client_ip=request.client_ip
            )
        return Response(LabResultSerializer(created).data, status=status.HTTP_201_CREATED)
