"""Admin for courses: staff, modules and lessons inline, so a platform admin can fix anything."""

from django.contrib import admin

from courses.models import Announcement, Course, CourseStaff, Lesson, Module, Tag


class CourseStaffInline(admin.TabularInline):
    model = CourseStaff
    extra = 0
    raw_id_fields = ["user"]


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "capacity", "seats_taken", "starts_on"]
    list_filter = ["status", "tags"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["seats_taken"]
    inlines = [CourseStaffInline, ModuleInline]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "kind", "position"]
    list_select_related = ["module__course"]
    search_fields = ["title"]


admin.site.register(Tag)
admin.site.register(Announcement)
