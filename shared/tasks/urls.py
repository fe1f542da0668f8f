"""Task progress: a JSON endpoint to poll and a server-sent-events stream."""

from django.urls import path

urlpatterns: list = []  # built out in the tasks work
