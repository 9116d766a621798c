"""What the relay answers, computed from the poller's snapshots. Pure: no server, no clock.

The relay re-serves the records its poller parsed, written back in the real service's
envelopes (:func:`~wallboard.core.wire.rtstats_render.records_body`), in JSON or XML
whatever format it fetches in. Each endpoint's body is rendered once per change of its
records and format (and gzipped once), however many boards ask.

Every answer carries what an HTTP cache needs to fan it out further:

* ``ETag``: a hash of the body, so equal bodies get equal tags; a matching
  ``If-None-Match`` (or an ``If-Modified-Since`` not older than ``Last-Modified``)
  gets ``304 Not Modified`` with no body.
* ``Last-Modified``: when these records arrived at the relay.
* ``Cache-Control: max-age=N, must-revalidate``: N is the whole seconds until the relay
  expects its next answer from 8x8, so a cache never keeps an answer past the moment a
  newer one can exist. ``must-revalidate`` also lets a shared cache store an answer to
  a request that carried credentials (RFC 9111, 3.5); ``Vary: Authorization`` keeps one
  viewer's answer from being served to someone with other (or no) credentials.
* ``X-Wallboard-Status`` (``live``, ``stale``, ``refused``, ``waiting``),
  ``X-Wallboard-Age`` (seconds, one decimal, since the relay last had a good answer
  from 8x8 for this endpoint) and, when not live, ``X-Wallboard-Error`` (the relay's
  one-line reason). A board behind the relay shows STALE with that age and reason.

Before its first good answer the relay has nothing to serve: 503 with ``Retry-After``
and a JSON ``message`` the board shows (the real service's 503 means "busy, retry").
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Mapping

from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.model.snapshot import Feed, Health, Snapshot
from wallboard.core.text import clean_text
from wallboard.core.wire.rtstats import Format
from wallboard.core.wire.rtstats_render import CONTENT_TYPES, ENVELOPES, record_wire, records_body, single_body
from wallboard.core.wire.relayed import AGE_HEADER, ERROR_HEADER, LIVE, REFUSED, STALE, STATUS_HEADER, WAITING

FEED_TYPES: dict[str, type] = {"agents": Agent, "queues": Queue}
ID_FIELDS = {"agents": "agent_id", "queues": "queue_id"}
GZIP_FROM_BYTES = 1024
"""Smaller bodies are sent as they are: gzip would save nothing worth a round of CPU."""
MAX_ERROR_HEADER = 300


@dataclass(frozen=True, slots=True)
class Answer:
    """One HTTP answer, ready for any server to send."""

    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


@dataclass(frozen=True, slots=True)
class Representation:
    """One endpoint's body in one format, its tag and, for large bodies, its gzip form."""

    body: bytes
    etag: str
    gzipped: bytes | None = None

    @staticmethod
    def of(body: bytes) -> "Representation":
        packed = gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= GZIP_FROM_BYTES else None
        return Representation(body, etag_of(body), packed)


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def gzip_etag(etag: str) -> str:
    """The tag of the gzipped form: another representation, so another strong tag."""
    return etag[:-1] + '-gz"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """``If-None-Match`` against our tag, by weak comparison (RFC 9110, 13.1.2): ``*``,
    ``W/`` prefixes and the gzip form's tag all match."""
    wanted = {etag, gzip_etag(etag)}
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*":
            return True
        if candidate.startswith("W/"):
            candidate = candidate[2:]
        if candidate in wanted:
            return True
    return False


def accepts_gzip(accept_encoding: str) -> bool:
    for part in accept_encoding.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip", "*"):
            quality = params.strip().lower().removeprefix("q=")
            return quality in ("", "1", "1.0") or _positive(quality)
    return False


def _positive(text: str) -> bool:
    try:
        return float(text) > 0
    except ValueError:
        return False


def http_date(epoch: float) -> str:
    return email.utils.formatdate(epoch, usegmt=True)


def _not_modified_since(if_modified_since: str, last_modified: float) -> bool:
    try:
        when = email.utils.parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return False
    return when is not None and when.tzinfo is not None and int(last_modified) <= when.timestamp()


def feed_status(feed: Feed, snapshot: Snapshot, now_mono: float) -> str:
    """``live``, ``stale`` (failing, or the next answer overdue), ``refused`` or ``waiting``."""
    if feed.health is Health.REFUSED:
        return REFUSED
    if feed.health is Health.WAITING:
        return WAITING
    if feed.health is Health.RETRYING or snapshot.is_stale(feed, now_mono):
        return STALE
    return LIVE


