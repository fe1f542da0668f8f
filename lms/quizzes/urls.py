"""Quiz pages, and the instructor's quiz editor under the course builder (/teach/<slug>/)."""

from django.urls import path

from quizzes import views

app_name = "quizzes"
urlpatterns = [
    path("quizzes/<int:pk>/", views.quiz_detail, name="detail"),
    path("quizzes/<int:pk>/start/", views.start, name="start"),
    path("attempts/<int:pk>/", views.take, name="attempt"),
    path("attempts/<int:pk>/result/", views.result, name="result"),
    # The editor.
    path("teach/<slug:slug>/quizzes/new/", views.quiz_create, name="create"),
    path("teach/<slug:slug>/quizzes/<int:pk>/", views.quiz_edit, name="edit"),
    path(
        "teach/<slug:slug>/quizzes/<int:pk>/questions/new/",
        views.question_edit,
        name="question-create",
    ),
    path(
        "teach/<slug:slug>/quizzes/<int:pk>/questions/<int:question_pk>/",
        views.question_edit,
        name="question-edit",
    ),
    path(
        "teach/<slug:slug>/quizzes/<int:pk>/questions/<int:question_pk>/delete/",
        views.question_delete,
        name="question-delete",
    ),
    path(
        "teach/<slug:slug>/quizzes/<int:pk>/questions/<int:question_pk>/move/<str:direction>/",
        views.question_move,
        name="question-move",
    ),
]
