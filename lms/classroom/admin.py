"""Admin for live sessions: read what happened; running a session is the console's job."""

from django.contrib import admin

from classroom.models import LiveQuestion, LiveSession


class LiveQuestionInline(admin.TabularInline):
    model = LiveQuestion
    fields = ["prompt", "choices", "pushed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(LiveSession)
class LiveSessionAdmin(admin.ModelAdmin):
    list_display = ["course", "opened_by", "opened_at", "closed_at"]
    list_filter = ["course"]
    list_select_related = ["course", "opened_by"]
    readonly_fields = ["course", "opened_by", "opened_at"]
    inlines = [LiveQuestionInline]
