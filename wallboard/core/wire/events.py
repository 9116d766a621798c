"""Reading 8x8's event stream: Pulsar WebSocket frames and the events inside them.

A data frame is ``{"messageId", "payload": <base64 of the event JSON>, "properties",
"publishTime", "redeliveryCount"}``; the client acknowledges each with
``{"messageId": ...}`` (:func:`ack`). Control frames carry ``type`` (``isEndOfTopic``)
or ``endOfTopic`` and are neither processed nor acknowledged.

Events are wrapped in one key (``{"AgentStatusChange": {...}}``, ``{"Interaction": {...}}``,
``{"AgentProvChange": {...}}``); the getting-started page's ``eventType`` shape
contradicts every real sample and is treated as unknown. Everything here is hostile
input: a frame that is not JSON, a payload that is not base64 or not an object, an
unknown event type or a missing field becomes a :class:`Problem` (shown, never fatal);
frames over :data:`MAX_FRAME_BYTES` are refused by the connection itself.

Agent states: the stream's ``newState`` codes follow the Agent Status REST table (the
streaming lifecycle page disagrees; the documented sample pairs 5 with a reason code,
which only fits WORK_OFFLINE), mapped onto the board's states. 2 (LOGGED_IN) says only
that a session began, not the state: it is not applied, the next poll tells.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Union

from wallboard.core.numbers import to_number
from wallboard.core.text import clean_text

MAX_FRAME_BYTES = 1024 * 1024
"""Largest frame accepted; a real event is under 4 KiB (an interaction with attached data)."""

STREAM_STATES: dict[int, int | None] = {
    0: None,  # UNKNOWN: nothing to apply
    1: 9,  # LOGGED_OUT
    2: None,  # LOGGED_IN: a session began; the state follows
    3: 4,  # ON_BREAK
    4: 0,  # WAIT_TRANSACT: available
    5: 5,  # WORK_OFFLINE
    6: 1,  # TRANSACT_OFFERED
    7: 2,  # PROCESS_TRANSACT
    8: 3,  # POST_PROCESS
    9: 2,  # BUSY
    10: 2,  # DIRECT_CALL
    11: 2,  # ON_EMAIL
}
"""``newState`` → the board's state code (:mod:`wallboard.core.model.states`); ``None``:
known but not a state to show."""

QUEUE_ENTERED = frozenset({"InteractionQueued"})
QUEUE_LEFT = frozenset({"InteractionAssigned", "InteractionUnqueued", "InteractionQueueTimeout"})
"""Interaction events that move a queue's waiting count by one (entered or left it)."""


@dataclass(frozen=True, slots=True)
class AgentStatus:
    agent_id: str
    state: int | str | None
    """The board's state code; an unknown ``newState`` is kept as ``"stream N"``."""
    reason_list: int | None = None
    reason_item: int | None = None
    at: float | None = None  # epoch seconds of the change, when the event says
    sequence: int | None = None


@dataclass(frozen=True, slots=True)
class QueueChange:
    queue_id: str
    delta: int  # +1 entered the queue, -1 left it
    interaction: str = ""
    event: str = ""


@dataclass(frozen=True, slots=True)
class Ignored:
    """A well-formed event the board has no use for (skills, recordings, ...)."""

    kind: str


@dataclass(frozen=True, slots=True)
class Problem:
    """A frame or event that could not be read; one line for the detail view."""

    text: str


@dataclass(frozen=True, slots=True)
class Control:
    """A control frame: not processed, not acknowledged."""

    kind: str


