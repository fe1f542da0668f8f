"""The hospital's one API router, and the bridge from service errors to API errors.

Each app registers its viewsets on ``router`` (in its api.py), and config/urls.py mounts
the router under /api/v1/.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings

router = DefaultRouter()


class ServiceErrors:
    """``with ServiceErrors(): services.book_appointment(...)`` in an API view.

    Services raise Django's ValidationError (the pages show it as a form error); DRF
    only turns its own ValidationError into a 400. This re-raises one as the other,
    keeping the field names and codes, so the API answers 400 with field messages,
    never a 500.
    """

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is not None and issubclass(exc_type, DjangoValidationError):
            detail = serializers.as_serializer_error(exc)
            # Django names errors of the whole object "__all__"; DRF calls them non_field_errors.
            if NON_FIELD_ERRORS in detail:
                detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
            raise serializers.ValidationError(detail) from exc
        return False
