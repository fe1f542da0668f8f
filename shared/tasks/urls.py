"""Task progress: a JSON endpoint to poll and a server-sent-events stream.

Included at the root by ``shared_urlpatterns()``, so the full paths are below."""

from django.urls import path

from shared.tasks import api, views

app_name = "shared_tasks"

urlpatterns = [
    path("api/v1/tasks/<uuid:pk>/", api.TaskProgressDetail.as_view(), name="api-progress"),
    path("tasks/<uuid:pk>/events/", views.progress_stream, name="progress-events"),
]
