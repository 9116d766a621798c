"""The board under test: the one app factory, and readers of what it shows."""

from __future__ import annotations

import html
import re
import time
from dataclasses import replace
from typing import Iterable, Mapping

from tests.helpers.clocks import Clocks
from tests.helpers.data import fixed_settings, fixed_snapshot
from wallboard.live import clock
from wallboard.config import Settings
from wallboard.core.model.realtime import Agent
from wallboard.core.model.snapshot import Health, Snapshot
from wallboard.themes import bundled_themes_dir
from wallboard.ui.app import WallboardApp
from wallboard.ui.widgets.agents_grid import AgentsGrid
from wallboard.ui.widgets.queue_tile import QueueTile
from wallboard.ui.widgets.status_header import StaleBanner, StatusHeader

FIXED = object()
"""``make_app``'s default snapshot: the fixed data, unless the board has a source to poll."""


def make_app(
    *,
    settings: Settings | None = None,
    snapshot: Snapshot | None | object = FIXED,
    clocks=None,
    source=None,
    connector=None,
    theme_dirs: Iterable = (),
    analytics_secrets: Mapping | None = None,
    analytics_connector=None,
    app_options: Mapping | None = None,
    **changes,
) -> WallboardApp:
    """A board with the bundled themes (plus ``theme_dirs``) and :func:`fixed_settings`
    (plus ``changes``), or ``settings`` as given.

    Without a ``source`` or ``connector`` it shows the fixed data on fixed clocks
    (:class:`~tests.helpers.clocks.Clocks`, 3 s after the data arrived); with one it starts
    empty on the production clocks, or on ``clocks`` (a :class:`~tests.helpers.clocks.LoopClocks`
    for the virtual-time loop). ``app_options`` go to :class:`WallboardApp` as they are
    (``ascii``, ``cache_period``).
    """
    live = source is not None or connector is not None
    if snapshot is FIXED:
        snapshot = None if live else fixed_snapshot()
    if clocks is None and not live:
        clocks = Clocks()
    return WallboardApp(
        settings if settings is not None else fixed_settings(**changes),
        source=source,
        connector=connector,
        snapshot=snapshot,  # type: ignore[arg-type]
        wall=clocks.wall if clocks is not None else time.time,
        mono=clocks.mono if clocks is not None else clock.monotonic,
        theme_dirs=[bundled_themes_dir(), *theme_dirs],
        analytics_secrets=analytics_secrets,
        analytics_connector=analytics_connector,
        **(app_options or {}),
    )


def stale_app(**changes) -> WallboardApp:
    """The fixed board 65 s after its data arrived, the agents' last try failed: stale
    agents with the reason, live queues."""
    snapshot = fixed_snapshot()
    clocks = Clocks(offset=65)
    agents = snapshot.agents.failed(
        "the server is busy (HTTP 503) answering agents from na1.mycontactual.com", False, clocks.mono() + 40
    )
    return make_app(snapshot=replace(snapshot, agents=agents), clocks=clocks, **changes)


async def board_ready(app, pilot) -> None:
    """Wait until the board's widgets exist and hold the data (a person is never that quick)."""
    from tests.helpers.waiting import until

    await until(pilot, lambda: app.board.ready, what="the board's widgets")
    await pilot.pause()


# --- what the board shows ----------------------------------------------------------------


def grid(app) -> AgentsGrid:
    return app.board.query_one(AgentsGrid)


def line_text(app, y) -> str:
    return grid(app).render_line(y).text


def agent_rows(app) -> list[Agent]:
    return [row for row in grid(app).rows if isinstance(row, Agent)]


def tiles(app) -> list[QueueTile]:
    return list(app.board.query(QueueTile))


def header(app) -> str:
    return str(app.board.query_one(StatusHeader).render())


def banner(app) -> str | None:
    widget = app.board.query_one(StaleBanner)
    return str(widget.render()) if widget.has_class("-visible") else None


def fresh(app, feed: str) -> bool:
    snapshot = app.snapshot
    one = getattr(snapshot, feed)
    return one.health is Health.LIVE and not snapshot.is_stale(one, app.mono())


def stale(app, feed: str) -> bool:
    snapshot = app.snapshot
    return snapshot.is_stale(getattr(snapshot, feed), app.mono())


def screen_text(svg: str) -> str:
    """The visible text of an exported screen (SVG text runs joined, entities decoded)."""
    return html.unescape(" ".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")


FORBIDDEN = frozenset(
    [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F,
     *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029, *range(0xD800, 0xE000)]
)
"""Characters that must never reach the terminal from the server (newline is the SVG's own)."""


def control_characters(text: str) -> list[str]:
    return sorted({hex(ord(ch)) for ch in text if ord(ch) in FORBIDDEN})
