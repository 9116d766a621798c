"""The event stream client: 8x8's Pulsar WebSocket reader, kept connected.

Uses the ``websockets`` library (made for this; httpx has no WebSocket client). It
connects with ``X-API-Key`` (the v5 access token, or the Data Request Token
``base64(tenant:token)`` on the legacy source), acknowledges every data message (the
stream stalls otherwise, even for readers), skips control frames, answers pings (the
library does, and pings every 20 s itself), and refuses frames over
:data:`~wallboard.core.wire.events.MAX_FRAME_BYTES`. When the connection drops it
reconnects with back-off (1 s doubling to 30 s) from the last message id it saw
(``messageId=<id>``, URL-encoded), so nothing is missed (except after a frame too large to
accept, which would come back forever: then it resumes from the newest, and the next
poll covers the gap); ids already applied are
remembered (the last :data:`REMEMBERED`) so a server that replays the last message
never applies it twice.

Events go to ``on_event`` (and, for a relay that re-serves the stream, each new data
message as it came, to ``on_data``); the stream's state (live, or down with a reason) to
``on_status``. Nothing here raises to the caller: a refused key (401/403) is reported
and retried slowly (the polled data is still live, so this is no banner).
"""

from __future__ import annotations

import asyncio
import random
from collections import OrderedDict
from typing import Awaitable, Callable
from urllib.parse import quote, urlsplit, urlunsplit, parse_qsl, urlencode

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from wallboard.core.text import clean_text
from wallboard.core.wire.events import MAX_FRAME_BYTES, Control, Frame, Ignored, Problem, ack, read_frame
from wallboard.urls import is_loopback

REMEMBERED = 4096
FIRST_RETRY, MAX_RETRY, REFUSED_RETRY = 1.0, 30.0, 120.0
OPEN_TIMEOUT = 45.0  # the vendor's recommended connect timeout
PING_INTERVAL = 20.0

KeyProvider = Callable[[], Awaitable[str]]
"""Gives the key to connect with (fetched anew for every connection: tokens expire)."""


def stream_url(base: str, after: str | None) -> str:
    """``base`` with ``messageId`` set to resume after ``after`` (``latest`` when None)."""
    parts = urlsplit(base)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "messageId"]
    query.append(("messageId", after or "latest"))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query, quote_via=quote, safe=""), ""))


def _retrieved(future: asyncio.Future) -> None:
    if not future.cancelled():
        future.exception()


class EventStream:
    """Run with :meth:`run` (a task); :meth:`stop` ends it."""

    def __init__(
        self,
        url: str,
        key: KeyProvider,
        on_event: Callable[[Frame], None],
        on_status: Callable[[bool, str], None],
        *,
        first_retry: float = FIRST_RETRY,
        max_retry: float = MAX_RETRY,
        on_data: Callable[[Frame, str], None] | None = None,
    ) -> None:
        self.url = url
        self.key = key
        self.on_event = on_event
        self.on_status = on_status
        self.on_data = on_data
        self.first_retry = first_retry
        self.max_retry = max_retry
        self.last_id: str | None = None
        self.seen: OrderedDict[str, None] = OrderedDict()
        self.applied = 0
        self.duplicates = 0
        self.problems = 0
        self.connections = 0
        self._stopped = asyncio.Event()

    def stop(self) -> None:
        self._stopped.set()

    async def run(self) -> None:
        failures = 0
        while not self._stopped.is_set():
            try:
                reason, refused = await self._connect_once()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # a bug must not take the board down: polling carries on
                reason, refused = f"the stream failed ({type(error).__name__})", False
            if self._stopped.is_set():
                return
            failures = 0 if reason is None else failures + 1
            delay = REFUSED_RETRY if refused else min(self.max_retry, self.first_retry * 2 ** max(0, failures - 1))
            delay *= random.uniform(0.8, 1.2)
            self.on_status(False, f"{reason or 'the stream closed'}; reconnecting in {delay:.0f}s")
            try:
                await asyncio.wait_for(self._stopped.wait(), timeout=delay)
            except asyncio.TimeoutError:
                pass

    async def _connect_once(self) -> tuple[str | None, bool]:
        """One connection until it ends: (why it ended, whether the key was refused)."""
        try:
            key = await self.key()
        except Exception as error:  # the token login failed: the poller says why
            return f"no key for the stream ({clean_text(str(error), 80)})", False
        url = stream_url(self.url, self.last_id)
        host = urlsplit(url).hostname or ""
        try:
            async with connect(
                url,
                additional_headers={"X-API-Key": key},
                max_size=MAX_FRAME_BYTES,
                open_timeout=OPEN_TIMEOUT,
                ping_interval=PING_INTERVAL,
                ping_timeout=PING_INTERVAL,
                proxy=None if is_loopback(host) else True,
                user_agent_header="wallboard",
            ) as socket:
                self.connections += 1
                self.on_status(True, "")
                stop = asyncio.ensure_future(self._stopped.wait())
                receive: asyncio.Future | None = None
                try:
                    while True:
                        receive = asyncio.ensure_future(socket.recv())
                        done, _ = await asyncio.wait({receive, stop}, return_when=asyncio.FIRST_COMPLETED)
                        if stop in done:
                            return None, False
                        await self._handle(socket, receive.result())
                finally:
                    stop.cancel()
                    if receive is not None:  # stopped or cancelled mid-wait: its end is nobody's error
                        receive.cancel()
                        receive.add_done_callback(_retrieved)
        except InvalidStatus as error:
            status = error.response.status_code
            if status in (401, 403):
                return f"the stream refused the key (HTTP {status})", True
            return f"the stream answered HTTP {status}", False
        except ConnectionClosed as error:
            code = error.rcvd.code if error.rcvd is not None else None
            if code == 1009 or (error.sent is not None and error.sent.code == 1009):
                # Resuming from the last id would bring the same frame back forever: resume
                # from the newest instead; the next poll covers what was skipped.
                self.last_id = None
                return "the stream sent a frame too large to accept (skipped)", False
            return "the stream connection closed", False
        except (InvalidURI, InvalidHandshake) as error:
            return f"the stream could not be opened ({type(error).__name__})", False
        except (OSError, asyncio.TimeoutError) as error:
            return f"cannot reach the stream ({type(error).__name__})", False

    async def _handle(self, socket, message: str | bytes) -> None:
        frame = read_frame(message)
        if isinstance(frame.event, Control):
            return
        if frame.message_id is not None:
            await socket.send(ack(frame.message_id))  # every data message, even one we cannot read
            self.last_id = frame.message_id
            if frame.message_id in self.seen:
                self.duplicates += 1
                return
            self.seen[frame.message_id] = None
            if len(self.seen) > REMEMBERED:
                self.seen.popitem(last=False)
            if self.on_data is not None:
                self.on_data(frame, message if isinstance(message, str) else message.decode("utf-8", errors="replace"))
        if isinstance(frame.event, Problem):
            self.problems += 1
        elif not isinstance(frame.event, Ignored):
            self.applied += 1
        self.on_event(frame)
