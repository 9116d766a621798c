"""Views: which queues and agents one screen shows (``[views.NAME]`` in the config).

A view names its queues by id or case-insensitive name pattern
(:mod:`wallboard.core.model.queue_match`) and its agents by group id, or asks for the
agents "serving" its queues. A view without ``queues`` shows every queue; without
``groups`` (and not "serving") every agent.

The Real Time Statistics API says which group an agent is in, but not which queues an
agent serves: a queue only counts its agents per state. So a "serving" view cannot pick
agents out one by one. It shows every agent in the grid (the grid's bar says why) and
takes its agent figures (available, busy, on break) from the view's queues' own counts,
summed: an agent who serves two of the view's queues counts in each.

:class:`ViewFilter` narrows a :class:`~wallboard.core.model.snapshot.Snapshot` to a view,
so every tab, the header and the drill-downs follow the view without knowing of it. The
narrowed feeds keep their own version numbers, which change when what the view shows
changes (new records, or another view chosen), so the tabs' "redraw when the version
moved" rule holds across a view switch.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from wallboard.core.model.queue_match import QueueKey, matches_any
from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.model.snapshot import Feed, Snapshot

AGENTS_ALL = "all"
AGENTS_GROUPS = "groups"
AGENTS_SERVING = "serving"


@dataclass(frozen=True, slots=True)
class View:
    """One ``[views.NAME]``."""

    name: str
    title: str = ""
    queues: tuple[QueueKey, ...] = ()
    groups: tuple[int, ...] = ()
    serving: bool = False
    """``agents = "serving"``: the agents of the view's queues, not of ``groups``."""

    @property
    def label(self) -> str:
        return self.title or self.name

    @property
    def agents(self) -> str:
        """Which agents: ``serving``, ``groups`` or ``all``."""
        if self.serving:
            return AGENTS_SERVING
        return AGENTS_GROUPS if self.groups else AGENTS_ALL

    def shows_queue(self, queue: Queue) -> bool:
        return not self.queues or matches_any(self.queues, queue)

    def shows_agent(self, agent: Agent) -> bool:
        if self.serving or not self.groups:
            return True  # "serving": the API gives no membership (see the module doc)
        return agent.group_id in self.groups

    def select_queues(self, queues: tuple[Queue, ...]) -> tuple[Queue, ...]:
        if not self.queues:
            return queues
        return tuple(queue for queue in queues if self.shows_queue(queue))

    def select_agents(self, agents: tuple[Agent, ...]) -> tuple[Agent, ...]:
        if self.serving or not self.groups:
            return agents
        return tuple(agent for agent in agents if self.shows_agent(agent))


EVERYTHING = View("all", "All queues")
"""No view: every queue and every agent."""


def find_views(views: tuple[View, ...], names: str | list[str] | tuple[str, ...]) -> tuple[View, ...]:
    """The views ``names`` lists (``"sales,support"``), in that order.

    Raises ``ValueError`` naming the unknown ones and the known views.
    """
    if isinstance(names, str):
        names = names.split(",")
    wanted = [name.strip() for name in names if name.strip()]
    by_name = {view.name.casefold(): view for view in views}
    unknown = [name for name in wanted if name.casefold() not in by_name]
    if unknown:
        known = ", ".join(view.name for view in views)
        which = "view" if len(unknown) == 1 else "views"
        if not views:
            raise ValueError(
                f"unknown {which} {', '.join(unknown)}: the config defines no views; add a [views.NAME] table (see the README's Views)"
            )
        raise ValueError(f"unknown {which} {', '.join(unknown)}; the config defines: {known}")
    chosen: list[View] = []
    for name in wanted:
        view = by_name[name.casefold()]
        if view not in chosen:
            chosen.append(view)
    return tuple(chosen)


def view_cycle(views: tuple[View, ...], chosen: tuple[View, ...]) -> tuple[View, ...]:
    """What ``v`` cycles through: the views chosen at start (``--view``), else every
    configured view after "All queues"; nothing when no view is configured."""
    if chosen:
        return chosen
    if not views:
        return ()
    return (EVERYTHING, *views)


class ViewFilter:
    """Narrows snapshots to one view, keeping a version per narrowed feed (module doc)."""

    def __init__(self, view: View = EVERYTHING) -> None:
        self.view = view
        self._versions = {"agents": 0, "queues": 0}
        self._last: dict[str, tuple[object, tuple]] = {}

    def choose(self, view: View) -> None:
        if view != self.view:
            self.view = view
            self._last.clear()  # the next narrowing is a new version, even if equal

    def apply(self, snapshot: Snapshot) -> Snapshot:
        if self.view is EVERYTHING and not self._versions["agents"] and not self._versions["queues"]:
            return snapshot  # never narrowed: the snapshot as it is
        agents = self._narrow("agents", snapshot.agents, self.view.select_agents)
        queues = self._narrow("queues", snapshot.queues, self.view.select_queues)
        return replace(snapshot, agents=agents, queues=queues)

    def _narrow(self, name: str, feed: Feed, select) -> Feed:
        last = self._last.get(name)
        if last is not None and last[0] is feed.records:
            records = last[1]
        else:
            records = select(feed.records)
            if last is None or records != last[1]:
                self._versions[name] += 1
            self._last[name] = (feed.records, records)
        # The narrowed version moves with the feed's own (a new answer) and with the view.
        return replace(feed, records=records, version=self._versions[name] * 1_000_003 + feed.version)


def matches_nothing(view: View, queues: tuple[Queue, ...]) -> bool:
    """The view names queues but none of ``queues`` is among them (say so on screen)."""
    return bool(view.queues) and bool(queues) and not view.select_queues(queues)


class ViewChoice:
    """The board's views: those configured, those chosen at start, the one shown now.

    ``v`` steps through :attr:`cycle`; the TV rotation steps through :attr:`rotation`
    (the views listed with ``--view``, when there are several) after each round of tabs.
    """

    def __init__(self, views: tuple[View, ...] = (), chosen: tuple[str, ...] = ()) -> None:
        self.views = views
        self.chosen = find_views(views, chosen) if chosen else ()
        self.cycle = view_cycle(views, self.chosen)
        self.filter = ViewFilter(self.chosen[0] if self.chosen else EVERYTHING)

    @property
    def current(self) -> View:
        return self.filter.view

    @property
    def configured(self) -> bool:
        """Views are configured: the header names the one shown."""
        return bool(self.views)

    @property
    def every(self) -> tuple[View, ...]:
        """What the command palette offers: "All queues", then every configured view."""
        return (EVERYTHING, *self.views) if self.views else ()

    @property
    def rotation(self) -> tuple[View, ...]:
        return self.chosen if len(self.chosen) > 1 else ()

    def choose(self, view: View) -> None:
        self.filter.choose(view)

    def following(self, views: tuple[View, ...]) -> View | None:
        """The view after the current one in ``views`` (the first when it is not there)."""
        if not views:
            return None
        current = self.current
        index = views.index(current) + 1 if current in views else 0
        return views[index % len(views)]

    def apply(self, snapshot: Snapshot) -> Snapshot:
        return self.filter.apply(snapshot)
