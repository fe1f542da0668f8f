"""Pages of the staff app: the home page (a door per role) and the department dashboard."""

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import render

from patients.models import today_bounds
from scheduling.models import AppointmentStatus
from shared.accounts.roles import role_required
from staff.models import Department

STAFF_ROLES = ("receptionist", "doctor", "nurse", "hospital_admin")


def home(request):
    """Links to the pages the user's roles can use; the demo logins on a laptop."""
    demo_logins = settings.DEMO_LOGINS if settings.DEBUG else []
    return render(request, "home.html", {"demo_logins": demo_logins})


@role_required(*STAFF_ROLES)
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
            "total": sum(getattr(department, status) for status in AppointmentStatus.values),
        }
        for department in departments
    ]
    return render(
        request,
        "staff/dashboard.html",
        {"rows": rows, "statuses": AppointmentStatus.labels, "day": start.date()},
    )
