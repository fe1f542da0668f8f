"""The monthly department report through both doors: request, progress bar, downloads."""

from datetime import timedelta

import pytest
from django.urls import reverse

from reports import services
from reports.models import DepartmentReport
from reports.tests.conftest import read_csv, this_month


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
    assert response.status_code == 400 and b"Enter a valid date" in response.content
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


@pytest.mark.django_db(transaction=True)
def test_the_page_tells_the_truth_when_the_report_is_built_at_once(activity, page_client_for):
    """Eager tasks (the embedded mode, `make run`): the job has run before the redirect, so
    the page offers the downloads and does not claim the report is still being built."""
    client = page_client_for(activity.admin)
    page = client.post(
        reverse("reports:list"),
        {"month": this_month().strftime("%Y-%m"), "department": ""},
        follow=True,
    ).content.decode()
    assert "Download CSV" in page
    assert "being built" not in page and "Report built" in page
