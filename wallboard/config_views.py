"""The config's ``[views.NAME]`` tables and ``[thresholds.queues."KEY"]`` rules.

Kept apart from :mod:`wallboard.config` (which calls these) because both read queue keys
(ids or name patterns, :mod:`wallboard.core.model.queue_match`) and nested tables the
flat key validators there do not. Every mistake is refused in one line that names the
table and the key, and says what is expected.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, Callable, Mapping

from wallboard.core.model.queue_match import QueueKey
from wallboard.core.model.thresholds import QUEUE_KEYS, QueueRule
from wallboard.core.views.selection import AGENTS_GROUPS, AGENTS_SERVING, View, find_views
from wallboard.errors import ConfigError

VIEW_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
"""A view's name: what ``--view`` takes, so no commas or spaces."""
VIEW_KEYS = ("title", "queues", "groups", "agents")
MAX_TITLE = 60


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _queue_keys(label: str, value: Any) -> tuple[QueueKey, ...]:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list):
        raise ConfigError(f'{label} must be a list of queue ids or name patterns such as ["115", "Sales*"]; got {_show(value)}')
    keys: list[QueueKey] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            raise ConfigError(f'{label}: {_show(item)} is not a queue id or name pattern (text such as "Sales*")')
        try:
            keys.append(QueueKey(str(item)))
        except ValueError as error:
            raise ConfigError(f"{label}: {error}") from None
    return tuple(keys)


def _groups(label: str, value: Any) -> tuple[int, ...]:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list):
        raise ConfigError(f"{label} must be a list of agent group ids such as [101, 102]; got {_show(value)}")
    groups: list[int] = []
    for item in value:
        if isinstance(item, str) and item.strip().isdigit():
            item = int(item.strip())
        if isinstance(item, bool) or not isinstance(item, int) or item < 0:
            raise ConfigError(f"{label}: {_show(item)} is not an agent group id (a whole number such as 101)")
        groups.append(item)
    return tuple(groups)


def parse_views(raw: Any, origin: str) -> tuple[View, ...]:
    """``[views]`` of the config file: one :class:`View` per ``[views.NAME]``, in file order."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{origin}: views must be tables, one per view: [views.sales] with title, queues, groups")
    views: list[View] = []
    seen: set[str] = set()
    for name, table in raw.items():
        where = f"{origin}: views.{name}"
        if not VIEW_NAME.fullmatch(name):
            raise ConfigError(f"{where}: a view's name is letters, digits, - and _ (up to 40), as --view takes it")
        if name.casefold() in seen:
            raise ConfigError(f"{where}: another view has this name (names are compared without case)")
        seen.add(name.casefold())
        if not isinstance(table, dict):
            raise ConfigError(f"{where} must be a table: [views.{name}] with title, queues, groups")
        for key in table:
            if key not in VIEW_KEYS:
                close = difflib.get_close_matches(key, VIEW_KEYS, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; a view has {', '.join(VIEW_KEYS)}"
                raise ConfigError(f"{where}: unknown key {key!r}{hint}")
        title = table.get("title", "")
        if not isinstance(title, str):
            raise ConfigError(f"{where}.title must be text in quotes; got {_show(title)}")
        title = " ".join(title.split())[:MAX_TITLE]
        queues = _queue_keys(f"{where}.queues", table["queues"]) if "queues" in table else ()
        groups = _groups(f"{where}.groups", table["groups"]) if "groups" in table else ()
        agents = table.get("agents", AGENTS_GROUPS)
        if not isinstance(agents, str) or agents.strip().lower() not in (AGENTS_GROUPS, AGENTS_SERVING):
            raise ConfigError(f'{where}.agents must be "serving" (the agents of the view\'s queues) or "groups"; got {_show(agents)}')
        serving = agents.strip().lower() == AGENTS_SERVING
        if serving and groups:
            raise ConfigError(f'{where}: set either groups or agents = "serving", not both')
        views.append(View(name, title, queues, groups, serving))
    return tuple(views)


def parse_queue_rules(
    raw: Any, origin: str, validators: Mapping[str, Callable[[str, Any], Any]], path: str
) -> tuple[QueueRule, ...]:
    """``[thresholds.queues."KEY"]`` tables, in file order (the first that matches applies)."""
    if not isinstance(raw, dict):
        raise ConfigError(f'{origin}: thresholds.queues must be tables, one per queue key: [thresholds.queues."Sales*"]')
    rules: list[QueueRule] = []
    for key, table in raw.items():
        where = f'{origin}: thresholds.queues."{key}"'
        try:
            queue_key = QueueKey(key)
        except ValueError as error:
            raise ConfigError(f"{where}: {error}") from None
        if not isinstance(table, dict):
            raise ConfigError(f"{where} must be a table of thresholds such as sla_target = 90")
        overrides: list[tuple[str, float | int]] = []
        for name, value in table.items():
            if name not in QUEUE_KEYS:
                if name in validators:
                    raise ConfigError(f"{where}: {name} judges agents, not queues; set it in [thresholds]")
                close = difflib.get_close_matches(name, QUEUE_KEYS, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; a queue rule may set {', '.join(QUEUE_KEYS)}"
                raise ConfigError(f"{where}: unknown key {name!r}{hint}")
            overrides.append((name, validators[name](f"{where}.{name}", value)))
        rules.append(QueueRule(queue_key, tuple(overrides), path))
    return tuple(rules)


def check_chosen(views: tuple[View, ...], chosen: tuple[str, ...], label: str) -> None:
    """Refuse a ``--view`` (or ``view``) naming a view the config does not define."""
    if chosen:
        try:
            find_views(views, chosen)
        except ValueError as error:
            raise ConfigError(f"{label}: {error}") from None


def view_names(label: str, value: Any) -> tuple[str, ...]:
    """``"sales,support"`` or ``["sales", "support"]``: the names, checked later against the views."""
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        items = list(value)
    else:
        raise ConfigError(f'{label} must be view names such as "sales" or "sales,support"; got {_show(value)}')
    return tuple(item.strip() for item in items if item.strip())
