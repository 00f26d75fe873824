"""Work that need not hold up a response: done once the response is sent, when there is one.

A WSGI server calls the response's `close()` after sending it, and Django sends `request_finished`
from there: work deferred during the request runs then, in order, each piece on its own (a failure is
logged and the rest still runs). The person has their page by then; the worker process finishes the
work before it takes its next request. Outside a request (tasks, commands, the shell) the work is
done at once.

Only for work the system survives losing, and that needs no database: a process killed between
the response and its `close()` never does it, and Django may close the connection on
`request_finished`. Handing notices to the broker qualifies: the sweeper delivers every row that
did not reach the queue (notifications.services).
"""

import logging
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)

_local = threading.local()  # `pending`: this thread's request's deferred work, or None outside a request


def after_response(work: Callable[[], object]) -> None:
    """Run `work` once this thread's response is sent, or now when no request is being served."""
    pending = getattr(_local, "pending", None)
    if pending is None:
        work()
    else:
        pending.append(work)


def in_request() -> bool:
    """Whether this thread is serving a request whose response is not sent yet."""
    return getattr(_local, "pending", None) is not None


def request_started(**kwargs) -> None:
    _run(getattr(_local, "pending", None))  # left by a request whose response was never closed
    _local.pending = []


def request_finished(**kwargs) -> None:
    pending = getattr(_local, "pending", None)
    _local.pending = None
    _run(pending)


def _run(pending) -> None:
    for work in pending or ():
        try:
            work()
        except Exception:
            logger.exception("work deferred to after the response failed: %r", work)
