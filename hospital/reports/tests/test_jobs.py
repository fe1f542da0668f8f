"""The report built by a real Celery worker process, with its progress row moving to the end."""

import pytest
from django.utils import timezone

from reports import services
from reports.models import DepartmentReport
from shared.tasks.models import TaskProgress

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_live_worker_builds_the_requested_report(ward, live_worker, wait_for):
    # Autocommit: the row is committed and the message sent before request_report returns.
    report = services.request_report(by=ward.admin, month=timezone.localdate().replace(day=1))
    wait_for(lambda: TaskProgress.objects.get(pk=report.job_id).is_finished, timeout=30)
    job = TaskProgress.objects.get(pk=report.job_id)
    assert job.state == TaskProgress.State.SUCCEEDED, (job.message, live_worker.log())
    report = DepartmentReport.objects.get(pk=report.pk)
    assert report.csv_content.startswith("department,visits,invoiced,collected")
    assert bytes(report.pdf_content).startswith(b"%PDF")
