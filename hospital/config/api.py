"""The hospital's one API router. Each app registers its viewsets here (in its api.py),
and config/urls.py mounts the router under /api/v1/."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
