"""Run callables at the same instant in threads, to prove database rules under races."""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None


def run_concurrently(*callables: Callable[[], Any], timeout: float = 30) -> list[Outcome]:
    """Start one thread per callable, release them together behind a barrier, and
    return each one's result or exception, in order.

    Each thread opens its own database connection (Django gives one per thread) and
    closes it at the end, so PostgreSQL sees truly parallel transactions. Use it in a
    ``@pytest.mark.django_db(transaction=True)`` test: the rows it sets up must be
    committed for the other connections to see them.
    """
    barrier = threading.Barrier(len(callables))
    outcomes = [Outcome() for _ in callables]

    def runner(index: int, func: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=timeout)
            outcomes[index].value = func()
        except BaseException as exc:  # collected and shown to the test, never swallowed
            outcomes[index].error = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if any(thread.is_alive() for thread in threads):
        raise TimeoutError("a concurrent callable did not finish in time (deadlock?)")
    return outcomes
