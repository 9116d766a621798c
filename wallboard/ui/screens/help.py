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
    ("↑ ↓ PgUp PgDn", "move in the agents grid or a report (Home, End: ends)"),
    ("← → ↑ ↓", "move between queue tiles"),
    ("Enter", "details of the agent or queue under the cursor"),
    ("Escape", "back; clears the search"),
    ("s", "sort agents: name → state → time in state → group"),
    ("f", "filter agents by state (cycles through the states)"),
    ("/", "search agents by name or login id"),
    ("g", "group agents by group id (on / off)"),
    ("r", "refresh now; resume after refused credentials"),
    ("t", "TV mode on / off"),
    ("v", "next view (the views in the config)"),
    ("Ctrl+P", "command palette: tabs, themes, sorting, filters, actions"),
    ("? / q", "this help / quit"),
)
HISTORICAL_KEYS = (
    ("Enter", "fetch (in the form); open a ring group or an extension"),
    ("Escape", "cancel the fetch; else back to the previous table"),
    ("s / S", "sort by the next column / the other way round"),
    ("m / M", "read more call records / all of them"),
    ("e", "save the table on screen as CSV (the path is shown)"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > Vertical {
            width: 80; max-width: 100%; height: auto; max-height: 90%;
            border: round $primary; background: $surface; padding: 1 2;
        }
        #help-title { text-style: bold; color: $accent; margin-bottom: 1; }
        .help-section { text-style: bold; color: $accent; margin-top: 1; }
        #help-foot { color: $foreground 70%; margin-top: 1; }
    }
    /* 80x24 over SSH: every key on one screen, no spacer lines. */
    HelpScreen.-short {
        & > Vertical { max-height: 100%; padding: 0 1; }
        #help-title, #help-foot, .help-section { margin: 0; }
    }
    """

    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Keys", id="help-title", markup=False)
            yield Static(_table(KEYS))
            yield Static("Historical tab", classes="help-section", markup=False)
            yield Static(_table(HISTORICAL_KEYS))
            yield Static("Escape or ? closes this.", id="help-foot", markup=False)


def _table(keys: tuple[tuple[str, str], ...]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2), pad_edge=False)
    table.add_column(style="bold", no_wrap=True, min_width=13)
    table.add_column()
    for key, meaning in keys:
        table.add_row(Text(key), Text(meaning))
    return table
