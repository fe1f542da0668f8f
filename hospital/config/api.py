"""The hospital's one API router. Each app registers its viewsets here (in its api.py),
and config/urls.py mounts the router under /api/v1/."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()


class ServiceErrors:
    """``with ServiceErrors(): services.book_appointment(...)`` in an API view.

    Services raise Django's ValidationError (the pages show it as a form error); DRF
    only turns its own ValidationError into a 400. This re-raises one as the other,
    keeping the field names, so the API answers 400 with field messages, never a 500.
    """

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        from django.core.exceptions import ValidationError as DjangoValidationError
        from rest_framework import serializers

        if exc_type is not None and issubclass(exc_type, DjangoValidationError):
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        return False
