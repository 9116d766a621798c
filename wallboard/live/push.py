"""Push beside polling: where the event stream is, and what its events do to the board.

:class:`Pusher` receives the stream's frames and state (from
:class:`~wallboard.live.events.EventStream`) and lays the changes over each polled
snapshot (:class:`~wallboard.core.model.push.PushOverlay`); the App calls :meth:`Pusher.merge`
on every snapshot it is handed and republishes when an event arrives. No Textual here.

:func:`stream_address` finds the stream: ``[events] url`` when set, else the host by
region (the vendor's table: US1 ``pulsar-ws-use1.8x8.com`` for NA1–6, NA11–16; US2
``pulsar-ws-usw2.8x8.com`` for NA7–10, 17–20, 27–30, 37–39; UK3 ``pulsar-ws-euw2.8x8.com``
for EU4–14; v5 regions ``us`` → US1 and ``eu`` → UK3), and the tenant in the topic path.
A board whose ``realtime_url`` is not 8x8's (a ``wallboard relay``) reads the relay's own
re-served stream on the same host and port (:func:`relay_stream_url`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable
from urllib.parse import quote, urlsplit

from wallboard.config import Settings
from wallboard.core.model.push import PushOverlay
from wallboard.core.model.snapshot import PushStatus, Snapshot
from wallboard.core.wire.events import AgentStatus, Frame, Problem, QueueChange
from wallboard.errors import ConfigError

US1, US2, UK3 = "pulsar-ws-use1.8x8.com", "pulsar-ws-usw2.8x8.com", "pulsar-ws-euw2.8x8.com"
_CLUSTER = re.compile(r"(?:vcc-)?(na|eu)(\d+)b?\.")
_US2 = set(range(7, 11)) | set(range(17, 21)) | set(range(27, 31)) | set(range(37, 40))


def stream_host(settings: Settings) -> str | None:
    """The stream's host for this tenant's region, or ``None`` when the table has none."""
    if settings.data_source == "cc-realtime":
        return {"us": US1, "eu": UK3}.get(settings.cc_realtime.region) if not settings.cc_realtime.url else None
    match = _CLUSTER.match((urlsplit(settings.realtime_url).hostname or "") + ".")
    if match is None:
        return None
    region, number = match.group(1), int(match.group(2))
    if region == "eu":
        return UK3 if 4 <= number <= 14 else None
    if number in _US2:
        return US2
    return US1 if 1 <= number <= 6 or 11 <= number <= 16 else None


def stream_address(settings: Settings) -> str:
    """The stream's ``wss://`` URL; :class:`ConfigError` saying what to set when unknown."""
    if settings.events.url:
        return settings.events.url
    tenant = settings.events.tenant or settings.tenant
    if not tenant:
        raise ConfigError("[events] needs the tenant for the stream's topic: set events.tenant (or tenant)")
    host = stream_host(settings)
    if host is None and settings.data_source == "rtstats":
        relayed = relay_stream_url(settings.realtime_url, tenant)
        if relayed is not None:
            return relayed
    if host is None:
        raise ConfigError(
            "[events]: no event-stream host is known for this region; set events.url "
            "(wss://pulsar-ws-….8x8.com/ws/v2/reader/persistent/<tenant>/event-v1/all)"
        )
    return f"wss://{host}/ws/v2/reader/persistent/{quote(tenant, safe='')}/event-v1/all"


def relay_stream_url(realtime_url: str, tenant: str) -> str | None:
    """Behind a ``wallboard relay`` (a ``realtime_url`` that is not 8x8's): the relay's own
    re-served stream, on the same host and port (``ws://`` beside ``http://``)."""
    parts = urlsplit(realtime_url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host or host == "8x8.com" or host.endswith(".8x8.com"):
        return None
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}/ws/v2/reader/persistent/{quote(tenant, safe='')}/event-v1/all"


class Pusher:
    """The pushed changes and the stream's state, merged into each snapshot."""

    def __init__(self, period: float, mono: Callable[[], float], publish: Callable[[], None]) -> None:
        self.overlay = PushOverlay(period=period)
        self.status = PushStatus(False, "")
        self.mono = mono
        self.publish = publish

    def on_frame(self, frame: Frame) -> None:
        event = frame.event
        now = self.mono()
        if isinstance(event, AgentStatus) and event.state is not None:
            self.overlay.agent_status(event.agent_id, event.state, now, event.reason_list, event.reason_item)
            self.status = replace(self.status, applied=self.status.applied + 1)
        elif isinstance(event, QueueChange):
            self.overlay.queue_delta(event.queue_id, event.delta, now)
            self.status = replace(self.status, applied=self.status.applied + 1)
        elif isinstance(event, Problem):
            self.status = replace(self.status, problems=self.status.problems + 1, last_problem=event.text)
        else:
            return
        self.publish()

    def on_status(self, live: bool, detail: str) -> None:
        self.status = replace(self.status, live=live, detail=detail)
        self.publish()

    def merge(self, snapshot: Snapshot) -> Snapshot:
        return replace(self.overlay.merge(snapshot), push=self.status)
