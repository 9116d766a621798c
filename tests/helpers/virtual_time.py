"""An asyncio event loop on a virtual clock, for exact tests of code that sleeps.

Whenever the loop would wait for its next timer, the clock jumps straight to it instead,
so a poller that sleeps for ten minutes of cache cycles runs in milliseconds, and every
moment it sees is exact. Work that is ready always runs before the clock moves, so on
this loop "the app has gone idle" is a fact, not a guess, and no test here can depend on
how fast the machine is.

Textual runs on it unchanged: while the loop is open, Textual's timers, animations and
Pilot's "wait until idle" read the loop's clock (see :func:`_textual_on_loop_time`).

Threads: work handed to the loop's executor (``asyncio.to_thread``, Textual's thread
workers) takes no virtual time: while any is running the clock stands still and the loop
waits for it in real time (so a test that holds a thread on purpose while the app must go
on runs on a real loop: mark it ``real_time``). Real I/O (sockets, pipes, subprocesses)
cannot be waited on, as its answer comes in real time while the clock jumps: a test whose
loop watches one fails at once with a clear error, instead of passing or timing out by
chance. Serve the simulator in-process instead (:mod:`tests.helpers.sim_transport`).
"""

from __future__ import annotations

import asyncio
import selectors

REAL_WAIT = 60.0
"""Real seconds the loop waits for a thread (or a wake-up from one) before calling it stuck."""


class _JumpingSelector:
    """A selector that never blocks on timers: it moves the loop's clock by the timeout instead."""

    def __init__(self, selector: selectors.BaseSelector, loop: "VirtualTimeLoop") -> None:
        self._selector = selector
        self._loop = loop

    def select(self, timeout: float | None = None):
        loop = self._loop
        real = loop.real_io()
        if real:  # refused at once, not only when the clock would jump: no race can let it pass
            raise RuntimeError(
                f"the virtual-time loop is watching real I/O ({real}): serve the simulator in-process "
                "(tests.helpers.sim_transport) or run this test in real time (mark it real_time)"
            )
        events = self._selector.select(0)
        if events or timeout == 0:  # something to do already: never wait, never jump
            return events
        if loop.threads or timeout is None:
            # Work in other threads, or nothing scheduled (only a thread can wake the loop,
            # as when it shuts its executor down): the clock stands still while the loop
            # waits for them in real time.
            events = self._selector.select(REAL_WAIT)
            if not events:
                waiting = f"{loop.threads} thread(s) to finish" if loop.threads else "anything (nothing is scheduled)"
                raise RuntimeError(f"the virtual-time loop waited {REAL_WAIT:g} real seconds for {waiting}")
            return events
        loop.now += max(0.0, timeout)
        return []

    def __getattr__(self, name: str):
        return getattr(self._selector, name)


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self, start: float = 0.0) -> None:
        super().__init__()
        self.now = start
        self.threads = 0  # executor jobs running now
        self._selector = _JumpingSelector(self._selector, self)  # type: ignore[assignment]
        self._restore_textual = _textual_on_loop_time(self)

    def time(self) -> float:
        return self.now

    def run_in_executor(self, executor, func, *args):
        future = super().run_in_executor(executor, func, *args)
        self.threads += 1

        def finished(_: asyncio.Future) -> None:
            self.threads -= 1

        future.add_done_callback(finished)
        return future

    def real_io(self) -> str:
        """The file descriptors the loop watches besides its own wake-up pipe ('' if none)."""
        own = self._ssock.fileno() if getattr(self, "_ssock", None) is not None else -1
        fds = sorted(key.fd for key in self._selector.get_map().values() if key.fd != own)
        return ", ".join(f"fd {fd}" for fd in fds)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._restore_textual()


def _textual_on_loop_time(loop: VirtualTimeLoop):
    """Make Textual read ``loop``'s clock; returns the function that undoes it.

    Textual's timers and animator read ``textual._time.get_time`` (the real monotonic
    clock), which would make a virtual interval fire at 1, 3, 6, 10... intervals. Pilot's
    ``wait_for_idle`` compares real and CPU time; here it sleeps one 20 ms step, which
    runs everything ready first (the clock only moves when nothing is), so that is exact.
    """
    from textual import _time, _wait

    saved = (_time.get_time, _wait.monotonic, _wait.process_time)
    clock = loop.time
    _time.get_time = clock
    _wait.monotonic = clock
    _wait.process_time = lambda: 0.0

    def restore() -> None:
        if _time.get_time is clock:
            _time.get_time, _wait.monotonic, _wait.process_time = saved

    return restore


def run_virtual(main, start: float = 0.0):
    """Run ``main(loop)`` (a coroutine function) to completion on a fresh virtual-time loop,
    cleaning up as :func:`asyncio.run` does."""
    with asyncio.Runner(loop_factory=lambda: VirtualTimeLoop(start)) as runner:
        return runner.run(main(runner.get_loop()))
