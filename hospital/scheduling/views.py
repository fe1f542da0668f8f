"""Pages of scheduling: appointment actions, the doctor's day, the patient portal."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from patients.models import Patient
from scheduling import services
from scheduling.forms import BookForm, CancelForm, SlotSearchForm
from scheduling.models import Appointment
from scheduling.slots import available_slots, day_bounds
from shared.accounts.roles import role_required
from staff.models import Doctor


def _back(request, default: str):
    """Where to go after a POST: the ``next`` field if it is one of our own URLs."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@require_POST
@login_required
def book(request, patient_pk: int):
    """Book a slot for a patient (the desk, or a patient for themselves from the portal)."""
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=patient_pk)
    form = BookForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick a slot from the list.")
        return _back(request, "home")
    try:
        appointment = services.book_appointment(
            patient=patient,
            doctor=form.cleaned_data["doctor"],
            start=form.cleaned_data["start"],
            reason=form.cleaned_data["reason"],
            by=request.user,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    except PermissionDenied:
        raise Http404 from None  # not the desk and not their own record: as if it did not exist
    else:
        messages.success(request, f"Booked: {appointment}.")
    return _back(request, "home")


# One POST endpoint per action; each calls its service with the same arguments.
ACTIONS = {
    "check-in": services.check_in,
    "confirm": services.confirm_appointment,
    "complete": services.complete,
    "no-show": services.mark_no_show,
}


@require_POST
@login_required
def act(request, pk: int, action: str):
    """Check in, confirm, complete, mark no-show or cancel an appointment the user can see."""
    appointment = get_object_or_404(
        Appointment.objects.visible_to(request.user).with_people(), pk=pk
    )
    try:
        if action == "cancel":
            form = CancelForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.cancel_appointment(
                appointment=appointment, by=request.user, reason=reason, request=request
            )
        elif action in ACTIONS:
            ACTIONS[action](appointment=appointment, by=request.user, request=request)
        else:
            raise Http404("Unknown action.")
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request, f"{appointment.patient.full_name}: {appointment.get_status_display()}."
        )
    return _back(request, "home")


def _day_from(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


@role_required("doctor")
def doctor_day(request):
    """The doctor's own day: their appointments in time order, with check-in state."""
    doctor = Doctor.objects.for_user(request.user).first()
    if doctor is None:
        raise Http404("No doctor profile for this account.")
    day = _day_from(request)
    start, end = day_bounds(day)
    appointments = (
        Appointment.objects.filter(doctor=doctor).with_people().on_day(start, end).order_by("start")
    )
    return render(
        request,
        "scheduling/doctor_day.html",
        {
            "doctor": doctor,
            "day": day,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "appointments": appointments,
        },
    )


def _portal_patient(request) -> Patient:
    patient = Patient.objects.filter(user=request.user).first()
    if patient is None:
        raise Http404("This account is not linked to a patient record; ask the desk.")
    return patient


@role_required("patient")
def portal(request):
    """The patient's own appointments, with cancel buttons while cancelling is still allowed."""
    patient = _portal_patient(request)
    appointments = Appointment.objects.filter(patient=patient).with_people().order_by("-start")
    now = timezone.now()
    rows = [(item, services.can_cancel_online(item, now=now)) for item in appointments]
    return render(request, "scheduling/portal.html", {"patient": patient, "rows": rows})


@role_required("patient")
def portal_book(request):
    """Pick a doctor and a day, see the free slots, request one."""
    patient = _portal_patient(request)
    search = SlotSearchForm(request.GET or None)
    slots = None
    if search.is_valid():
        slots = available_slots(search.cleaned_data["doctor"], search.cleaned_data["day"])
    return render(
        request,
        "scheduling/portal_book.html",
        {"patient": patient, "search": search, "slots": slots},
    )
