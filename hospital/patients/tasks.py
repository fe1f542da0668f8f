"""The patients app's Celery task: a nightly check of the access log's hash chain."""

import logging

from django.conf import settings

from patients import services
from shared.tasks.base import enqueue_on_commit, task

logger = logging.getLogger(__name__)


@task(name="patients.verify_access_log_chain")
def verify_access_log_chain() -> bool:
    """Nightly (beat): recompute the chain. On a break, log an error and email the ADMINS:
    a tampered log is an incident, and nobody reads a log that says "all good" every night."""
    ok, message, _ = services.verify_access_log()
    if ok:
        logger.info("access log verified: %s", message)
        return True
    logger.error("ACCESS LOG TAMPERED: %s", message)
    admins = [email for _, email in settings.ADMINS]
    if admins:
        enqueue_on_commit(
            "shared.send_templated_email",
            to=admins,
            subject=f"{settings.EMAIL_SUBJECT_PREFIX}Access log tampered",
            template="patients/email/access_log_tampered",
            context={"message": message},
        )
    return False
