"""Work a view leaves until its response has been sent, done by the same process.

``after_response(func, *args)`` during a request runs ``func(*args)`` when Django closes the
response (the ``request_finished`` signal, which the WSGI server sends once the body is out, and
Django's test client once it has the response). The person waits for none of it; the process
is busy with it before its next request. For work that only keeps a cache warm, where a
background worker would need a cache shared with the web processes (Redis) to be of use: a
failure is logged, never raised, and the work is simply done again by a later request.
"""

import logging
import threading

logger = logging.getLogger(__name__)
_pending = threading.local()


def after_response(func, *args, **kwargs) -> None:
    """Run ``func(*args, **kwargs)`` once this thread's current response has been sent."""
    if not hasattr(_pending, "calls"):
        _pending.calls = []
    _pending.calls.append((func, args, kwargs))


def run_pending(**kwargs) -> None:
    """``request_finished``'s receiver (connected in ``CoreConfig.ready``)."""
    calls, _pending.calls = getattr(_pending, "calls", []), []
    for func, args, func_kwargs in calls:
        try:
            func(*args, **func_kwargs)
        except Exception:  # a cache left cold is the worst outcome: say so, go on
            logger.exception(
                "Work after the response failed: %s", getattr(func, "__qualname__", func)
            )
