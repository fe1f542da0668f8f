"""The base task and the on-commit enqueue helper."""

import logging
from collections.abc import Callable
from typing import Any

from celery import Task, shared_task
from django.db import OperationalError, transaction

logger = logging.getLogger(__name__)

# Errors worth another try: the database or a remote service was briefly away.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, ConnectionError, TimeoutError)


class BaseTask(Task):
    """Retries transient errors with exponential backoff and jitter (2 s, 4 s, 8 s ... at most 10 min)."""

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 2
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5


def task(*args, **kwargs) -> Callable:
    """``@task`` is ``@shared_task`` with ``BaseTask`` as the base class."""
    kwargs.setdefault("base", BaseTask)
    return shared_task(*args, **kwargs)


def enqueue_on_commit(task_: Task, *args: Any, **kwargs: Any) -> None:
    """Send ``task_`` once the current transaction commits, and never if it rolls back.

    Outside a transaction (autocommit) it is sent at once. Pass ids, not objects:
    the worker reads fresh rows, and the message stays small and JSON-safe.
    """
    transaction.on_commit(lambda: task_.delay(*args, **kwargs), robust=False)
