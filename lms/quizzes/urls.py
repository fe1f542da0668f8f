"""Quiz pages."""

from django.urls import path

from quizzes import views

app_name = "quizzes"
urlpatterns = [
    path("quizzes/<int:pk>/", views.quiz_detail, name="detail"),
    path("quizzes/<int:pk>/start/", views.start, name="start"),
    path("attempts/<int:pk>/", views.take, name="attempt"),
    path("attempts/<int:pk>/result/", views.result, name="result"),
]
