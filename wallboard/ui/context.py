"""What the App hands its screens: the app-wide facts, and the moment they draw.

Screens and tab panes own their state and their workers; what is app-wide (the settings,
the zone, the clocks, what the poller knows of the cache phase, whether a person is at
the keys) reaches them through one :class:`BoardContext`, given when they are made, never
by calling back up into the App.

The App publishes a :class:`Moment` (its ``moment`` reactive) whenever the snapshot
changes and once a second; every screen in view draws from that same moment, so one
reading of the clocks serves every widget and header: the banner never says STALE while
the grid beside it is still drawn as fresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from typing import TYPE_CHECKING, Callable, Mapping

from wallboard.config import Settings
from wallboard.core.model.snapshot import Snapshot
from wallboard.core.views.selection import View, ViewChoice
from wallboard.core.views.trends import TrendStore

if TYPE_CHECKING:
    from wallboard.credentials.secret import Secret
    from wallboard.live.phase import CacheSync
    from wallboard.ui.historical.controller import AnalyticsConnector


@dataclass(frozen=True, slots=True)
class Moment:
    """The snapshot to draw, and the clock readings to draw it at."""

    snapshot: Snapshot
    mono: float
    """Monotonic seconds (:mod:`wallboard.live.clock`): every age is measured on it."""
    wall: float
    """Epoch seconds: the header's clock, and a login time's "today"."""
    ticked: bool = False
    """Made by the once-a-second tick: only the clocks moved since the last moment."""


@dataclass(eq=False)
class BoardContext:
    """The app-wide facts a screen or tab needs (see the module doc).

    ``settings`` follows the App's (the setup screen may fill in the tenant after start).
    """

    settings: Settings
    zone: tzinfo
    wall: Callable[[], float]
    mono: Callable[[], float]
    syncs: Callable[[], Mapping[str, "CacheSync | None"] | None] = lambda: None
    """What the poller knows of each feed's cache phase (``None`` when not phase-locked)."""
    last_key: Callable[[], float] = lambda: float("-inf")
    """When a person last pressed a key (monotonic seconds): a TV rotation holds meanwhile."""
    analytics_secrets: Mapping[str, "Secret"] = field(default_factory=dict)
    analytics_connector: "AnalyticsConnector | None" = None
    """Makes the Work Analytics client (``None``: the real one)."""
    views: ViewChoice = field(default_factory=ViewChoice)
    """The configured views and the one shown (the App narrows each moment to it)."""
    switch_view: Callable[[View], None] = lambda view: None
    trends: TrendStore = field(default_factory=TrendStore)
    """The last hour of every queue (the App records each answer): survives tab and view switches."""
    """Show ``view`` (the App narrows the snapshot to it and publishes a new moment)."""

    def now(self) -> datetime:
        """The wall clock as an aware datetime (the Historical tab's "today")."""
        return datetime.fromtimestamp(self.wall(), timezone.utc)
