"""The patients app's Celery task: a nightly check of the access log's hash chain."""

import logging

from django.core.mail import mail_admins

from patients.services import verify_access_log
from shared.tasks.base import task

logger = logging.getLogger(__name__)


@task(name="patients.tasks.verify_access_log_chain")
def verify_access_log_chain() -> bool:
    """Nightly (beat): recompute the chain. On a break, log an error and email the ADMINS:
    a tampered log is an incident, and nobody reads a log that says "all good" every night."""
    ok, message, _ = verify_access_log()
    if ok:
        logger.info("access log verified: %s", message)
        return True
    logger.error("ACCESS LOG TAMPERED: %s", message)
    mail_admins("Access log tampered", f"manage.py verify_access_log found: {message}")
    return False
