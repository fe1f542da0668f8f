"""Report jobs: thin wrappers that take ids and call services."""

from reports import services
from shared.tasks.base import task


@task(name="reports.build_department_report")
def build_department_report(report_id: int) -> bool:
    """Build one requested department report (CSV + PDF), with progress; safe to run twice."""
    return services.build_report(report_id=report_id)
