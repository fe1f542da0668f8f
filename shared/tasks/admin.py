from django.contrib import admin

from shared.tasks.models import SentEmail, TaskProgress


@admin.register(TaskProgress)
class TaskProgressAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "owner", "state", "current", "total", "created", "updated")
    list_filter = ("state",)
    list_select_related = ("owner",)
    search_fields = ("name", "owner__email")
    readonly_fields = ("id", "created", "updated")


@admin.register(SentEmail)
class SentEmailAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("key", "to", "subject", "sent_at")
    search_fields = ("key", "to")
