"""Assignment pages and the submission files."""

from django.urls import path

from assignments import views

app_name = "assignments"
urlpatterns = [
    path("assignments/<int:pk>/", views.assignment_detail, name="detail"),
    path("submissions/<int:pk>/grade/", views.grade, name="grade"),
    path("files/submissions/<int:pk>/", views.submission_file, name="file"),
]
