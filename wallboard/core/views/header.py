"""What the always-visible header and the STALE banner say.

Parts carry a priority so the header can drop the least important ones on a narrow
terminal (80 columns over SSH) and still say the essentials: who, when, and whether the
data can be trusted.

Only the clock reads the wall clock. Every age, and the "as of" time (the clock minus the
data's age), comes from the monotonic clock, so an NTP correction or a clock changed by
hand moves the clock and "as of" together and never makes data look fresher, older or
newer than the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Mapping

from rich.cells import cell_len

from wallboard.core import formatting as fmt
from wallboard.core.model.states import state_style, state_symbol
from wallboard.live.phase import CacheSync, data_moment
from wallboard.core.model.snapshot import Feed, Health, Snapshot
from wallboard.core.views.totals import Totals


Span = tuple[str, str]
"""A piece of text and its style class."""


@dataclass(frozen=True, slots=True)
class Part:
    text: str
    style: str = ""  # a style class the widget maps to theme colours
    priority: int = 1  # 1 is kept longest
    spans: tuple[Span, ...] = ()
    """``text`` in pieces styled each its own way (the agents per state, each in its
    state's colour; an empty style leaves a piece plain); empty when all of it is
    ``style``. The widget draws the pieces; it never parses ``text``."""


def styled(spans: tuple[Span, ...], style: str, priority: int) -> Part:
    """A part made of differently styled pieces."""
    return Part("".join(text for text, _ in spans), style, priority, spans)


def state_counts(totals: Totals) -> Part | None:
    """``●12 ■3 ‖1``: agents per state, each count in its state's colour; ``None`` for none."""
    spans: list[Span] = []
    for category, count in totals.agents_by_state:
        if count:
            if spans:
                spans.append((" ", ""))
            spans.append((f"{state_symbol(category)}{count}", state_style(category)))
    return styled(tuple(spans), "states", 4) if spans else None


def clock_text(now_wall: float, zone: tzinfo | None) -> str:
    return fmt.local_time(now_wall, zone, with_date=False)


def connection(snapshot: Snapshot, now_mono: float) -> Part:
    """One word or phrase for the state of the connection."""
    feeds = (("agents", snapshot.agents), ("queues", snapshot.queues))
    if snapshot.refused:
        return Part("✖ credentials refused · r to retry", "alert", 1)
    retrying = [(name, feed) for name, feed in feeds if feed.health is Health.RETRYING]
    if retrying:
        name, feed = retrying[0]
        which = "both" if len(retrying) == 2 else name
        wait = _retry_in(feed, now_mono)
        return Part(f"↻ {which} retrying{wait}", "warning", 1)
    if all(feed.health is Health.WAITING for _, feed in feeds):
        return Part("… connecting", "dim", 1)
    # The last try succeeded, but so long ago that the data is stale: the next answer is
    # overdue (a slow server or network). Never "live" beside "STALE".
    overdue = [name for name, feed in feeds if feed.health is Health.LIVE and snapshot.is_stale(feed, now_mono)]
    if overdue:
        return Part(f"… waiting for {'both' if len(overdue) == 2 else overdue[0]}", "warning", 1)
    return Part("● live", "ok", 2)


def _retry_in(feed: Feed, now_mono: float) -> str:
    if feed.retry_at_mono is None:
        return ""
    return f" in {fmt.age(max(0.0, feed.retry_at_mono - now_mono) + 0.999)}"


def failure_text(feed: Feed, now_mono: float) -> str:
    """The feed's last failure and, while it is retrying, when it will try again.

    The wait is the board's own (the back-off, which honours Retry-After but may wait
    longer), counted down on the same clock as the header's "retrying in": the header
    and the banner always agree.
    """
    if feed.health is not Health.RETRYING:
        return feed.error or ""
    retry = f"retrying{_retry_in(feed, now_mono)}"
    return f"{feed.error}; {retry}" if feed.error else retry


def data_age(snapshot: Snapshot, now_mono: float, syncs: Mapping[str, CacheSync | None] | None = None) -> float | None:
    """How old the oldest data on screen is: since its cache refresh when the phase is
    known (``syncs``, per feed), else since it arrived (or, behind a failing relay, since
    the relay last had it: already a data moment)."""
    syncs = syncs or {}
    moments = [
        data_moment(feed.received_mono, None if feed.dated else syncs.get(name))
        for name, feed in (("agents", snapshot.agents), ("queues", snapshot.queues))
    ]
    known = [moment for moment in moments if moment is not None]
    return max(0.0, now_mono - min(known)) if known else None


def age_text(seconds: float) -> str:
    """``0.4s`` to ``9.9s`` with a tenth (freshness is the point), then ``12s``, ``2m 05s``."""
    return f"{seconds:.1f}s" if seconds < 9.95 else fmt.age(seconds)


def sync_part(syncs: Mapping[str, CacheSync | None] | None, wall_offset: float) -> Part | None:
    """Where in the cache's cycle the poller has locked on (seconds past each 10 s mark)."""
    if syncs is None:
        return None
    found = [sync for sync in (syncs.get("agents"), syncs.get("queues")) if sync is not None]
    locked = [sync for sync in found if sync.locked]
    if locked:
        phase = locked[0].phase_of(wall_offset)
        return Part(f"synced :{phase:04.1f}", "dim", 5)
    return Part("syncing", "dim", 5)


def push_part(snapshot: Snapshot) -> Part | None:
    """``⚡ push`` while the event stream is live; when it is down, a dim note with the
    reason that goes first on a narrow screen (polling carries on: the data is live)."""
    push = snapshot.push
    if push is None:
        return None
    if push.live:
        return Part("⚡ push", "ok", 2)
    return Part(f"polling only: {push.detail}" if push.detail else "… push", "dim", 5)


def header_parts(
    tenant: str,
    snapshot: Snapshot,
    totals: Totals,
    now_wall: float,
    now_mono: float,
    zone: tzinfo | None,
    syncs: Mapping[str, CacheSync | None] | None = None,
) -> list[Part]:
    """The header's parts; ``syncs`` (per feed) is what the poller knows of the cache phase."""
    parts = [Part(tenant or "—", "title", 1), Part(clock_text(now_wall, zone), "clock", 1)]
    shown_age = data_age(snapshot, now_mono, syncs)
    if shown_age is not None:
        data_clock = clock_text(now_wall - shown_age, zone)
        parts.append(Part(f"as of {data_clock} ({age_text(shown_age)})", "dim", 3))
    synced = sync_part(syncs, now_wall - now_mono) if shown_age is not None else None
    if synced is not None:
        parts.append(synced)
    age = snapshot.oldest_age(now_mono)
    stale = snapshot.stale_feeds(now_mono)
    if stale:
        parts.append(Part(f"STALE {fmt.age(age)}", "stale", 1))
    parts.append(connection(snapshot, now_mono))
    pushed = push_part(snapshot)
    if pushed is not None:
        parts.append(pushed)
        if snapshot.push is not None and snapshot.push.problems:
            # events the stream sent that could not be read: said, quietly, never fatal
            parts.append(Part(f"push skipped {snapshot.push.problems}: {snapshot.push.last_problem}", "dim", 5))
    counts = state_counts(totals)
    if counts is not None:
        parts.append(counts)
    parts.append(Part(f"waiting {fmt.count(totals.waiting)}", "waiting", 2))
    if totals.longest_wait is not None:
        parts.append(Part(f"longest {fmt.mss(totals.longest_wait)}", "longest", 3))
    return parts


def fit_parts(parts: list[Part], width: int, separator: str = " │ ") -> list[Part]:
    """Drop the lowest-priority parts (last first) until the header fits ``width``."""
    kept = list(parts)

    def length() -> int:
        return sum(cell_len(part.text) for part in kept) + len(separator) * max(0, len(kept) - 1)  # ⚡ is two cells

    while length() > width and len(kept) > 1:
        worst = max(range(len(kept)), key=lambda i: (kept[i].priority, i))
        if kept[worst].priority <= 1:
            break
        kept.pop(worst)
    return kept


def banner(snapshot: Snapshot, now_mono: float) -> str | None:
    """The STALE / refused / no-data banner text, or ``None`` when the data can be trusted.

    Before the first good answer there is nothing to call stale, but a board that cannot
    reach its server must still say why (a wrong URL, DNS, a refused connection), so a
    failing feed without data gets a NO DATA YET banner with the failure's message.
    """
    if snapshot.refused:
        return f"✖ CREDENTIALS REFUSED — {snapshot.refused}. Polling has stopped: fix it, then press r."
    feeds = {"agents": snapshot.agents, "queues": snapshot.queues}
    stale = snapshot.stale_feeds(now_mono)
    if not stale:
        empty = [name for name, feed in feeds.items() if feed.received_mono is None and feed.health is Health.RETRYING]
        if not empty:
            return None
        return f"⚠ NO DATA YET ({' and '.join(empty)}) — {failure_text(feeds[empty[0]], now_mono)}"
    which = " and ".join(stale)
    age = max(feeds[name].age(now_mono) or 0.0 for name in stale)
    reasons = [failure_text(feeds[name], now_mono) for name in stale if feeds[name].error]
    reason = f" — {reasons[0] if reasons else OVERDUE}"
    fresh = [name for name in feeds if name not in stale and feeds[name].health is Health.LIVE]
    still = f" ({fresh[0]} still live)" if fresh else ""
    return f"⚠ STALE — {which} data is {fmt.age(age)} old{still}{reason}"


OVERDUE = "no answer yet to the last request: the server or the network is slow"
"""Why data is stale when the last try did not fail: the next answer has not come."""


def empty_grid_text(feed: Feed, filtered: bool) -> str:
    """What the agents grid says when it has no row to show."""
    if filtered and feed.records:
        return "No agent matches the search or filter. Escape clears them."
    if feed.health is Health.WAITING:
        return "Waiting for the first answer from the server…"
    if feed.received_mono is None and feed.error:
        return f"No agents data yet: {feed.error}"
    return "The server reports no agents."
