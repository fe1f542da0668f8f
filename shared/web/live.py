"""Send an event to a group of connected WebSockets (Django Channels), after the commit.

A service changes rows inside a transaction; the sockets must hear about it only once the
rows are there for everybody, and never about a change that rolled back. This is the same
rule as ``shared.tasks.base.enqueue_on_commit`` for jobs. Each open socket of the group
receives ``event`` and its consumer decides what to write to the browser.

The channel layer is the in-memory one in the embedded mode and Redis otherwise
(``CHANNEL_LAYERS`` in shared/web/settings.py); a project without one sends nothing.
"""

import asyncio
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def group_send_now(group: str, event: dict[str, Any]) -> None:
    """Send ``event`` to every socket of ``group`` at once (from synchronous code)."""
    layer = get_channel_layer()
    if layer is None:
        return
    send = async_to_sync(layer.group_send)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        send(group, event)  # the usual case: a view, a task, a command
        return
    # This thread runs an event loop that is not ours to block (a browser test's Playwright
    # calling a service in the test body): async_to_sync refuses it, so send from a thread.
    failures: list[BaseException] = []

    def send_or_keep_the_error() -> None:
        try:
            send(group, event)
        except BaseException as error:  # raised below, in the caller's thread
            failures.append(error)

    sender = threading.Thread(target=send_or_keep_the_error)
    sender.start()
    sender.join()
    if failures:
        raise failures[0]


def group_send_on_commit(group: str, event: dict[str, Any]) -> None:
    """Send ``event`` to ``group`` when the current transaction commits (never on rollback)."""
    transaction.on_commit(lambda: group_send_now(group, event))
