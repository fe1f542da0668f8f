"""The monthly department report: one row per request, its files stored with it."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.roles import HOSPITAL_ADMIN, REPORTING
from shared.accounts.roles import user_has_role


class DepartmentReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The hospital admin sees every report; other staff see the ones they requested."""
        if not user_has_role(user, *REPORTING):
            return self.none()
        if user_has_role(user, HOSPITAL_ADMIN):
            return self.all()
        return self.filter(requested_by=user)

    def with_related(self):
        return self.select_related("department", "requested_by", "job")


class DepartmentReport(models.Model):
    """Visits and revenue of one month, for one department or all of them.

    The CSV and PDF are kept in the row rather than in MEDIA_ROOT: they are small
    (one month of a hospital fits in a few kilobytes), and the web container and the
    Celery worker container then need no shared disk to hand the files over.
    """

    month = models.DateField(help_text="The first day of the month reported.")
    department = models.ForeignKey(
        "staff.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for every department.",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    # The progress bar's row (shared.tasks); the page and the API read the job's state from it.
    job = models.OneToOneField(
        "shared_tasks.TaskProgress",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    csv_content = models.TextField(blank=True, editable=False)
    pdf_content = models.BinaryField(blank=True, editable=False)
    built_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = DepartmentReportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="reports_departmentreport_month_first_day"
            ),
        ]

    def __str__(self) -> str:
        scope = self.department.name if self.department_id else "All departments"
        return f"{scope} · {self.month:%B %Y}"

    @property
    def is_ready(self) -> bool:
        return self.built_at is not None

    def filename(self, extension: str) -> str:
        scope = self.department.code if self.department_id else "all"
        return f"department-report-{scope}-{self.month:%Y-%m}.{extension}"
