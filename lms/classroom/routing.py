"""The WebSocket routes of the LMS (config/asgi.py mounts them), like urls.py for HTTP."""

from django.urls import path

from classroom.consumers import ClassroomConsumer

websocket_urlpatterns = [
    path("ws/courses/<slug:slug>/live/", ClassroomConsumer.as_asgi()),
]
