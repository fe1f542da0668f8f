"""The monthly department report: numbers, files, progress, and both doors."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from billing import services as billing
from billing.services import LineInput
from clinical.tests.factories import EncounterFactory
from reports import services
from reports.models import DepartmentReport
from reports.tasks import build_department_report
from shared.tasks.models import TaskProgress


def this_month() -> date:
    return timezone.localdate().replace(day=1)


@pytest.fixture
def activity(ward):
    """This month: two visits in Cardiology (one billed 150, 100 paid), one in Oncology."""
    EncounterFactory(patient=ward.patient, doctor=ward.doctor)
    invoice = billing.create_invoice(
        by=ward.receptionist,
        encounter=ward.encounter,
        lines=[LineInput(description="Consultation", unit_price=Decimal("150.00"))],
    )
    billing.issue_invoice(by=ward.receptionist, invoice=invoice)
    billing.record_payment(
        by=ward.receptionist, invoice=invoice, amount=Decimal("100"), method="card"
    )
    # Last month's visit is not counted.
    EncounterFactory(
        patient=ward.patient, doctor=ward.doctor, opened_at=timezone.now() - timedelta(days=40)
    )
    return ward


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_requesting_a_report_builds_csv_and_pdf_with_progress(
    activity, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(by=activity.admin, month=this_month())
    report.refresh_from_db()
    assert report.is_ready
    assert read_csv(report.csv_content) == [
        ["department", "visits", "invoiced", "collected"],
        ["Cardiology", "2", "150.00", "100.00"],
        ["Oncology", "1", "0.00", "0.00"],
        ["Total", "3", "150.00", "100.00"],
    ]
    assert bytes(report.pdf_content).startswith(b"%PDF")
    job = TaskProgress.objects.get(pk=report.job_id)
    assert (job.state, job.current, job.total, job.percent) == ("succeeded", 3, 3, 100)
    assert job.result_url == reverse("reports:detail", args=[report.pk])


def test_a_department_report_and_a_second_run_changes_nothing(
    activity, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(
            by=activity.nurse, month=this_month(), department=activity.department
        )
    report.refresh_from_db()
    assert read_csv(report.csv_content)[1:] == [
        ["Cardiology", "2", "150.00", "100.00"],
        ["Total", "2", "150.00", "100.00"],
    ]
    built_at = report.built_at
    assert build_department_report.apply(args=[report.pk]).get() is False  # idempotent
    report.refresh_from_db()
    assert report.built_at == built_at


def test_progress_is_visible_while_building(activity):
    report = services.request_report(by=activity.admin, month=this_month())  # on_commit not run yet
    job = TaskProgress.objects.get(pk=report.job_id)
    assert job.state == "pending" and not report.is_ready
    seen = []
    original_update = TaskProgress.update

    def spy(self, current, total=None, message=None):
        seen.append((current, total))
        return original_update(self, current, total, message)

    TaskProgress.update = spy
    try:
        assert services.build_report(report_id=report.pk) is True
    finally:
        TaskProgress.update = original_update
    assert seen == [(0, 3), (1, None), (2, None)]


def test_a_failed_build_marks_the_job_failed(activity, monkeypatch):
    report = services.request_report(by=activity.admin, month=this_month())

    def broken(**kwargs):
        raise ValueError("no ink")

    monkeypatch.setattr(services, "render_pdf", broken)
    with pytest.raises(ValueError):
        services.build_report(report_id=report.pk)
    job = TaskProgress.objects.get(pk=report.job_id)
    assert job.state == "failed" and "no ink" in job.message


def test_month_rules_and_roles(ward):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        services.request_report(by=ward.admin, month=this_month() + timedelta(days=40))
    with pytest.raises(PermissionDenied):
        services.request_report(by=ward.patient_user, month=this_month())
    assert services.month_bounds(date(2026, 12, 5))[1].date() == date(2027, 1, 1)


def test_report_page_requests_and_downloads(
    activity, page_client_for, django_capture_on_commit_callbacks
):
    client = page_client_for(activity.admin)
    assert client.get(reverse("reports:list")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:list"), {"month": this_month().strftime("%Y-%m"), "department": ""}
        )
    report = DepartmentReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:detail", args=[report.pk]
    )
    page = client.get(response["Location"])
    assert b"Download CSV" in page.content
    csv_response = client.get(reverse("reports:download", args=[report.pk, "csv"]))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert read_csv(csv_response.content.decode())[-1] == ["Total", "3", "150.00", "100.00"]
    pdf_response = client.get(reverse("reports:download", args=[report.pk, "pdf"]))
    assert pdf_response.content.startswith(b"%PDF")
    assert client.get(reverse("reports:download", args=[report.pk, "xls"])).status_code == 404


def test_report_page_shows_the_progress_bar_until_built(ward, page_client_for):
    report = services.request_report(by=ward.doctor_user, month=this_month())
    page = page_client_for(ward.doctor_user).get(reverse("reports:detail", args=[report.pk]))
    assert b"data-task-progress" in page.content and b"Download CSV" not in page.content
    assert (
        page_client_for(ward.doctor_user)
        .get(reverse("reports:download", args=[report.pk, "csv"]))
        .status_code
        == 404
    )


def test_bad_month_is_a_form_error(ward, page_client_for):
    response = page_client_for(ward.admin).post(reverse("reports:list"), {"month": "soon"})
    assert response.status_code == 200 and b"Enter a valid date" in response.content
    future = (this_month() + timedelta(days=40)).strftime("%Y-%m")
    response = page_client_for(ward.admin).post(reverse("reports:list"), {"month": future})
    assert b"has not started" in response.content
    assert not DepartmentReport.objects.exists()


def test_reports_are_private_to_their_requester_except_for_the_admin(
    ward, page_client_for, api_client_for
):
    report = services.request_report(by=ward.doctor_user, month=this_month())
    assert (
        page_client_for(ward.nurse).get(reverse("reports:detail", args=[report.pk])).status_code
        == 404
    )
    assert api_client_for(ward.nurse).get(f"/api/v1/reports/{report.pk}/").status_code == 404
    assert api_client_for(ward.admin).get(f"/api/v1/reports/{report.pk}/").status_code == 200
    assert page_client_for(ward.patient_user).get(reverse("reports:list")).status_code == 403
    assert api_client_for(ward.patient_user).get("/api/v1/reports/").status_code == 403


def test_report_api_round_trip(activity, api_client_for, django_capture_on_commit_callbacks):
    api = api_client_for(activity.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/reports/", {"month": str(this_month()), "department": activity.department.pk}
        )
    assert response.status_code == 201, response.json()
    report_id = response.json()["id"]
    body = api.get(f"/api/v1/reports/{report_id}/").json()
    assert body["is_ready"] is True and body["job"]["state"] == "succeeded"
    csv_text = api.get(f"/api/v1/reports/{report_id}/download/csv/").content.decode()
    assert read_csv(csv_text)[1] == ["Cardiology", "2", "150.00", "100.00"]
    assert api.get(f"/api/v1/reports/{report_id}/download/pdf/").content.startswith(b"%PDF")
    bad = api.post("/api/v1/reports/", {"month": "2999-01-01"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["attr"] == "month"


def test_report_list_queries_do_not_grow(
    ward, page_client_for, api_client_for, assert_constant_queries
):
    page = page_client_for(ward.admin)
    api = api_client_for(ward.admin)

    def add():
        for _ in range(3):
            services.request_report(by=ward.admin, month=this_month())

    assert_constant_queries(lambda: page.get(reverse("reports:list")), add)
    assert_constant_queries(lambda: api.get("/api/v1/reports/"), add)


def test_the_admin_sees_another_users_report_state_without_the_live_bar(ward, page_client_for):
    report = services.request_report(by=ward.doctor_user, month=this_month())
    page = page_client_for(ward.admin).get(reverse("reports:detail", args=[report.pk]))
    assert b"data-task-progress" not in page.content and b"Not ready yet (pending" in page.content
