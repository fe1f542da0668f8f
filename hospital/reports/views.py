"""Report pages: request a report, follow its progress bar, download the files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from reports import services
from reports.forms import ReportRequestForm
from reports.models import DepartmentReport
from shared.accounts.roles import role_required


@role_required(*services.REPORT_ROLES)
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
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Report requested: it is being built now.")
            return redirect("reports:detail", pk=report.pk)
    reports = DepartmentReport.objects.visible_to(request.user).with_related()[:50]
    return render(request, "reports/report_list.html", {"form": form, "reports": reports})


@role_required(*services.REPORT_ROLES)
def report_detail(request, pk: int):
    report = get_object_or_404(
        DepartmentReport.objects.visible_to(request.user).with_related(), pk=pk
    )
    return render(request, "reports/report_detail.html", {"report": report})


@role_required(*services.REPORT_ROLES)
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
