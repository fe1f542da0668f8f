"""The receptionist desk: find or register a patient, open their page, book and check in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from patients import services
from patients.access import CLINICAL_ROLES, DESK_ROLES, can_manage_registration, can_read_clinical
from patients.forms import PatientForm, PatientSearchForm, PortalLinkForm
from patients.models import AccessAction, AccessLog, Patient, today_bounds
from scheduling.forms import SlotSearchForm
from scheduling.models import Appointment, AppointmentStatus
from scheduling.slots import available_slots
from shared.accounts.roles import role_required


@role_required(*DESK_ROLES)
def desk(request):
    """Search patients, and today's appointments for every doctor, with their actions."""
    form = PatientSearchForm(request.GET or None)
    patients = None
    if form.is_valid() and form.cleaned_data["q"]:
        patients = Patient.objects.visible_to(request.user).search(form.cleaned_data["q"])[:50]
    start, end = today_bounds()
    appointments = Appointment.objects.visible_to(request.user).with_people()
    today = appointments.on_day(start, end)
    # Portal requests for any day, oldest first: the desk confirms (or cancels) them.
    requests = appointments.filter(
        status=AppointmentStatus.REQUESTED, end__gt=timezone.now()
    ).order_by("start")
    return render(
        request,
        "patients/desk.html",
        {"form": form, "patients": patients, "today": today, "requests": requests[:50]},
    )


@role_required(*DESK_ROLES)
def register(request):
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.register_patient(
                by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Registered {patient}.")
            return redirect("patients:detail", pk=patient.pk)
    return render(
        request, "patients/patient_form.html", {"form": form, "title": "Register a patient"}
    )


@login_required
def edit(request, pk: int):
    # Only the desk edits; for anyone else the record is not there (404), as in the API.
    editable = Patient.objects.visible_to(request.user)
    if not can_manage_registration(request.user):
        editable = editable.none()
    patient = get_object_or_404(editable, pk=pk)
    form = PatientForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        patient.refresh_from_db()  # the form wrote onto the instance; the service applies changes
        services.update_patient(patient=patient, by=request.user, request=request, **changes)
        messages.success(request, "Saved.")
        return redirect("patients:detail", pk=patient.pk)
    return render(
        request, "patients/patient_form.html", {"form": form, "title": f"Edit {patient.full_name}"}
    )


@require_POST
@role_required(*DESK_ROLES)
def link_portal(request, pk: int):
    """Link the patient's own account (they registered it) to their record."""
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    form = PortalLinkForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["email"])
        services.link_portal_account(
            patient=patient, email=form.cleaned_data["email"], by=request.user, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{patient.full_name} can now use the patient portal.")
    return redirect("patients:detail", pk=patient.pk)


@role_required("patient")
def my_access_log(request):
    """The portal's "who looked at my record": the patient's own access-log entries."""
    patient = Patient.objects.filter(user=request.user).first()
    if patient is None:
        raise Http404("This account is not linked to a patient record; ask the desk.")
    entries = AccessLog.objects.for_patient(patient)[:100]
    return render(request, "patients/my_access_log.html", {"patient": patient, "entries": entries})


@login_required
def detail(request, pk: int):
    """A patient's registration page: demographics, appointments and, for the desk, booking.

    Open to anyone who may see the patient at all; everyone else gets a 404, never the record.
    """
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    services.log_access(
        user=request.user, patient=patient, action=AccessAction.READ, request=request
    )
    at_desk = request.user.has_role(*DESK_ROLES)
    search = SlotSearchForm(request.GET or None) if at_desk else None
    slots = None
    if search is not None and search.is_valid():
        slots = available_slots(search.cleaned_data["doctor"], search.cleaned_data["day"])
    appointments = (
        Appointment.objects.visible_to(request.user).with_people().filter(patient=patient)
    )
    return render(
        request,
        "patients/patient_detail.html",
        {
            "patient": patient,
            "at_desk": at_desk,
            "link_form": PortalLinkForm() if at_desk and not patient.user_id else None,
            # Clinicians who may read this patient's chart get a link to it (clinical app).
            "show_chart": request.user.has_role(*CLINICAL_ROLES)
            and can_read_clinical(request.user, patient),
            "search": search,
            "slots": slots,
            "appointments": appointments,
        },
    )
