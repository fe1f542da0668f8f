"""Gradebook pages."""

from django.urls import path

from gradebook import views

app_name = "gradebook"
urlpatterns = [
    path("teach/<slug:slug>/gradebook/", views.course_gradebook, name="course"),
    path("teach/<slug:slug>/gradebook.csv", views.gradebook_csv, name="csv"),
]
