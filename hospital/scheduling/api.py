"""The appointments API (list, book, one action per status change) and doctors' free slots."""

from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from patients.api import LoggedRetrieveMixin
from scheduling import services
from scheduling.models import Appointment
from scheduling.slots import available_slots, day_bounds
from staff import api as staff_api
from staff.models import Doctor


class AppointmentSerializer(serializers.ModelSerializer):
    patient_name = serializers.CharField(source="patient.full_name", read_only=True)
    medical_record_number = serializers.CharField(
        source="patient.medical_record_number", read_only=True
    )
    doctor_name = serializers.CharField(source="doctor.profile.user.get_full_name", read_only=True)
    department = serializers.CharField(
        source="doctor.profile.department.name", read_only=True, default=None
    )

    class Meta:
        model = Appointment
        fields = [
            "id",
            "patient",
            "patient_name",
            "medical_record_number",
            "doctor",
            "doctor_name",
            "department",
            "start",
            "end",
            "status",
            "reason",
        ]
        read_only_fields = fields


class BookSerializer(serializers.Serializer):
    patient = serializers.IntegerField(help_text="The patient's id.")
    doctor = serializers.PrimaryKeyRelatedField(queryset=Doctor.objects.all())
    start = serializers.DateTimeField(help_text="The start of one of the doctor's free slots.")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class AppointmentFilter(filters.FilterSet):
    day = filters.DateFilter(method="filter_day", help_text="Appointments starting that day.")

    class Meta:
        model = Appointment
        fields = ["doctor", "patient", "status", "day"]

    def filter_day(self, queryset, name, value):
        return queryset.on_day(*day_bounds(value))


class AppointmentViewSet(
    LoggedRetrieveMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Appointments of the patients you may see (a doctor: their own appointments)."""

    serializer_class = AppointmentSerializer
    filterset_class = AppointmentFilter
    ordering_fields = ["start"]

    def get_queryset(self):
        return Appointment.objects.visible_to(self.request.user).with_people()

    @extend_schema(request=BookSerializer, responses={201: AppointmentSerializer})
    def create(self, request):
        """Book a slot: the desk for anyone (scheduled), a patient for themselves (requested)."""
        data = BookSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        patient = get_object_or_404(
            services.bookable_patients(request.user), pk=data.validated_data["patient"]
        )
        appointment = services.book_appointment(
            patient=patient,
            doctor=data.validated_data["doctor"],
            start=data.validated_data["start"],
            reason=data.validated_data["reason"],
            by=request.user,
            client_ip=request.client_ip,
        )
        return Response(self.get_serializer(appointment).data, status=status.HTTP_201_CREATED)

    def _act(self, service, **kwargs) -> Response:
        appointment = self.get_object()
        service(
            appointment=appointment,
            by=self.request.user,
            client_ip=self.request.client_ip,
            **kwargs,
        )
        return Response(self.get_serializer(appointment).data)

    @extend_schema(request=CancelSerializer, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(services.cancel_appointment, reason=data.validated_data["reason"])

    @extend_schema(request=None, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        return self._act(services.check_in)

    @extend_schema(request=None, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._act(services.confirm_appointment)

    @extend_schema(request=None, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._act(services.complete)

    @extend_schema(request=None, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, pk=None):
        return self._act(services.mark_no_show)


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class SlotQuerySerializer(serializers.Serializer):
    day = serializers.DateField(help_text="The day, YYYY-MM-DD.")


class DoctorViewSet(staff_api.DoctorViewSet):
    """Doctors, with their free slots: staff lists them, scheduling knows what is booked."""

    @extend_schema(
        parameters=[OpenApiParameter("day", str, required=True, description="YYYY-MM-DD")],
        responses=SlotSerializer(many=True),
        summary="Free slots of this doctor on a day",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def slots(self, request, pk=None):
        query = SlotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        slots = available_slots(self.get_object(), query.validated_data["day"])
        return Response(SlotSerializer(slots, many=True).data)
