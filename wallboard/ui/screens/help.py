"""The keys, shown with `?`: everything a supervisor can do from the keyboard."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = (
    ("1 / 2 / 3", "Agents / Queues / Historical tab"),
    ("↑ ↓ PgUp PgDn Home End", "move in the agents grid"),
    ("← → ↑ ↓", "move between queue tiles"),
    ("Enter", "details of the agent or queue under the cursor"),
    ("Escape", "back; clears the search"),
    ("s", "sort agents: name → state → time in state → group"),
    ("f", "filter agents by state (cycles through the states)"),
    ("/", "search agents by name or login id"),
    ("g", "group agents by group id (on / off)"),
    ("r", "refresh now; resume after refused credentials"),
    ("t", "TV mode on / off"),
    ("Ctrl+P", "command palette: tabs, themes, sorting, filters, actions"),
    ("?", "this help"),
    ("q", "quit"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > Vertical {
            width: auto; max-width: 90%; height: auto; max-height: 90%;
            border: round $primary; background: $surface; padding: 1 2;
        }
        #help-title { text-style: bold; color: $accent; margin-bottom: 1; }
        #help-foot { color: $foreground 60%; margin-top: 1; }
    }
    """

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, meaning in KEYS:
            table.add_row(Text(key), Text(meaning))
        with Vertical():
            yield Static("Keys", id="help-title", markup=False)
            yield Static(table)
            yield Static("Escape or ? closes this.", id="help-foot", markup=False)
