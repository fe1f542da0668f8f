"""The monthly department report: its numbers, files and progress, through the services."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from reports import services
from reports.tasks import build_department_report
from reports.tests.conftest import read_csv, this_month
from shared.tasks.models import TaskProgress


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

    monkeypatch.setattr(services, "report_pdf", broken)
    with pytest.raises(ValueError):
        services.build_report(report_id=report.pk)
    job = TaskProgress.objects.get(pk=report.job_id)
    assert job.state == "failed" and "no ink" in job.message


def test_month_rules_and_roles(ward):
    from django.core.exceptions import PermissionDenied

    from shared.errors import DomainError

    with pytest.raises(DomainError) as caught:
        services.request_report(by=ward.admin, month=this_month() + timedelta(days=40))
    assert caught.value.field == "month"
    with pytest.raises(PermissionDenied):
        services.request_report(by=ward.patient_user, month=this_month())
    assert services.month_bounds(date(2026, 12, 5))[1].date() == date(2027, 1, 1)