Event = Union[AgentStatus, QueueChange, Ignored, Problem]


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame from the stream: its id (to acknowledge and resume from) and its event."""

    message_id: str | None
    event: Event | Control


def ack(message_id: str) -> str:
    """The acknowledgement the stream needs for every data message."""
    return json.dumps({"messageId": message_id})


def request_token_key(tenant: str, token: str) -> str:
    """The Data Request Token as the stream takes it: base64 of ``tenant:token``."""
    return base64.b64encode(f"{tenant}:{token}".encode()).decode()


def read_ack(text: str | bytes) -> str | None:
    """The message id a reader's acknowledgement names (the server's side of :func:`ack`);
    ``None`` for anything else. Never raises."""
    if len(text) > 1024:
        return None
    try:
        acked = json.loads(text).get("messageId")
    except (ValueError, AttributeError, RecursionError):
        return None
    return acked if isinstance(acked, str) and acked else None


def read_frame(text: str | bytes) -> Frame:
    """One frame as :class:`Frame`; never raises."""
    if isinstance(text, bytes):
        if len(text) > MAX_FRAME_BYTES:
            return Frame(None, Problem(f"a frame of {len(text):,} bytes was refused"))
        text = text.decode("utf-8", errors="replace")
    if len(text) > MAX_FRAME_BYTES:
        return Frame(None, Problem(f"a frame of {len(text):,} characters was refused"))
    try:
        frame = json.loads(text)
    except (ValueError, RecursionError):
        return Frame(None, Problem("a frame that is not JSON was skipped"))
    if not isinstance(frame, dict):
        return Frame(None, Problem("a frame that is not an object was skipped"))
    if "type" in frame or "endOfTopic" in frame:
        return Frame(None, Control(clean_text(str(frame.get("type") or "endOfTopic"), 40)))
    message_id = frame.get("messageId")
    if not isinstance(message_id, str) or not message_id or len(message_id) > 512:
        return Frame(None, Problem("a frame without a messageId was skipped"))
    return Frame(message_id, read_payload(frame.get("payload")))


def read_payload(payload: Any) -> Event:
    """The event inside a frame's base64 ``payload``."""
    if not isinstance(payload, str):
        return Problem("an event without a payload was skipped")
    try:
        raw = base64.b64decode(payload, validate=True)
        document = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        return Problem("an event whose payload is not base64 JSON was skipped")
    return read_event(document)


def read_event(document: Any) -> Event:
    """A decoded event payload (the wrapped form) as an :class:`Event`."""
    if not isinstance(document, dict) or len(document) != 1:
        return Problem("an event not wrapped in one type key was skipped")
    (kind, body), = document.items()
    kind = clean_text(str(kind), 40)
    if not isinstance(body, dict):
        return Problem(f"a {kind} event without fields was skipped")
    if kind == "AgentStatusChange":
        return _agent_status(body)
    if kind == "Interaction":
        return _interaction(body)
    if kind in ("AgentProvChange", "AgentSkillCreated", "AgentSkillChanged"):
        return Ignored(kind)
    return Problem(f"an event of unknown type {kind!r} was skipped")


def _agent_status(body: dict) -> Event:
    agent_id = body.get("agentId")
    if not isinstance(agent_id, str) or not agent_id.strip():
        return Problem("an AgentStatusChange without agentId was skipped")
    code = to_number(body.get("newState"))
    if code is None or code != int(code):
        return Problem(f"an AgentStatusChange for {clean_text(agent_id, 40)!r} has no readable newState")
    code = int(code)
    state = STREAM_STATES.get(code, f"stream {code}")
    if code in STREAM_STATES and state is None:
        return Ignored(f"AgentStatusChange newState {code}")
    reason_list = reason_item = None
    reason = body.get("newReasonCodeUser")
    if isinstance(reason, str) and "=" in reason:
        left, _, right = reason.partition("=")
        reason_list, reason_item = _whole(left), _whole(right)
    info = body.get("msgInfo") if isinstance(body.get("msgInfo"), dict) else {}
    stamp = to_number(info.get("timestamp"))
    at = stamp / 1000 if stamp is not None and stamp > 0 else None
    if at is None:
        seconds = to_number(body.get("statusEventTS"))
        at = float(seconds) if seconds is not None and seconds > 0 else None
    sequence = to_number(info.get("sequenceId"))
    return AgentStatus(clean_text(agent_id, 80), state, reason_list, reason_item, at, None if sequence is None else int(sequence))


def _interaction(body: dict) -> Event:
    name = body.get("event")
    if not isinstance(name, str):
        return Problem("an Interaction event without its event name was skipped")
    name = clean_text(name, 40)
    if name in QUEUE_ENTERED or name in QUEUE_LEFT:
        queue = body.get("queueId")
        if isinstance(queue, bool) or not isinstance(queue, (str, int)) or not str(queue).strip():
            return Problem(f"an {name} event without queueId was skipped")
        guid = body.get("interactionGUID")
        return QueueChange(clean_text(str(queue), 40), 1 if name in QUEUE_ENTERED else -1, clean_text(str(guid or ""), 120), name)
    return Ignored(name)


def _whole(text: str) -> int | None:
    number = to_number(text)
    return int(number) if number is not None and number >= 0 and number == int(number) else None
