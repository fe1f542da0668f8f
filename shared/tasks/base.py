"""The base task and the on-commit enqueue helper."""

import logging
from typing import Any

from celery import Task, current_app, shared_task
from django.db import OperationalError, transaction
from django_guid import get_guid, set_guid
from django_guid.config import settings as guid_settings

logger = logging.getLogger(__name__)

# Errors worth another try: the database or a remote service was briefly away.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    ConnectionError,
    TimeoutError,
)


class BaseTask(Task):
    """Retries transient errors with backoff and jitter (2 s, 4 s, 8 s ... at most 10 min).

    Two extras every task gets:

    * a task called with ``job_id=`` (a ``TaskProgress`` id) marks that job failed when
      it gives up, so a progress bar never spins forever;
    * in eager mode (the embedded default) the task logs with the request id of the
      web request that enqueued it, as a real worker does (see ``apply``).
    """

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 2
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5

    def apply(
        self,
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
        *,
        throw: bool | None = None,
        **options: Any,
    ) -> Any:
        """Run the task here and now: eager mode (``make test``, ``make run``) calls this.

        Two fixes so that eager mode behaves like a worker:

        * Celery's eager mode with ``task_eager_propagates`` raises the first
          ``Retry`` instead of retrying, and skips ``on_failure``. We run it without
          propagation, so retries happen (at once: countdowns are not waited for
          eagerly), and raise the final error ourselves.
        * No message is published, so django-guid never copies the request id into
          the task's headers, and its post-run hook clears the id of the request that
          is still running. We carry it in the headers and restore it after.
        """
        if throw is None:
            throw = self.app.conf.task_eager_propagates
        request_id = get_guid()
        headers = dict(options.pop("headers", None) or {})
        if request_id:
            headers.setdefault(guid_settings.guid_header_name, request_id)
        try:
            result = super().apply(args, kwargs, headers=headers, throw=False, **options)
        finally:
            set_guid(request_id)
        if throw:
            result.maybe_throw()
        return result

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.request.is_eager:
            request_id = (self.request.headers or {}).get(guid_settings.guid_header_name)
            if request_id:
                set_guid(request_id)
        return super().__call__(*args, **kwargs)

    def on_failure(
        self,
        exc: BaseException,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: Any,
    ) -> None:
        job_id = (kwargs or {}).get("job_id")
        if job_id:
            from shared.tasks.models import TaskProgress

            job = TaskProgress.objects.filter(pk=job_id).first()
            if job:
                job.fail("The job failed; it has been logged for the team.")
        super().on_failure(exc, task_id, args, kwargs, einfo)


def task(*args: Any, **kwargs: Any) -> Any:
    """``@task`` is ``@shared_task`` with ``BaseTask`` as the base class."""
    kwargs.setdefault("base", BaseTask)
    return shared_task(*args, **kwargs)


def enqueue_on_commit(task_: Task | str, *args: Any, **kwargs: Any) -> None:
    """Send a task once the current transaction commits, and never if it rolls back.

    Services name the task (``enqueue_on_commit("orders.send_confirmation", order_id=7)``)
    rather than import it: tasks import services to do their work, so a service importing
    tasks would close a cycle. Outside a transaction (autocommit) it is sent at once. Pass
    ids, not objects: the worker reads fresh rows, and the message stays small and JSON-safe.
    """
    if isinstance(task_, str):
        # The registry lookup (not app.send_task) keeps eager mode working: the task runs
        # in-process under CELERY_TASK_ALWAYS_EAGER. A web process imports the apps'
        # tasks.py modules the first time it needs one; an unknown name fails at once.
        if task_ not in current_app.tasks:
            current_app.autodiscover_tasks(force=True)
        task_ = current_app.tasks[task_]
    found = task_
    transaction.on_commit(lambda: found.delay(*args, **kwargs), robust=False)
