"""The certificates app: one certificate per completed enrollment, a PDF and a public check."""

from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The certificate PDF's attachment builder lives in tasks.py. A worker imports it by
        # autodiscovery; importing it here registers it in every process (the web process
        # sends emails itself in the embedded mode, and a test calls the service directly).
        from certificates import tasks  # noqa: F401
