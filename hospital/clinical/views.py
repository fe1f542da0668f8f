"""Clinical pages: the patient chart, triage and observation entry, prescriptions,
the lab desk, and the portal's "my results".

Each view finds its record through a ``visible_to``/``chart_patients`` QuerySet (so a
record outside the user's reach is a 404), parses a form, and calls the service,
which checks the role rule and writes the access log. Reads are logged here. A form
page shows a service's refusal on the form (400); a button's refusal is answered by
DomainErrorMiddleware.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clinical import services
from clinical.access import chart_patients, portal_patient
from clinical.forms import (
    CloseEncounterForm,
    CorrectionForm,
    LabCorrectionForm,
    LabOrderForm,
    LabResultForm,
    ObservationForm,
    OpenEncounterForm,
    PrescriptionForm,
    PrescriptionItemFormSet,
)
from clinical.models import Encounter, LabOrder, LabResult, Observation, Prescription
from clinical.services import ItemInput, ResultInput
from core.roles import CLINICIANS, LAB, PATIENT
from patients.models import AccessAction
from patients.services import log_access
from scheduling.models import Appointment, AppointmentStatus
from shared.accounts.roles import role_required
from shared.errors import DomainError
from shared.web.forms import add_domain_error, form_status
from staff.models import Doctor


def _log_read(request, patient, obj) -> None:
    log_access(
        user=request.user,
        patient=patient,
        action=AccessAction.READ,
        obj=obj,
        client_ip=request.client_ip,
    )


def _encounter(request, pk: int) -> Encounter:
    return get_object_or_404(Encounter.objects.visible_to(request.user).with_related(), pk=pk)


def _to_chart(encounter: Encounter):
    return redirect("clinical:chart", patient_pk=encounter.patient_id)


# --- The chart -------------------------------------------------------------------------


@login_required
def chart(request, patient_pk: int):
    """The timeline of a patient's encounters with everything recorded in them."""
    patient = get_object_or_404(chart_patients(request.user), pk=patient_pk)
    _log_read(request, patient, "clinical.chart")
    encounters = Encounter.objects.filter(patient=patient).for_chart()
    own_doctor = Doctor.objects.for_user(request.user).first()
    return render(
        request,
        "clinical/chart.html",
        {
            "patient": patient,
            "encounters": encounters,
            "own_doctor": own_doctor,
            "open_form": OpenEncounterForm(),
            "observation_form": ObservationForm(),
        },
    )


def _refuse_invalid(form) -> None:
    """A small POST-only form (its page has no form to redraw): its errors as one refusal."""
    if not form.is_valid():
        problems = " ".join(
            f"{field.capitalize()}: {' '.join(errors)}" for field, errors in form.errors.items()
        )
        raise DomainError(problems)


@require_POST
@login_required
def encounter_open(request, patient_pk: int):
    """A doctor opens a walk-in encounter from the chart."""
    patient = get_object_or_404(chart_patients(request.user), pk=patient_pk)
    doctor = Doctor.objects.for_user(request.user).first()
    if doctor is None:
        raise PermissionDenied("Only a doctor opens an encounter here.")
    form = OpenEncounterForm(request.POST)
    _refuse_invalid(form)  # e.g. a reason too long: say so rather than drop it
    services.open_encounter(
        by=request.user,
        patient=patient,
        doctor=doctor,
        reason=form.cleaned_data.get("reason", ""),
        client_ip=request.client_ip,
    )
    messages.success(request, "Encounter opened.")
    return redirect("clinical:chart", patient_pk=patient.pk)


@require_POST
@login_required
def encounter_close(request, pk: int):
    encounter = _encounter(request, pk)
    form = CloseEncounterForm(request.POST)
    _refuse_invalid(form)
    services.close_encounter(
        by=request.user,
        encounter=encounter,
        summary=form.cleaned_data.get("summary", ""),
        client_ip=request.client_ip,
    )
    messages.success(request, "Encounter closed.")
    return _to_chart(encounter)


# --- Observations ------------------------------------------------------------------------


