"""Report jobs: thin wrappers that take ids and call services."""

from shared.tasks.base import task


@task
def build_department_report(report_id: int) -> bool:
    """Build one requested department report (CSV + PDF), with progress; safe to run twice."""
    from reports.services import build_report

    return build_report(report_id=report_id)
