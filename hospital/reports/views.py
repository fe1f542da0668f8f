"""Report pages: request a report, follow its progress bar, download the files."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.roles import REPORTING
from reports import services
from reports.forms import ReportRequestForm
from reports.models import DepartmentReport
from shared.accounts.roles import role_required
from shared.errors import DomainError
from shared.web.forms import add_domain_error, form_status


@role_required(*REPORTING)
def report_list(request):
    form = ReportRequestForm(
        request.POST or None, initial={"month": timezone.localdate().replace(day=1)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.request_report(
                by=request.user,
                month=form.cleaned_data["month"],
                department=form.cleaned_data["department"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            # The embedded mode builds it before we get here (the job runs in this very
            # process, on commit); a worker builds it later, and the page shows its bar.
            report.refresh_from_db(fields=["built_at"])
            if report.is_ready:
                messages.success(request, "Report built: download it below.")
            else:
                messages.success(request, "Report requested: the bar shows it being built.")
            return redirect("reports:detail", pk=report.pk)
    reports = DepartmentReport.objects.visible_to(request.user).with_related()[:50]
    return render(
        request,
        "reports/report_list.html",
        {"form": form, "reports": reports},
        status=form_status(form),
    )


@role_required(*REPORTING)
def report_detail(request, pk: int):
    report = get_object_or_404(
        DepartmentReport.objects.visible_to(request.user).with_related(), pk=pk
    )
    return render(request, "reports/report_detail.html", {"report": report})


@role_required(*REPORTING)
def report_download(request, pk: int, fmt: str):
    report = get_object_or_404(
        DepartmentReport.objects.visible_to(request.user).with_related(), pk=pk
    )
    return download_response(report, fmt)


def download_response(report: DepartmentReport, fmt: str) -> HttpResponse:
    """The report's CSV or PDF as an attachment; the page and the API both answer with it."""
    if not report.is_ready or fmt not in ("csv", "pdf"):
        raise Http404("The report is not ready.")
    if fmt == "csv":
        response = HttpResponse(report.csv_content, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(bytes(report.pdf_content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename(fmt)}"'
    return response
