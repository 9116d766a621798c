"""A plain-text rendering of agents and queues, for terminals that are not interactive.

``wallboard run`` / ``demo`` print this when standard output is not a terminal (a pipe,
a log file, a cron job), so the data can still be read and recorded. The same poller
as the board's decides when to ask (:mod:`wallboard.cli.board`); :class:`PlainReport`
turns what it publishes into lines:

* each good answer prints its table under a title that dates it
  (``Agents (40) as of 2026-11-30 14:05:07+00:00``), so a log can be read later;
* the cells are the board's own (:func:`~wallboard.core.views.agents.agent_cells`): ``—``
  where the server gave no value, and a break longer than the thresholds marked ``!``
  (warning) or ``!!`` (alert) before the time in state, explained under the table;
  queues in warning or alert say why, as their tiles do;
* a failed try prints one line on standard error with the wait before the next;
* refused credentials print one line saying what to do, and plain mode stops (the
  caller exits non-zero): retrying a refused token only earns a lockout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Sequence

from wallboard.core import formatting as fmt
from wallboard.core.views.agents import COLUMNS, Cell, agent_cells, shown_time_in_state
from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.model.snapshot import Feed, Health, Snapshot
from wallboard.core.model.thresholds import Level, Thresholds, queue_findings, sla_target

NAME_WIDTH = 28
QUEUE_HEADERS = ("Queue", "Media", "Waiting", "Longest", "SLA", "Target", "Avail", "Busy", "Break", "Accepted", "Abandoned", "Status")
QUEUE_RIGHT = frozenset({"Waiting", "Longest", "SLA", "Target", "Avail", "Busy", "Break", "Accepted", "Abandoned"})


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: frozenset[str] = frozenset()) -> list[str]:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(w) if header in right else cell.ljust(w) for cell, w, header in zip(cells, widths, headers)
        ).rstrip()

    return [line(headers), "  ".join("-" * w for w in widths), *(line(row) for row in rows)]


def as_of(wall: float | None, zone: tzinfo | None) -> str:
    """``2026-11-30 14:05:07+00:00``: when an answer arrived, with its offset (unambiguous in a log)."""
    moment = fmt.local_datetime(wall, zone)
    return "—" if moment is None else moment.isoformat(sep=" ", timespec="seconds")


def title(what: str, count: int, wall: float | None, zone: tzinfo | None) -> str:
    return f"{what} ({count}) as of {as_of(wall, zone)}"


def render_agents(
    agents: Sequence[Agent],
    thresholds: Thresholds,
    zone: tzinfo | None = None,
    now_wall: float | None = None,
    elapsed: float | None = None,
) -> list[str]:
    """Agents by name, with the board's cells; a legend when a break is marked.

    ``elapsed``: seconds between the answer that brought these records and the table's
    time (an answer from the same cache cycle repeats the records; the board counts the
    time in state on from the first, and so does this).
    """
    rows, marked = [], False
    for agent in sorted(agents, key=lambda a: (a.name.lower(), a.agent_id)):
        cells = agent_cells(agent, shown_time_in_state(agent, elapsed), thresholds, zone, now_wall)
        cells["name"] = Cell(cells["name"].text[:NAME_WIDTH])
        marked = marked or cells["time"].text.startswith("!")
        rows.append(tuple(cells[column.key].text for column in COLUMNS))
    right = frozenset(column.title for column in COLUMNS if column.right)
    lines = _table(tuple(column.title for column in COLUMNS), rows, right)
    if marked:
        lines.append(
            f"! on break {thresholds.break_warning_minutes:g} min or more · "
            f"!! on break {thresholds.break_alert_minutes:g} min or more"
        )
    return lines


def render_queues(queues: Sequence[Queue], thresholds: Thresholds) -> list[str]:
    """Queues by name; Status says why a queue is in warning or alert, as its tile does."""
    rows = []
    for queue in sorted(queues, key=lambda q: (q.name.lower(), q.queue_id)):
        findings = queue_findings(queue, thresholds)
        status = f"{findings[0].level.word}: " + "; ".join(f.text for f in findings) if findings else Level.OK.word
        rows.append((
            queue.name[:NAME_WIDTH] or queue.queue_id,
            queue.media.label,
            fmt.count(queue.queue_size),
            fmt.mss(queue.longest_wait_time),
            fmt.percent(queue.sla_activity),
            fmt.percent(sla_target(queue, thresholds)),
            fmt.count(queue.agents_available),
            fmt.count(queue.agents_busy),
            fmt.count(queue.agents_on_break),
            fmt.count(queue.day_accepted),
            fmt.count(queue.day_abandoned),
            status,
        ))
    return _table(QUEUE_HEADERS, rows, QUEUE_RIGHT)


@dataclass
class Printed:
    """What one snapshot adds to standard output and to standard error."""

    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)


REFUSED_ADVICE = "Plain mode has stopped (retrying a refused token can lock the account): fix it, then start again."


class PlainReport:
    """Turns the poller's snapshots into lines (see the module doc); pure, no I/O."""

    def __init__(self, thresholds: Thresholds, zone: tzinfo | None = None, view: str = "", serving: bool = False) -> None:
        self.thresholds = thresholds
        self.zone = zone
        self.view = view
        """The view's title for the summary line (empty: no views configured)."""
        self.serving = serving
        self.refused = False
        self._printed: dict[str, float | None] = {"agents": None, "queues": None}
        self._failures: dict[str, int] = {"agents": 0, "queues": 0}

    def receive(self, snapshot: Snapshot, now_mono: float) -> Printed:
        printed = Printed()
        for name in ("agents", "queues"):
            feed: Feed = getattr(snapshot, name)
            if feed.received_mono is not None and feed.received_mono != self._printed[name] and feed.health is Health.LIVE:
                self._printed[name] = feed.received_mono
                printed.out.extend(self._table(name, feed))
                if name == "queues":
                    printed.out.extend(self._summary(snapshot))
            if feed.failures and feed.failures != self._failures[name] and not self.refused:
                printed.err.append(self._failure(name, feed, now_mono))
            self._failures[name] = feed.failures
        return printed

    def _table(self, name: str, feed: Feed) -> list[str]:
        if name == "agents":
            elapsed = feed.records_age(feed.received_mono) if feed.received_mono is not None else None
            body = render_agents(feed.records, self.thresholds, self.zone, feed.received_wall, elapsed)
        else:
            body = render_queues(feed.records, self.thresholds)
        return [title(name.title(), len(feed.records), feed.received_wall, self.zone), *body, ""]

    def _summary(self, snapshot: Snapshot) -> list[str]:
        """The board's summary figures (:mod:`wallboard.core.views.summary`), one line."""
        from wallboard.core.views.summary import summarise, summary_line

        summary = summarise(snapshot.agents.records, snapshot.queues.records, from_queues=self.serving)
        which = f" ({self.view})" if self.view else ""
        return [f"Summary{which}: {summary_line(summary)}", ""]

    def _failure(self, name: str, feed: Feed, now_mono: float) -> str:
        if feed.health is Health.REFUSED:
            self.refused = True
            return f"wallboard: credentials refused: {feed.error}. {REFUSED_ADVICE}"
        wait = "" if feed.retry_at_mono is None else f"; next try in {fmt.age(math.ceil(feed.retry_at_mono - now_mono))}"
        last = "" if feed.received_wall is None else f" (last good answer {as_of(feed.received_wall, self.zone)})"
        return f"wallboard: {name} not updated: {feed.error}{wait}{last}"
