"""The relay's event stream: 8x8's stream, received once, re-served to every board behind it.

With ``[events] enabled`` the relay holds the one connection to 8x8's stream (the board's
own :class:`~wallboard.live.events.EventStream`: acks, resume, back-off) and keeps each
data frame it receives, as it came and under 8x8's message id, in a retained
:class:`~wallboard.core.wire.topic.Topic` (the simulator's stream keeps its own the same
way). Boards connect to the relay's
``/ws/v2/reader/persistent/{tenant}/event-v1/all`` with the same Pulsar reader protocol
as 8x8's: frames as 8x8 sent them, an ack expected for each (no more than
:data:`~wallboard.core.wire.topic.MAX_UNACKED` outstanding), ``messageId=latest``,
``earliest`` or an id to resume after, pings both ways. The key is the relay's own
(:func:`~wallboard.relay.access.check_stream_key`), never 8x8's, so a screen behind the
relay holds no secret that reaches 8x8.

While the relay's own connection to 8x8 is down it has nothing to re-serve, so it says
so rather than hold viewers on a silent socket that looks like push: open connections are
closed (1013, try again later) and new ones get 503. Each board then falls back to
polling the relay quietly and reconnects with back-off, from the last id it saw; the
relay resumes 8x8's stream from its own last id, so neither hop loses or repeats an event.
"""

from __future__ import annotations

import asyncio
import json

from aiohttp import WSCloseCode, WSMsgType, web

from wallboard.core.text import clean_text
from wallboard.core.wire.events import Frame, read_ack
from wallboard.core.wire.topic import MAX_UNACKED, Topic
from wallboard.live.events import PING_INTERVAL
from wallboard.relay.published import Answer

STREAM_ROUTE = "/ws/v2/reader/persistent/{tenant}/event-v1/{topic}"
MAX_CLIENT_MESSAGE = 4096
"""A viewer only ever sends acks (about 60 bytes)."""


class RelayedStream:
    """The frames received from 8x8, and the viewers reading them."""

    def __init__(self) -> None:
        self.topic = Topic()
        self.live = False
        """The relay's own connection to 8x8's stream is up."""
        self.detail = "the relay has not reached 8x8's event stream yet"
        self.connections = 0
        self.acked = 0
        self._wakes: set[asyncio.Event] = set()
        self._closing = False

    # --- the upstream side --------------------------------------------------------------

    def received(self, frame: Frame, text: str) -> None:
        """A new data frame from 8x8 (``EventStream(on_data=...)``)."""
        if frame.message_id is not None:
            self.topic.append(frame.message_id, text)
            self._wake()

    def upstream(self, live: bool, detail: str) -> None:
        self.live, self.detail = live, detail
        self._wake()  # readers notice a drop and close

    def close(self) -> None:
        """The relay stops: every viewer is told (1001, going away)."""
        self._closing = True
        self._wake()

    def _wake(self) -> None:
        for wake in self._wakes:
            wake.set()

    # --- viewers ------------------------------------------------------------------------

    def unavailable(self) -> Answer | None:
        """503 while the relay has no stream of its own to re-serve."""
        if self.live and not self._closing:
            return None
        message = f"the relay's event stream from 8x8 is down ({self.detail}); polling the relay still works"
        body = json.dumps({"status": 503, "message": clean_text(message, 400)}).encode()
        return Answer(503, body, {"Retry-After": "5", "Cache-Control": "no-store"})

    async def serve(self, request: web.Request) -> web.WebSocketResponse:
        """Upgrade ``request`` (already authenticated) and stream until either side ends."""
        after = self.topic.start_after(request.query.get("messageId", "latest"))  # before the 101: nothing later is missed
        socket = web.WebSocketResponse(heartbeat=PING_INTERVAL, max_msg_size=MAX_CLIENT_MESSAGE)
        await socket.prepare(request)
        self.connections += 1
        wake = asyncio.Event()
        self._wakes.add(wake)
        sent: set[str] = set()

        async def read_acks() -> None:
            async for message in socket:
                if message.type is WSMsgType.TEXT:
                    acked = read_ack(message.data)
                    if acked is not None and acked in sent:
                        sent.discard(acked)
                        self.acked += 1
                        wake.set()
            wake.set()

        reader = asyncio.create_task(read_acks())
        try:
            while not reader.done():
                if self._closing or not self.live:
                    reader.cancel()
                    await asyncio.gather(reader, return_exceptions=True)
                    code = WSCloseCode.GOING_AWAY if self._closing else WSCloseCode.TRY_AGAIN_LATER
                    await socket.close(code=code, message=b"the relay's stream from 8x8 is down" if not self._closing else b"")
                    break
                wake.clear()
                for message in self.topic.after(after, MAX_UNACKED - len(sent)):
                    await socket.send_str(message.frame)
                    after = message.sequence
                    if message.message_id:
                        sent.add(message.message_id)
                await wake.wait()
        except (ConnectionError, RuntimeError):
            pass  # the viewer went away mid-send
        finally:
            self._wakes.discard(wake)
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)
        return socket

