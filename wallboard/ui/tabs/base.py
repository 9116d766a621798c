"""What every tab of the board is: a TabPane that owns its widgets, its state and its work.

The board screen makes one of each tab in :data:`wallboard.ui.tabs.TABS` and, for each
:class:`~wallboard.ui.context.Moment`, hands it to every tab (:meth:`BoardTab.show`);
it asks the tab shown for its focus (:meth:`BoardTab.take_focus`), tells a tab when it
is shown (:meth:`BoardTab.activated`), runs the tab's board-level keys (:data:`KEYS`:
their actions are the tab's own ``action_*`` methods) and adds the tab's commands to the
command palette (:meth:`BoardTab.commands`). Nothing in a tab calls up into the screen
or the App: what it needs comes in its :class:`~wallboard.ui.context.BoardContext`.
"""

from __future__ import annotations

from typing import Callable, ClassVar, Iterable

from textual.app import SystemCommand
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import TabPane

from wallboard.ui.context import BoardContext, Moment


class BoardTab(TabPane):
    """One tab of the board (see the module doc)."""

    NAME: ClassVar[str]
    """The tab's id, as ``start_tab`` in the config and the palette name it."""
    TITLE: ClassVar[str]
    KEY: ClassVar[str]
    """The key that shows the tab (``1``)."""
    ROTATES: ClassVar[bool] = False
    """Shown in turn by the TV rotation."""
    KEYS: ClassVar[tuple[Binding, ...]] = ()
    """Keys the board offers while this tab is shown, whatever has the focus in it; each
    binding's action is one of this tab's ``action_*`` methods (see ``check_tab_action``)."""

    def __init__(self, context: BoardContext, chosen: Callable[[], str]) -> None:
        super().__init__(self.TITLE, id=self.NAME)
        self.context = context
        self._chosen = chosen  # the tab the board has chosen (the tabs' own state may lag)

    # --- what the board hands the tab -------------------------------------------------------

    def show(self, moment: Moment, ticked: bool) -> None:
        """Draw ``moment``. ``ticked``: only the clock moved (nor the snapshot, nor which
        feeds are stale): redraw what moves with time, nothing else."""

    def activated(self) -> None:
        """The tab has just been shown (by a key, a click, the palette or the rotation)."""

    def take_focus(self) -> None:
        """Put the focus where a person starts in this tab (called when it is chosen)."""

    def first_focus(self) -> Widget | None:
        """What to focus at once when the board starts on this tab (keys may come before
        the first frame); ``None``: wait for :meth:`take_focus`."""
        return None

    def tv_changed(self) -> None:
        """TV mode was turned on or off."""

    def next_page(self) -> bool:
        """TV mode: show the tab's next page; ``False`` when there is none (the rotation
        then moves on, and the tab is back on its first page)."""
        return False

    def page_label(self) -> str | None:
        """``page 2 of 5`` while the tab pages in TV mode, for the header; else ``None``."""
        return None

    def commands(self) -> Iterable[SystemCommand]:
        """The tab's own commands for the palette."""
        return ()

    def check_tab_action(self, action: str) -> bool | None:
        """Whether the board offers ``action`` (of :data:`KEYS`) now; as ``check_action``."""
        return True

    # --- helpers for the tabs ----------------------------------------------------------------

    @property
    def chosen(self) -> bool:
        """This is the tab the board shows (or is about to)."""
        return self._chosen() == self.NAME

    def focus_later(self, widget: Widget) -> None:
        """Focus ``widget`` (as ``widget.focus()`` does, once pending messages are handled),
        unless the board has moved to another tab or screen meanwhile.

        Focus moving into a pane makes the tabs show that pane: a focus requested for the
        tab a TV rotation turned to, carried out after a key chose another, would take the
        board back.
        """

        def focus() -> None:
            if self.chosen and self.is_attached and self.app.screen is self.screen and widget.is_attached:
                self.screen.set_focus(widget)

        widget.refresh()
        self.call_later(focus)
