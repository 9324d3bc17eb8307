"""A hook through which long computations report their steps.

Estimators call :func:`report` once per greedy step or per value of ``beta``; unless
someone listens, that costs one context-variable lookup. The command line listens to
draw its progress bar. A context variable keeps listeners of different threads and
tasks apart, so a listener never sees another thread's work.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator

__all__ = ["listen", "report"]

_listener: contextvars.ContextVar[Callable[[int], None] | None] = (
    contextvars.ContextVar("skinfo_progress", default=None)
)


@contextlib.contextmanager
def listen(callback: Callable[[int], None]) -> Iterator[None]:
    """Call ``callback(steps)`` for every step reported inside the ``with`` block."""
    token = _listener.set(callback)
    try:
        yield
    finally:
        _listener.reset(token)


def report(steps: int = 1) -> None:
    """Tell the current listener, if any, that ``steps`` more steps are done."""
    callback = _listener.get()
    if callback is not None:
        callback(steps)
