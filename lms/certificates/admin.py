"""Admin for certificates: read only, a certificate is never edited after it is issued."""

from django.contrib import admin

from certificates.models import Certificate


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "student_name", "course_title", "issued_at"]
    search_fields = ["code", "student_name"]
    readonly_fields = ["enrollment", "code", "student_name", "course_title", "issued_at"]
