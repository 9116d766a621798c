"""The board's tabs, in order: the one registry the board screen, its keys (``1`` ``2``
``3``), the TV rotation, the command palette and ``start_tab`` all read.

A new tab is a :class:`~wallboard.ui.tabs.base.BoardTab` added here (and its name to
``wallboard.config.TABS``, which a test keeps equal): nothing else names the tabs.
"""

from __future__ import annotations

from wallboard.ui.tabs.agents import AgentsTab
from wallboard.ui.tabs.base import BoardTab
from wallboard.ui.tabs.historical import HistoricalTab
from wallboard.ui.tabs.queues import QueuesTab

TABS: tuple[type[BoardTab], ...] = (AgentsTab, QueuesTab, HistoricalTab)
