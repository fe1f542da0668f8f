"""The live classroom's pages; its WebSocket route is in routing.py."""

from django.urls import path

from classroom import views

app_name = "classroom"
urlpatterns = [
    path("teach/<slug:slug>/live/", views.console, name="console"),
    path("teach/<slug:slug>/live/open/", views.open_session, name="open"),
    path("teach/<slug:slug>/live/<int:pk>/questions/", views.push_question, name="push"),
    path("teach/<slug:slug>/live/<int:pk>/close/", views.close_session, name="close"),
    path("learn/<slug:slug>/live/", views.join, name="join"),
    path("learn/<slug:slug>/live/answer/", views.answer, name="answer"),
]
