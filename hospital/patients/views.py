"""Pages of the patients app: register and edit a patient, link a portal login, and the
portal's "who looked at my record". The desk's lists and the patient page, which show
appointments, are scheduling's (scheduling depends on patients, never the reverse)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.roles import DESK, PATIENT
from patients import services
from patients.access import can_manage_registration
from patients.forms import PatientForm, PortalLinkForm
from patients.models import AccessLog, Patient
from shared.accounts.roles import role_required
from shared.errors import DomainError
from shared.web.forms import form_status


@role_required(*DESK)
def register(request):
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        patient = services.register_patient(
            by=request.user, client_ip=request.client_ip, **form.cleaned_data
        )
        messages.success(request, f"Registered {patient}.")
        return redirect("scheduling:patient", pk=patient.pk)
    return render(
        request,
        "patients/patient_form.html",
        {"form": form, "title": "Register a patient"},
        status=form_status(form),
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
        services.update_patient(
            patient=patient, by=request.user, client_ip=request.client_ip, **changes
        )
        messages.success(request, "Saved.")
        return redirect("scheduling:patient", pk=patient.pk)
    return render(
        request,
        "patients/patient_form.html",
        {"form": form, "title": f"Edit {patient.full_name}"},
        status=form_status(form),
    )


@require_POST
@role_required(*DESK)
def link_portal(request, pk: int):
    """Link the patient's own account (they registered it) to their record.

    A small form on the patient page: a refusal (no such account, already linked) is
    answered by DomainErrorMiddleware with its message and a link back.
    """
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    form = PortalLinkForm(request.POST)
    if not form.is_valid():
        raise DomainError(" ".join(form.errors["email"]), field="email")
    services.link_portal_account(
        patient=patient,
        email=form.cleaned_data["email"],
        by=request.user,
        client_ip=request.client_ip,
    )
    messages.success(request, f"{patient.full_name} can now use the patient portal.")
    return redirect("scheduling:patient", pk=patient.pk)


@role_required(PATIENT)
def my_access_log(request):
    """The portal's "who looked at my record": the patient's own access-log entries."""
    patient = Patient.objects.filter(user=request.user).first()
    if patient is None:
        raise Http404("This account is not linked to a patient record; ask the desk.")
    entries = AccessLog.objects.for_patient(patient)[:100]
    return render(request, "patients/my_access_log.html", {"patient": patient, "entries": entries})
