"""Imported by Celery's autodiscovery (``<app>.tasks``), so every worker knows the shared tasks."""

from shared.tasks.email import send_templated_email

__all__ = ["send_templated_email"]