@login_required
def observation_new(request, encounter_pk: int):
    """The observation entry page (nurses at triage, the treating doctor)."""
    encounter = _encounter(request, encounter_pk)
    form = ObservationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_observation(
                by=request.user,
                encounter=encounter,
                client_ip=request.client_ip,
                **form.cleaned_data,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Observation recorded.")
            return redirect("clinical:observation-new", encounter_pk=encounter.pk)
    if request.method == "GET":
        _log_read(request, encounter.patient, encounter)
    current = (
        encounter.observations.current()
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
    )
    return render(
        request,
        "clinical/observation_form.html",
        {"encounter": encounter, "form": form, "observations": current},
        status=form_status(form),
    )


@login_required
def observation_correct(request, pk: int):
    original = get_object_or_404(
        Observation.objects.visible_to(request.user).select_related(
            "encounter__patient", "recorded_by"
        ),
        pk=pk,
    )
    form = CorrectionForm(
        request.POST or None, initial={"value": original.value, "text": original.text}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_observation(
                by=request.user, original=original, client_ip=request.client_ip, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Correction recorded; the original stays in the history.")
            return _to_chart(original.encounter)
    if request.method == "GET":
        _log_read(request, original.encounter.patient, original)
    return render(
        request,
        "clinical/observation_correct.html",
        {"original": original, "form": form},
        status=form_status(form),
    )


@role_required(*CLINICIANS)
def triage(request):
    """Patients checked in now (the nurse's list); "Take vitals" opens their encounter."""
    appointments = (
        Appointment.objects.visible_to(request.user)
        .filter(status=AppointmentStatus.CHECKED_IN)
        .with_people()
        .select_related("encounter")
        .order_by("start")
    )
    return render(request, "clinical/triage.html", {"appointments": appointments})


@require_POST
@role_required(*CLINICIANS)
def triage_start(request, appointment_pk: int):
    appointment = get_object_or_404(
        Appointment.objects.visible_to(request.user).filter(status=AppointmentStatus.CHECKED_IN),
        pk=appointment_pk,
    )
    encounter = services.encounter_for_appointment(
        by=request.user, appointment=appointment, client_ip=request.client_ip
    )
    return redirect("clinical:observation-new", encounter_pk=encounter.pk)


# --- Prescriptions and lab orders -----------------------------------------------------------


@login_required
def prescription_new(request, encounter_pk: int):
    encounter = _encounter(request, encounter_pk)
    form = PrescriptionForm(request.POST or None)
    items = PrescriptionItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        rows = [ItemInput(**row) for row in items.cleaned_data if row]
        try:
            services.prescribe(
                by=request.user,
                encounter=encounter,
                items=rows,
                notes=form.cleaned_data["notes"],
                client_ip=request.client_ip,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Prescription saved.")
            return _to_chart(encounter)
    if request.method == "GET":
        _log_read(request, encounter.patient, encounter)
    return render(
        request,
        "clinical/prescription_form.html",
        {"encounter": encounter, "form": form, "items": items},
        # A formset's errors are a list (of empty dicts too): ask it whether it is valid.
        status=400 if items.is_bound and not items.is_valid() else form_status(form),
    )


@login_required
def lab_order_new(request, encounter_pk: int):
    encounter = _encounter(request, encounter_pk)
    form = LabOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_lab_test(
                by=request.user,
                encounter=encounter,
                client_ip=request.client_ip,
                **form.cleaned_data,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Lab test ordered.")
            return _to_chart(encounter)
    if request.method == "GET":
        _log_read(request, encounter.patient, encounter)
    return render(
        request,
        "clinical/lab_order_form.html",
        {"encounter": encounter, "form": form},
        status=form_status(form),
    )


# --- The lab desk ---------------------------------------------------------------------------


@role_required(*LAB)
def lab_queue(request):
    """Orders waiting for a result, oldest first, and the latest results entered."""
    orders = LabOrder.objects.visible_to(request.user)
    pending = orders.pending().with_related().order_by("ordered_at", "id")
    recent = (
        LabResult.objects.filter(order__in=orders)
        .with_history_flag()
        .select_related("order__encounter__patient", "entered_by")[:20]
    )
    return render(request, "clinical/lab_queue.html", {"pending": pending, "recent": recent})


def _result_input(data: dict) -> ResultInput:
    return ResultInput(
        value=data["value"],
        unit=data["unit"],
        reference_low=data["reference_low"],
        reference_high=data["reference_high"],
        comment=data["comment"],
    )


@role_required(*LAB)
def lab_result_new(request, order_pk: int):
    order = get_object_or_404(LabOrder.objects.visible_to(request.user).with_related(), pk=order_pk)
    form = LabResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_lab_result(
                by=request.user,
                order=order,
                data=_result_input(form.cleaned_data),
                client_ip=request.client_ip,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Result recorded; the patient and the doctor are notified.")
            return redirect("clinical:lab-queue")
    if request.method == "GET":
        _log_read(request, order.encounter.patient, order)
    return render(
        request,
        "clinical/lab_result_form.html",
        {"order": order, "form": form},
        status=form_status(form),
    )


@role_required(*LAB)
def lab_result_correct(request, pk: int):
    original = get_object_or_404(
        LabResult.objects.visible_to(request.user).select_related("order__encounter__patient"),
        pk=pk,
    )
    initial = {
        "value": original.value,
        "unit": original.unit,
        "reference_low": original.reference_low,
        "reference_high": original.reference_high,
    }
    form = LabCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_lab_result(
                by=request.user,
                original=original,
                data=_result_input(form.cleaned_data),
                reason=form.cleaned_data["reason"],
                client_ip=request.client_ip,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, "Corrected result recorded; the original stays in the history."
            )
            return redirect("clinical:lab-queue")
    if request.method == "GET":
        _log_read(request, original.order.encounter.patient, original)
    return render(
        request,
        "clinical/lab_result_correct.html",
        {"original": original, "form": form},
        status=form_status(form),
    )


# --- The portal ----------------------------------------------------------------------------


@role_required(PATIENT)
def my_results(request):
    """A portal patient's own lab results (current versions) and prescriptions."""
    patient = portal_patient(request.user)
    if patient is None:
        return render(request, "clinical/my_results.html", {"patient": None})
    _log_read(request, patient, "clinical.portal-results")
    results = (
        LabResult.objects.current()
        .filter(order__encounter__patient=patient)
        .select_related("order__encounter__doctor__profile__user", "supersedes")
    )
    prescriptions = Prescription.objects.filter(encounter__patient=patient).with_items()
    return render(
        request,
        "clinical/my_results.html",
        {"patient": patient, "results": results, "prescriptions": prescriptions},
    )
