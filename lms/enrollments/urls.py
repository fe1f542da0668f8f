"""The learner's pages."""

from django.urls import path

from enrollments import views

app_name = "enrollments"
urlpatterns = [
    path("courses/<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("enrollments/<int:pk>/drop/", views.drop, name="drop"),
    path("my/courses/", views.my_learning, name="mine"),
    path("learn/<slug:slug>/", views.learn, name="learn"),
    path("learn/<slug:slug>/lessons/<int:pk>/", views.lesson_view, name="lesson"),
    path("learn/<slug:slug>/lessons/<int:pk>/complete/", views.complete_lesson, name="complete"),
    path("teach/<slug:slug>/bulk-enrol/", views.bulk_enroll, name="bulk"),
    path("bulk-enrollments/<int:pk>/", views.bulk_detail, name="bulk-detail"),
    path("bulk-enrollments/<int:pk>/errors.csv", views.bulk_errors, name="bulk-errors"),
    path("files/lessons/<int:pk>/", views.lesson_attachment, name="lesson-file"),
]
