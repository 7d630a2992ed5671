"""Injected crash points: prove that killing ipwatch at any step loses and duplicates nothing;
and SIGTERM turned into an exception, so a stopped cycle records that it was stopped.

A stage calls `crash_point("<stage>.<step>")` at the moments where a crash hurts most (after a
write, before its commit; after a message left, before it was marked sent). In production the
environment variable is unset and the call returns at once. The crash tests set
IPWATCH_CRASH_AT=<point> (or <point>:<N> for the N-th time it is reached) and then check the
database of the killed process after a clean restart.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

ENV = "IPWATCH_CRASH_AT"

# Where the stages call crash_point, in cycle order; the crash tests iterate over this list.
POINTS: tuple[str, ...] = (
    "crawl.item",  # crawler pipeline, after an item is written, before the source is recorded
    "extract.event",  # matcher/extract.py, after an event is extracted, before the batch commits
    "alerts.render",  # after a notice number is allocated and rendered, before the commit
    "outbox.sending",  # after a message is marked sending, before SMTP DATA
    "outbox.sent",  # after the SMTP server accepted a message, before it is marked sent
)

# How often each point was reached in this process, for the "<point>:<N>" form.
_reached: dict[str, int] = {}


class FaultSpecError(ValueError):
    """IPWATCH_CRASH_AT does not have the form <point> or <point>:<N>."""


def parse_spec(spec: str) -> tuple[str, int]:
    """Split an IPWATCH_CRASH_AT value into the point name and the N-th time to crash at."""
    name, sep, nth = spec.strip().partition(":")
    if not name or (sep and not nth.isdigit()) or (sep and int(nth) < 1):
        raise FaultSpecError(f"{ENV}={spec!r}: expected <point> or <point>:<N> with N >= 1")
    return name, int(nth) if sep else 1


def crash_point(name: str) -> None:
    """Kill this process with SIGKILL here when IPWATCH_CRASH_AT names this point."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    target, nth = parse_spec(spec)
    if target != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] >= nth:
        # SIGKILL, not an exception: no finally block, atexit hook or rollback may run, exactly
        # as when the server loses power or the OOM killer strikes.
        os.kill(os.getpid(), signal.SIGKILL)


def crash_env(point: str, nth: int = 1) -> dict[str, str]:
    """The environment additions that make a child process crash at `point` the N-th time."""
    if point not in POINTS:
        raise FaultSpecError(f"unknown crash point {point!r} (known: {', '.join(POINTS)})")
    return {ENV: f"{point}:{nth}"}


@contextmanager
def terminated_as_exit() -> Iterator[None]:
    """SIGTERM (systemd, the scheduler's stop, `kill`) ends the cycle as an exception, so its
    run row says it was stopped instead of staying "running" for ever."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(f"stopped by signal {signal.Signals(signum).name}")

    before = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)
