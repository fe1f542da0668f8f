"""The course pages: catalogue, course page, and the builder under /teach/."""

from django.urls import path

from courses import views

app_name = "courses"
urlpatterns = [
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/<slug:slug>/", views.course_detail, name="detail"),
    path("teach/", views.teaching, name="teaching"),
    path("teach/new/", views.course_create, name="create"),
    path("teach/<slug:slug>/", views.builder, name="builder"),
    path("teach/<slug:slug>/do/<str:action>/", views.course_transition, name="transition"),
    path("teach/<slug:slug>/modules/", views.module_create, name="module-create"),
    path(
        "teach/<slug:slug>/modules/<int:module_pk>/lessons/",
        views.lesson_create,
        name="lesson-create",
    ),
    path(
        "teach/<slug:slug>/<str:kind>/<int:pk>/move/<str:direction>/",
        views.move_item,
        name="move",
    ),
    path("teach/<slug:slug>/announcements/", views.announcement_create, name="announce"),
]
