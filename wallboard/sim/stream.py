"""The simulator's event stream: 8x8's Pulsar WebSocket reader, on the simulator's port.

``GET /ws/v2/reader/persistent/{tenant}/event-v1/all`` (or ``event-v1/{Type}``) upgrades
to a WebSocket when the key is right: header ``X-API-Key`` (any case) or the query
``x-api-key``, holding ``demo`` (an Admin Console key), a current Real-time Metrics
access token, or the Data Request Token ``base64(tenant:token)``; otherwise 401 before
the upgrade (403 for another tenant's topic). ``messageId=latest`` (default),
``earliest`` or a message id (URL-encoded base64) chooses where reading starts: after
that message, so a client that resumes from the last id it saw misses nothing.

Events come from the scenario: the emitter looks one cache cycle ahead
(:meth:`~wallboard.sim.scenario.RealtimeScenario.peek`), and publishes each agent's
change and each interaction entering or leaving a queue at a moment drawn within the
current cycle, *before* the cache shows it at the next refresh, as on the real service,
where the cache lags the events by up to its period. Frames are Pulsar's
(``messageId``, base64 ``payload``, ``publishTime``...), payloads 8x8's wrapped events.
The server answers pings, counts acknowledgements, and holds back when a client leaves
:data:`MAX_UNACKED` messages unacknowledged (a reader that never acks stalls, as
documented). Tests can cut every connection (:meth:`EventStream.drop_connections`) and
push raw frames (:meth:`EventStream.inject`).

The WebSocket framing (RFC 6455) is written here, on the handler's socket: the simulator
is the standard library's HTTP server, and a server library would need a port of its own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import select
import socket
import struct
import threading
from datetime import datetime, timezone
from typing import Callable
from urllib.parse import unquote

from wallboard.core.wire.events import read_ack
from wallboard.core.wire.topic import MAX_UNACKED, Message, Topic
from wallboard.sim.scenario import AVAILABLE, BREAK, BUSY, LOGGED_OUT, OFFERED, OFFLINE, WRAP, RealtimeScenario

STREAM_PATH = r"/ws/v2/reader/persistent/(?P<tenant>[^/]+)/event-v1/(?P<topic>[A-Za-z]+)"
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
REST_STATES = {LOGGED_OUT: 1, BREAK: 3, AVAILABLE: 4, OFFLINE: 5, OFFERED: 6, BUSY: 7, WRAP: 8}
"""The board's states as the stream's ``newState`` codes (the Agent Status REST table)."""

def message_id(sequence: int) -> str:
    """Pulsar-like ids: base64 with ``+``, ``/`` and ``=`` in them, so clients must encode them."""
    return base64.b64encode(struct.pack(">IQ", 0xFBFF_FEFF, sequence)).decode()


class EventStream:
    """Publishes the scenario's events and serves them to WebSocket readers."""

    def __init__(
        self, scenario: RealtimeScenario, tenant: str, keys: Callable[[str], bool], clock: Callable[[], float], emit: bool = True
    ) -> None:
        self.scenario = scenario
        self.tenant = tenant
        self.keys = keys
        self.clock = clock
        self.topic = Topic()
        self.acked = 0
        self.connections = 0
        self.changed = threading.Condition()
        self._stopping = threading.Event()
        self._emitter: threading.Thread | None = None
        self._generation = 0  # bumped to cut every connection
        self.emit = emit
        """Publish the scenario's own events (tests that publish their own turn it off)."""
        self._planned = -1
        self._due: list[tuple[float, dict]] = []

    # --- publishing ---------------------------------------------------------------------

    def publish(self, event: dict, at: float | None = None) -> Message:
        """Append one event (as 8x8 wraps it) to the topic."""
        payload = base64.b64encode(json.dumps(event, separators=(",", ":")).encode()).decode()
        moment = self.clock() if at is None else at
        with self.changed:
            mid = message_id(self.topic.sequence + 1)
            published = datetime.fromtimestamp(moment, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
            frame = json.dumps({"messageId": mid, "payload": payload, "properties": {}, "publishTime": published, "redeliveryCount": 0})
            message = self.topic.append(mid, frame)
            self.changed.notify_all()
        return message

    def inject(self, frame: str) -> None:
        """A raw frame as it is (hostile-input tests); it gets a sequence but no id of its own."""
        with self.changed:
            self.topic.append("", frame)
            self.changed.notify_all()

    @property
    def sequence(self) -> int:
        return self.topic.sequence

    @property
    def log(self):
        return self.topic.log

    def start(self) -> None:
        if self._emitter is None and self.emit:
            self._emitter = threading.Thread(target=self._emit_forever, name="wallboard-sim-events", daemon=True)
            self._emitter.start()

    def stop(self) -> None:
        self._stopping.set()
        with self.changed:
            self._generation += 1
            self.changed.notify_all()

    def drop_connections(self) -> None:
        """Cut every open stream connection (reconnect tests)."""
        with self.changed:
            self._generation += 1
            self.changed.notify_all()

    def _emit_forever(self) -> None:
        while not self._stopping.is_set():
            self.emit_due()
            self._stopping.wait(0.05)

    def emit_due(self) -> None:
        """Plan the next cycle's events when a cycle begins; publish those now due."""
        index = self.scenario.sync()
        if index != self._planned:
            self._planned = index
            self._due = sorted(self._plan(index), key=lambda item: item[0])
        now = self.clock()
        while self._due and self._due[0][0] <= now:
            at, event = self._due.pop(0)
            self.publish(event, at)

    def _plan(self, index: int) -> list[tuple[float, dict]]:
        scenario = self.scenario
        twin = scenario.peek(index + 1)
        start, cycle = scenario.boundary(index), scenario.cycle
        now = self.clock()
        if now > start:  # planned mid-cycle (the first plan): spread over what is left of it
            cycle, start = max(0.0, start + cycle - now), now
        rng = random.Random(scenario.seed * 7_000_003 + index)
        planned: list[tuple[float, dict]] = []
        with scenario.lock:
            before = {agent.agent_id: (agent.status, agent.reason) for agent in scenario.agents}
            waiting = {q.index: {(w.arrived, w.deadline) for w in q.waiting} for q in scenario.queues}
        for agent in twin.agents:
            if before.get(agent.agent_id, (None, None))[0] != agent.status:
                at = start + rng.uniform(0.0, 0.9) * cycle
                planned.append((at, self._agent_event(agent, at)))
        assigned = {(a.work.arrived, a.work.deadline) for a in twin.agents if a.work is not None}
        for queue in twin.queues:
            now_waiting = {(w.arrived, w.deadline) for w in queue.waiting}
            for work in now_waiting - waiting[queue.index]:
                at = start + rng.uniform(0.0, 0.9) * cycle
                planned.append((at, self._interaction("InteractionQueued", queue.queue_id, work, at)))
            for work in waiting[queue.index] - now_waiting:
                at = start + rng.uniform(0.0, 0.9) * cycle
                name = "InteractionAssigned" if work in assigned else "InteractionUnqueued"
                planned.append((at, self._interaction(name, queue.queue_id, work, at)))
        return planned

    def _agent_event(self, agent, at: float) -> dict:
        reason = agent.reason
        return {"AgentStatusChange": {
            "agentId": agent.agent_id,
            "newState": REST_STATES.get(agent.status, 0),
            "newSubState": "none",
            "newSubStateReason": "none",
            "newReasonCodeUser": f"{reason[2]}={reason[0]}" if reason else "none",
            "statusEventTS": int(at),
            "msgInfo": {"instanceId": "sim", "sequenceId": self.sequence + 1, "timestamp": int(at * 1000)},
        }}

    def _interaction(self, name: str, queue_id: str, work: tuple[float, float], at: float) -> dict:
        guid = f"int-{int(work[0] * 1000):x}-sim-phone-00-{self.tenant}"
        return {"Interaction": {
            "event": name, "interactionGUID": guid, "queueId": queue_id, "mediaType": "phone",
            "callState": "CS_QUEUED" if name == "InteractionQueued" else "CS_IDLE",
            "eventTS": int(at), "isAgentInitiated": "false", "direction": "in",
        }}

    # --- serving ------------------------------------------------------------------------

    def serve(self, handler, headers: dict[str, str], path: str, query: dict[str, list[str]], tenant: str) -> None:
        """Take over ``handler``'s connection: refuse it, or upgrade it and stream."""
        key = headers.get("x-api-key") or (query.get("x-api-key") or [""])[0]
        if not self.keys(key):
            handler.send_response(401)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if tenant != self.tenant:
            handler.send_response(403)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        after = self._start_after(unquote((query.get("messageId") or ["latest"])[0]))  # before the 101: nothing published after it is missed
        accept = base64.b64encode(hashlib.sha1((headers.get("sec-websocket-key", "") + GUID).encode()).digest()).decode()
        handler.wfile.write(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
        )
        handler.wfile.flush()
        with self.changed:
            self.connections += 1
        self.start()
        _Connection(self, handler.connection, after).run()

    def _start_after(self, wanted: str) -> int:
        with self.changed:
            return self.topic.start_after(wanted)


class _Connection:
    """One reader: sends what the topic gets, reads acks, pings and close."""

    def __init__(self, stream: EventStream, sock: socket.socket, after: int) -> None:
        self.stream = stream
        self.sock = sock
        self.after = after
        self.sent: set[str] = set()
        self.generation = stream._generation
        self.buffer = b""

    def run(self) -> None:
        stream = self.stream
        try:
            while not stream._stopping.is_set():
                if stream._generation != self.generation:
                    self._send_frame(0x8, struct.pack(">H", 1001))
                    return
                with stream.changed:
                    pending = stream.topic.after(self.after, MAX_UNACKED - len(self.sent))
                for message in pending:
                    self._send_frame(0x1, message.frame.encode())
                    self.after = message.sequence
                    if message.message_id:
                        self.sent.add(message.message_id)
                if not self._read(0.05):
                    return
        except OSError:
            return

    def _read(self, timeout: float) -> bool:
        """Handle whatever the client sent within ``timeout``; False when it closed."""
        ready, _, _ = select.select([self.sock], [], [], timeout)
        if not ready:
            return True
        chunk = self.sock.recv(65536)
        if not chunk:
            return False
        self.buffer += chunk
        while True:
            frame = _parse_client_frame(self.buffer)
            if frame is None:
                return True
            opcode, payload, used = frame
            self.buffer = self.buffer[used:]
            if opcode == 0x8:
                self._send_frame(0x8, payload[:2])
                return False
            if opcode == 0x9:
                self._send_frame(0xA, payload)
            elif opcode == 0x1:
                acked = read_ack(payload)
                if acked is not None and acked in self.sent:
                    self.sent.discard(acked)
                    with self.stream.changed:
                        self.stream.acked += 1

    def _send_frame(self, opcode: int, payload: bytes) -> None:
        header = bytes([0x80 | opcode])
        size = len(payload)
        if size < 126:
            header += bytes([size])
        elif size < 65536:
            header += bytes([126]) + struct.pack(">H", size)
        else:
            header += bytes([127]) + struct.pack(">Q", size)
        self.sock.sendall(header + payload)


def _parse_client_frame(data: bytes) -> tuple[int, bytes, int] | None:
    """(opcode, unmasked payload, bytes used) of the first complete frame, or None."""
    if len(data) < 2:
        return None
    opcode, size, at = data[0] & 0x0F, data[1] & 0x7F, 2
    masked = data[1] & 0x80
    if size == 126:
        if len(data) < 4:
            return None
        size, at = struct.unpack(">H", data[2:4])[0], 4
    elif size == 127:
        if len(data) < 10:
            return None
        size, at = struct.unpack(">Q", data[2:10])[0], 10
    mask = b""
    if masked:
        if len(data) < at + 4:
            return None
        mask, at = data[at : at + 4], at + 4
    if len(data) < at + size:
        return None
    payload = data[at : at + size]
    if masked:
        payload = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
    return opcode, payload, at + size


def demo_keys(tenant: str, token: str, admin_key: str, valid_bearer: Callable[[str], bool]) -> Callable[[str], bool]:
    """The keys the simulator's stream accepts (module doc)."""
    request_token = base64.b64encode(f"{tenant}:{token}".encode()).decode()

    def accepts(key: str) -> bool:
        key = key.strip()
        if not key:
            return False
        given = key.encode()
        return hmac.compare_digest(given, admin_key.encode()) or hmac.compare_digest(given, request_token.encode()) or valid_bearer(key)

    return accepts
