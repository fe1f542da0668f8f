from django.contrib import admin

from reports.models import DepartmentReport


@admin.register(DepartmentReport)
class DepartmentReportAdmin(admin.ModelAdmin):
    list_display = ["month", "department", "requested_by", "requested_at", "built_at"]
    list_select_related = ["department", "requested_by"]
    readonly_fields = ["month", "department", "requested_by", "requested_at", "job", "built_at"]
    exclude = ["csv_content", "pdf_content"]

    def has_add_permission(self, request):
        return False  # requested from the reports page, which starts the job
