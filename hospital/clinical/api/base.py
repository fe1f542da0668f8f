"""What every clinical API resource shares: per-patient lists, logged reads, no edits.

Append-only through this door too: observations and lab results have no PUT, PATCH
or DELETE (the routes do not exist, so the answer is 405). A correction is a POST of
a new entry naming the one it ``supersedes``.

Lists are per patient (``?patient=<id>``; a portal patient may omit it), so each
list is one read of one record, written to the access log like the chart page. A
patient outside the user's reach is a 404, exactly as on the pages.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from clinical.access import chart_patients, portal_patient
from core.roles import LAB_DESK
from patients.access import clinical_patients
from patients.api import LoggedRetrieveMixin
from patients.models import AccessAction, Patient
from patients.services import log_access
from shared.accounts.roles import user_has_role

PATIENT_PARAMETER = OpenApiParameter(
    "patient",
    OpenApiTypes.INT,
    description="Whose records to list (required for staff; a portal patient may omit it).",
)


class PatientScopedViewSet(
    LoggedRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read and create (never update or delete); per-patient lists and logged
    reads, the same way for every clinical resource.

    Stateless: ``list()`` resolves the listed patient and filters by it itself, rather
    than leaving it on ``self`` for ``get_queryset`` to find.
    """

    filter_backends: list = []

    def scope_patients(self) -> QuerySet[Patient]:
        """The patients whose records of this kind the user may list."""
        return chart_patients(self.request.user)

    def get_queryset(self) -> QuerySet:
        """The rows of this kind the user may read (a ``visible_to`` QuerySet)."""
        raise NotImplementedError

    def patient_filter(self, patient: Patient) -> dict:
        return {"encounter__patient": patient}

    def patient_of(self, instance) -> Patient:
        return instance.encounter.patient

    def listed_patient(self) -> Patient:
        raw = self.request.query_params.get("patient")
        if raw is None:
            own = portal_patient(self.request.user)
            if own is None:
                raise ValidationError({"patient": ["This query parameter is required."]})
            raw = own.pk
        if not str(raw).isdigit():
            raise ValidationError({"patient": ["A patient id is a number."]})
        return get_object_or_404(self.scope_patients(), pk=raw)

    def list(self, request: Request, *args, **kwargs) -> Response:
        patient = self.listed_patient()
        queryset = self.get_queryset()
        log_access(
            user=request.user,
            patient=patient,
            action=AccessAction.READ,
            obj=f"{queryset.model._meta.label_lower} list",
            client_ip=request.client_ip,
        )
        page = self.paginate_queryset(queryset.filter(**self.patient_filter(patient)))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class LabScopedViewSet(PatientScopedViewSet):
    """Lab orders and results: the lab desk lists any patient's."""

    def scope_patients(self) -> QuerySet[Patient]:
        if user_has_role(self.request.user, *LAB_DESK):
            return Patient.objects.all()
        return clinical_patients(self.request.user)
