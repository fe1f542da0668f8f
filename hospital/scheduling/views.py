"""Pages of scheduling: the reception desk and its patient page, appointment actions,
the doctor's day, the department dashboard and the patient portal."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.roles import CLINICIANS, DESK, DOCTOR, PATIENT, STAFF
from patients.access import can_read_clinical
from patients.forms import PatientSearchForm, PortalLinkForm
from patients.models import AccessAction, Patient, today_bounds
from patients.services import log_access
from scheduling import services
from scheduling.forms import BookForm, CancelForm, SlotSearchForm
from scheduling.models import Appointment, AppointmentStatus
from scheduling.slots import available_slots, day_bounds
from shared.accounts.roles import role_required
from shared.errors import DomainError
from staff.models import Department, Doctor

# --- The reception desk -------------------------------------------------------------


@role_required(*DESK)
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
        "scheduling/desk.html",
        {"form": form, "patients": patients, "today": today, "requests": requests[:50]},
    )


@login_required
def patient(request, pk: int):
    """A patient's page: demographics, appointments and, for the desk, booking.

    Open to anyone who may see the patient at all; everyone else gets a 404, never the record.
    """
    patient = get_object_or_404(Patient.objects.visible_to(request.user), pk=pk)
    log_access(
        user=request.user, patient=patient, action=AccessAction.READ, client_ip=request.client_ip
    )
    at_desk = request.user.has_role(*DESK)
    search = SlotSearchForm(request.GET or None) if at_desk else None
    slots = None
    if search is not None and search.is_valid():
        slots = available_slots(search.cleaned_data["doctor"], search.cleaned_data["day"])
    appointments = (
        Appointment.objects.visible_to(request.user).with_people().filter(patient=patient)
    )
    return render(
        request,
        "scheduling/patient_detail.html",
        {
            "patient": patient,
            "at_desk": at_desk,
            "link_form": PortalLinkForm() if at_desk and not patient.user_id else None,
            # Clinicians who may read this patient's chart get a link to it (clinical app).
            "show_chart": request.user.has_role(*CLINICIANS)
            and can_read_clinical(request.user, patient),
            "search": search,
            "slots": slots,
            "appointments": appointments,
        },
    )


# --- Booking and the appointment buttons ----------------------------------------------


def _back(request, default: str):
    """Where to go after a POST: the ``next`` field if it is one of our own URLs."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


@require_POST
@login_required
def book(request, patient_pk: int):
    """Book a slot for a patient (the desk, or a patient for themselves from the portal).

    A slot's "Book" button: a refusal is answered by DomainErrorMiddleware (409 when the
    slot was taken meanwhile), with a link back.
    """
    patient = get_object_or_404(services.bookable_patients(request.user), pk=patient_pk)
    form = BookForm(request.POST)
    if not form.is_valid():
        raise DomainError("Pick a slot from the list.", field="start")
    appointment = services.book_appointment(
        patient=patient,
        doctor=form.cleaned_data["doctor"],
        start=form.cleaned_data["start"],
        reason=form.cleaned_data["reason"],
        by=request.user,
        client_ip=request.client_ip,
    )
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
    """Check in, confirm, complete, mark no-show or cancel an appointment the user can see.

    A refusal (the status moved on, too late to cancel) is answered by
    DomainErrorMiddleware with its message and status.
    """
    appointment = get_object_or_404(
        Appointment.objects.visible_to(request.user).with_people(), pk=pk
    )
    if action == "cancel":
        form = CancelForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.cancel_appointment(
            appointment=appointment, by=request.user, reason=reason, client_ip=request.client_ip
        )
    elif action in ACTIONS:
        ACTIONS[action](appointment=appointment, by=request.user, client_ip=request.client_ip)
    else:
        raise Http404("Unknown action.")
    messages.success(
        request, f"{appointment.patient.full_name}: {appointment.get_status_display()}."
    )
    return _back(request, "home")


# --- The doctor's day and the department dashboard -------------------------------------


def _day_from(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


@role_required(DOCTOR)
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


@role_required(*STAFF)
def dashboard(request):
    """Today per department: doctors, and appointments by status. One query.

    Counts only, no patient names, so every staff role may look.
    """
    start, end = today_bounds()
    appointments = "staff__doctor__appointments"
    today = Q(**{f"{appointments}__start__gte": start, f"{appointments}__start__lt": end})
    per_status = {
        status: Count(appointments, filter=today & Q(**{f"{appointments}__status": status}))
        for status in AppointmentStatus.values
    }
    departments = Department.objects.annotate(
        doctors=Count("staff__doctor", distinct=True), **per_status
    ).order_by("name")
    rows = [
        {
            "department": department,
            "counts": [getattr(department, status) for status in AppointmentStatus.values],
            # (label, count) pairs: on a phone each figure is printed after its column's name.
            "labelled_counts": [
                (label, getattr(department, status)) for status, label in AppointmentStatus.choices
            ],
            "total": sum(getattr(department, status) for status in AppointmentStatus.values),
        }
        for department in departments
    ]
    return render(
        request,
        "scheduling/dashboard.html",
        {"rows": rows, "statuses": AppointmentStatus.labels, "day": start.date()},
    )


# --- The patient portal ------------------------------------------------------------------


def _portal_patient(request) -> Patient:
    patient = Patient.objects.filter(user=request.user).first()
    if patient is None:
        raise Http404("This account is not linked to a patient record; ask the desk.")
    return patient


@role_required(PATIENT)
def portal(request):
    """The patient's own appointments, with cancel buttons while cancelling is still allowed."""
    patient = _portal_patient(request)
    appointments = Appointment.objects.filter(patient=patient).with_people().order_by("-start")
    now = timezone.now()
    rows = [(item, services.can_cancel_online(item, now=now)) for item in appointments]
    return render(request, "scheduling/portal.html", {"patient": patient, "rows": rows})


@role_required(PATIENT)
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
