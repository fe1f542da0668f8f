"""A small project that exercises the shared package on its own."""

# Load the Celery app with Django, as a project's config/__init__.py does.
from shared.tests.project.celery_app import app as celery_app

__all__ = ["celery_app"]
