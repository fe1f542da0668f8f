"""The clinical API: /api/v1/encounters/, observations/, prescriptions/, lab-orders/, lab-results/.

Append-only through this door too: observations and lab results have no PUT, PATCH
or DELETE (the routes do not exist, so the answer is 405). A correction is a POST of
a new entry naming the one it ``supersedes``.

Lists are per patient (``?patient=<id>``; a portal patient may omit it), so each
list is one read of one record, written to the access log like the chart page. A
patient outside the user's reach is a 404, exactly as on the pages.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from clinical import services
from clinical.access import LAB_DESK, chart_patients, portal_patient
from clinical.models import Encounter, LabOrder, LabResult, Observation, Prescription
from clinical.services import ItemInput, ResultInput
from config.api import ServiceErrors, router
from patients.access import clinical_patients
from patients.models import AccessAction, Patient
from patients.services import log_access
from scheduling.models import Appointment
from shared.accounts.roles import user_has_role
from staff.models import Doctor

PATIENT_PARAMETER = OpenApiParameter(
    "patient",
    OpenApiTypes.INT,
    description="Whose records to list (required for staff; a portal patient may omit it).",
)


class PatientScopedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read and create (never update or delete); per-patient lists and logged
    reads, the same way for every clinical resource."""

    filter_backends: list = []

    def scope_patients(self):
        """The patients whose records of this kind the user may list."""
        return chart_patients(self.request.user)

    def visible(self):
        """The rows of this kind the user may read (a ``visible_to`` QuerySet)."""
        raise NotImplementedError

    def patient_filter(self, patient) -> dict:
        return {"encounter__patient": patient}

    def listed_patient(self) -> Patient:
        raw = self.request.query_params.get("patient")
        if raw is None:
            own = portal_patient(self.request.user)
            if own is None:
                raise DRFValidationError({"patient": ["This query parameter is required."]})
            raw = own.pk
        if not str(raw).isdigit():
            raise DRFValidationError({"patient": ["A patient id is a number."]})
        return get_object_or_404(self.scope_patients(), pk=raw)

    def get_queryset(self):
        queryset = self.visible()
        if self.action == "list":
            queryset = queryset.filter(**self.patient_filter(self._listed))
        return queryset

    def list(self, request, *args, **kwargs):
        self._listed = self.listed_patient()
        log_access(
            user=request.user,
            patient=self._listed,
            action=AccessAction.READ,
            obj=f"{self.visible().model._meta.label_lower} list",
            request=request,
        )
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        log_access(
            user=request.user,
            patient=self.patient_of(instance),
            action=AccessAction.READ,
            obj=instance,
            request=request,
        )
        return Response(self.get_serializer(instance).data)

    def patient_of(self, instance) -> Patient:
        return instance.encounter.patient


# --- Encounters --------------------------------------------------------------------------


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

    def visible(self):
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
        with ServiceErrors():
            serializer.instance = services.open_encounter(
                by=user,
                patient=patient,
                doctor=None if appointment else doctor,
                appointment=appointment,
                reason=data.get("reason", ""),
                request=self.request,
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
        with ServiceErrors():
            services.close_encounter(
                by=request.user,
                encounter=encounter,
                summary=body.validated_data["summary"],
                request=request,
            )
        return Response(EncounterSerializer(encounter).data)


# --- Observations --------------------------------------------------------------------------


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

    def visible(self):
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
        with ServiceErrors():
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
                    request=request,
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
                    request=request,
                )
        return Response(ObservationSerializer(created).data, status=status.HTTP_201_CREATED)


# --- Prescriptions --------------------------------------------------------------------------


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

    def visible(self):
        return Prescription.objects.visible_to(self.request.user).with_items()

    def perform_create(self, serializer):
        data = serializer.validated_data
        encounter = get_object_or_404(
            Encounter.objects.visible_to(self.request.user), pk=data["encounter_id"]
        )
        with ServiceErrors():
            serializer.instance = services.prescribe(
                by=self.request.user,
                encounter=encounter,
                items=[ItemInput(**item) for item in data["items"]],
                notes=data.get("notes", ""),
                request=self.request,
            )


# --- Lab orders and results ------------------------------------------------------------------


class LabScopedViewSet(PatientScopedViewSet):
    def scope_patients(self):
        if user_has_role(self.request.user, *LAB_DESK):
            return Patient.objects.all()
        return clinical_patients(self.request.user)


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

    def visible(self):
        return LabOrder.objects.visible_to(self.request.user).with_related()

    def perform_create(self, serializer):
        data = serializer.validated_data
        encounter = get_object_or_404(
            Encounter.objects.visible_to(self.request.user), pk=data["encounter_id"]
        )
        with ServiceErrors():
            serializer.instance = services.order_lab_test(
                by=self.request.user,
                encounter=encounter,
                test_name=data["test_name"],
                notes=data.get("notes", ""),
                request=self.request,
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

    def visible(self):
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
        with ServiceErrors():
            if data.get("supersedes_id"):
                original = get_object_or_404(
                    LabResult.objects.visible_to(user), pk=data["supersedes_id"]
                )
                created = services.correct_lab_result(
                    by=user,
                    original=original,
                    data=result_input,
                    reason=data.get("correction_reason", ""),
                    request=request,
                )
            else:
                order = get_object_or_404(LabOrder.objects.visible_to(user), pk=data["order_id"])
                created = services.record_lab_result(
                    by=user, order=order, data=result_input, request=request
                )
        return Response(LabResultSerializer(created).data, status=status.HTTP_201_CREATED)


router.register("encounters", EncounterViewSet, basename="encounter")
router.register("observations", ObservationViewSet, basename="observation")
router.register("prescriptions", PrescriptionViewSet, basename="prescription")
router.register("lab-orders", LabOrderViewSet, basename="lab-order")
router.register("lab-results", LabResultViewSet, basename="lab-result")
