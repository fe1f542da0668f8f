"""The monthly department report: request it (a row + a progress bar), build it (the task).

Visits are encounters opened in the month, by the department of the doctor seen.
Revenue has two columns, because finance asks both questions: what was *invoiced*
(issued in the month, void excluded) and what was *collected* (payments received
in the month, whatever the invoice's date).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from billing.models import ZERO, Invoice, Payment
from clinical.models import Encounter
from core.roles import REPORTING
from reports.models import DepartmentReport
from reports.pdf import report_pdf
from shared.accounts.models import User
from shared.errors import DomainError
from shared.tasks.base import TRANSIENT_ERRORS, enqueue_on_commit
from shared.tasks.services import start_job
from staff.models import Department

CSV_HEADER = ["department", "visits", "invoiced", "collected"]


@dataclass(frozen=True)
class ReportRow:
    department: str
    visits: int
    invoiced: Decimal
    collected: Decimal


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month as [first instant, first instant of the next month), in the hospital's zone."""
    start = timezone.make_aware(datetime(month.year, month.month, 1))
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return start, timezone.make_aware(datetime(following.year, following.month, 1))


@transaction.atomic
def request_report(
    *, by: User, month: date, department: Department | None = None
) -> DepartmentReport:
    """Record the request, create its progress row, and queue the build after commit."""
    if not by.has_role(*REPORTING):
        raise PermissionDenied("Only hospital staff request reports.")
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise DomainError("That month has not started yet.", field="month", code="future")
    scope = department.name if department else "all departments"
    job = start_job(name=f"Department report, {scope}, {month:%B %Y}", owner=by)
    report = DepartmentReport.objects.create(
        month=month, department=department, requested_by=by, job=job
    )
    enqueue_on_commit("reports.build_department_report", report_id=report.pk)
    return report


def department_row(*, department: Department, month: date) -> ReportRow:
    """Three aggregate queries for one department's month."""
    start, end = month_bounds(month)
    visits = Encounter.objects.filter(
        doctor__profile__department=department, opened_at__gte=start, opened_at__lt=end
    ).aggregate(n=Count("id"))["n"]
    invoiced = (
        Invoice.objects.filter(
            encounter__doctor__profile__department=department,
            issued_at__gte=start,
            issued_at__lt=end,
        )
        .exclude(status=Invoice.Status.VOID)
        .aggregate(total=Sum("total"))["total"]
    )
    collected = Payment.objects.filter(
        invoice__encounter__doctor__profile__department=department,
        received_at__gte=start,
        received_at__lt=end,
    ).aggregate(total=Sum("amount"))["total"]
    return ReportRow(department.name, visits, invoiced or ZERO, collected or ZERO)


def totals(rows: list[ReportRow]) -> ReportRow:
    return ReportRow(
        "Total",
        sum(row.visits for row in rows),
        sum((row.invoiced for row in rows), ZERO),
        sum((row.collected for row in rows), ZERO),
    )


def render_csv(rows: list[ReportRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in [*rows, totals(rows)]:
        writer.writerow([row.department, row.visits, f"{row.invoiced:.2f}", f"{row.collected:.2f}"])
    return buffer.getvalue()


def build_report(*, report_id: int) -> bool:
    """Compute and store the report, reporting progress per department.

    Idempotent: a built report is not rebuilt, and the progress row refuses to move
    once finished, so a re-delivered task message does nothing. Returns True when
    this call built the report.
    """
    report = DepartmentReport.objects.select_related("department", "job").get(pk=report_id)
    job = report.job
    if report.is_ready or (job is not None and not job.begin()):
        return False
    try:
        departments = [report.department] if report.department else list(Department.objects.all())
        steps = len(departments) + 1  # one per department, then the two files
        if job:
            job.update(0, total=steps, message="Counting visits and revenue")
        rows = []
        for done, department in enumerate(departments, start=1):
            rows.append(department_row(department=department, month=report.month))
            if job:
                job.update(done, message=f"{department.name} done")
        title = f"Department report: {report}"
        # One conditional UPDATE: of two concurrent runs, one stores the files.
        stored = DepartmentReport.objects.filter(pk=report.pk, built_at__isnull=True).update(
            csv_content=render_csv(rows),
            pdf_content=report_pdf(title=title, rows=rows, total=totals(rows)),
            built_at=timezone.now(),
        )
    except TRANSIENT_ERRORS:
        raise  # the task retries; the bar stays "running" meanwhile
    except Exception as error:
        if job:
            job.fail(f"The report could not be built: {error}")
        raise
    if job:
        job.succeed(result_url=reverse("reports:detail", args=[report.pk]), message="Report ready")
    return bool(stored)