class Published:
    """The relay's answers, from the latest snapshot and the poller's plans."""

    def __init__(self, interval: float) -> None:
        self.snapshot = Snapshot(interval=interval)
        self.expected: dict[str, float] = {}
        """Per feed: when (monotonic) the relay expects its next good answer from 8x8."""
        self.pushing = False
        """Pushed changes are flowing in (the event stream is live): records may change at
        any moment, not only when 8x8 answers, so caches must revalidate every time."""
        self._rendered: dict[tuple[str, str], tuple[int, Representation]] = {}
        self._modified: dict[str, tuple[int, float | None]] = {}
        """Per feed: the version last seen and when (epoch) its records last changed."""

    # --- what the poller says -----------------------------------------------------------

    def receive(self, snapshot: Snapshot, wall: float | None = None) -> None:
        """The latest records; ``wall`` (epoch now) dates a change that no poll brought
        (a pushed one), so ``Last-Modified`` moves with it."""
        for name in FEED_TYPES:
            feed, known = getattr(snapshot, name), self._modified.get(name)
            if known is not None and known[0] == feed.version:
                continue
            polled = _records_wall(feed)
            pushed = known is not None and wall is not None and getattr(self.snapshot, name).records_since == feed.records_since
            self._modified[name] = (feed.version, wall if pushed else polled)
        self.snapshot = snapshot

    def planned(self, feed: str, request_at: float, latency: float) -> None:
        """The poller's next request for ``feed`` goes at ``request_at`` and usually takes ``latency``."""
        self.expected[feed] = request_at + max(0.0, latency)

    def feed(self, name: str) -> Feed:
        return getattr(self.snapshot, name)

    # --- rendering ----------------------------------------------------------------------

    def cached(self, name: str, fmt: Format) -> Representation | None:
        """The rendered body when it is current, else ``None`` (call :meth:`render`)."""
        feed = self.feed(name)
        found = self._rendered.get((name, fmt))
        return found[1] if found is not None and found[0] == feed.version else None

    def render(self, name: str, fmt: Format) -> Representation:
        """Render (and keep) ``name``'s records in ``fmt``; safe to call from a worker thread."""
        feed = self.feed(name)
        representation = Representation.of(records_body(feed.records, FEED_TYPES[name], fmt))
        self._rendered[(name, fmt)] = (feed.version, representation)
        return representation

    # --- answers ------------------------------------------------------------------------

    def list_answer(self, name: str, fmt: Format, request: Mapping[str, str], now_mono: float) -> Answer:
        """``/agents`` or ``/queues``; ``request`` holds the request's headers (lower-case names)."""
        feed = self.feed(name)
        unavailable = self._unavailable(feed, now_mono)
        if unavailable is not None:
            return unavailable
        representation = self.cached(name, fmt) or self.render(name, fmt)
        return self._answer(name, representation, fmt, request, now_mono)

    def single_answer(self, name: str, fmt: Format, wanted: str, request: Mapping[str, str], now_mono: float) -> Answer:
        """``/agent/{id}`` or ``/queue/{id}``: 404 for an id the relay's last data has not."""
        feed = self.feed(name)
        unavailable = self._unavailable(feed, now_mono)
        if unavailable is not None:
            return unavailable
        field_name = ID_FIELDS[name]
        record = next((record for record in feed.records if str(getattr(record, field_name)) == wanted), None)
        if record is None:
            body = b'{"error":"not found"}' if fmt == "json" else b"<error>not found</error>"
            return Answer(404, body, self._relay_headers(feed, now_mono), CONTENT_TYPES[fmt])
        _, item_tag = ENVELOPES[FEED_TYPES[name]]
        representation = Representation.of(single_body(item_tag, record_wire(record), fmt))
        return self._answer(name, representation, fmt, request, now_mono)

    def _answer(self, name: str, representation: Representation, fmt: Format, request: Mapping[str, str], now_mono: float) -> Answer:
        feed = self.feed(name)
        known = self._modified.get(name)
        last_modified = known[1] if known is not None and known[0] == feed.version else _records_wall(feed)
        packed = representation.gzipped is not None and accepts_gzip(request.get("accept-encoding", ""))
        etag = gzip_etag(representation.etag) if packed else representation.etag
        headers = {
            "ETag": etag,
            "Cache-Control": f"max-age={self.max_age(name, now_mono)}, must-revalidate",
            "Vary": "Authorization, Accept-Encoding",
            **self._relay_headers(feed, now_mono),
        }
        if last_modified is not None:
            headers["Last-Modified"] = http_date(last_modified)
        if_none_match = request.get("if-none-match")
        if if_none_match is not None:
            unchanged = etag_matches(if_none_match, representation.etag)
        else:
            since = request.get("if-modified-since")
            unchanged = since is not None and last_modified is not None and _not_modified_since(since, last_modified)
        if unchanged:
            return Answer(304, b"", headers, CONTENT_TYPES[fmt])
        if packed:
            assert representation.gzipped is not None
            return Answer(200, representation.gzipped, {**headers, "Content-Encoding": "gzip"}, CONTENT_TYPES[fmt])
        return Answer(200, representation.body, headers, CONTENT_TYPES[fmt])

    def _unavailable(self, feed: Feed, now_mono: float) -> Answer | None:
        """503 while the relay has never had data for ``feed``; ``None`` once it has."""
        if feed.received_mono is not None:
            return None
        retry = max(1, math.ceil(self._next_try(feed, now_mono) - now_mono))
        if feed.health is Health.REFUSED:
            why = f"the relay's own 8x8 credentials were refused: {feed.error}"
        elif feed.error:
            why = f"the relay has no data from 8x8 yet: {feed.error}"
        else:
            why = "the relay is waiting for its first answer from 8x8"
        body = json.dumps({"status": 503, "message": clean_text(why, 400)}).encode()
        headers = {"Retry-After": str(retry), "Cache-Control": "no-store", **self._relay_headers(feed, now_mono)}
        return Answer(503, body, headers)

    def _next_try(self, feed: Feed, now_mono: float) -> float:
        if feed.retry_at_mono is not None:
            return feed.retry_at_mono
        return now_mono + self.snapshot.interval

    def max_age(self, name: str, now_mono: float) -> int:
        """Whole seconds until newer data can exist at the relay (0 when it is due now)."""
        feed = self.feed(name)
        if self.pushing and feed.health is Health.LIVE:
            return 0
        if feed.health is Health.RETRYING and feed.retry_at_mono is not None:
            expected = feed.retry_at_mono
        elif feed.health is Health.REFUSED:
            expected = now_mono + self.snapshot.interval  # polling stopped: nothing new soon; look again later
        else:
            expected = self.expected.get(name, now_mono)
        return max(0, math.floor(expected - now_mono))

    def _relay_headers(self, feed: Feed, now_mono: float) -> dict[str, str]:
        status = feed_status(feed, self.snapshot, now_mono)
        headers = {STATUS_HEADER: status}
        age = feed.age(now_mono)
        if age is not None:
            headers[AGE_HEADER] = f"{age:.1f}"
        if status != LIVE:
            reason = feed.error or ("no answer yet to the relay's last request" if status == STALE else "")
            if reason:
                headers[ERROR_HEADER] = header_text(reason)
        return headers

    # --- health -------------------------------------------------------------------------

    def health(self, now_mono: float, events: tuple[bool, str] | None = None) -> Answer:
        """``GET /healthz``: 200 when both endpoints are live, else 503; no tenant data.

        ``events``: the relay's event stream (live, and why not), when it has one; shown
        under ``"events"`` but never a reason for 503 (polled data is live without it)."""
        feeds = {name: self.feed(name) for name in FEED_TYPES}
        states = {name: feed_status(feed, self.snapshot, now_mono) for name, feed in feeds.items()}
        overall = next((state for state in (REFUSED, STALE, WAITING) if state in states.values()), LIVE)
        report: dict[str, object] = {"status": overall}
        for name, feed in feeds.items():
            age = feed.age(now_mono)
            item: dict[str, object] = {"status": states[name], "age": None if age is None else round(age, 1)}
            if states[name] != LIVE and feed.error:
                item["reason"] = clean_text(feed.error, 400)
            report[name] = item
        if events is not None:
            live, reason = events
            report["events"] = {"status": "live"} if live else {"status": "down", "reason": clean_text(reason, 400)}
        body = json.dumps(report).encode()
        return Answer(200 if overall == LIVE else 503, body, {"Cache-Control": "no-store"})


def header_text(text: str) -> str:
    """One line of text safe in an HTTP header value (ASCII; anything else as ``?``)."""
    return clean_text(text, MAX_ERROR_HEADER).encode("ascii", "replace").decode("ascii")


def _records_wall(feed: Feed) -> float | None:
    """Epoch seconds when the current records arrived (not the latest answer repeating them)."""
    if feed.received_wall is None or feed.received_mono is None:
        return None
    return feed.received_wall - (feed.received_mono - feed.records_since)
