from django.urls import path

from shared.tests.project.lab import views

app_name = "lab"
urlpatterns = [
    path("count/", views.count, name="count"),
    path("jobs/<uuid:pk>/", views.job_page, name="job"),
]
