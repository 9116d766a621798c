"""The Historical tab's table: one report table (a :class:`~wallboard.core.historical.Level`).

A DataTable with a row cursor. It draws what it is given: headers with the sort mark,
cells as plain text (never markup: names come from the server), numbers right-aligned,
the totals row in bold and always last. When more rows of the same table arrive in
arrival order, only the new rows are added, so a long listing does not redraw from
scratch on every page. Moving the cursor by key posts :class:`ReportGrid.Moved`, which
the tab uses to read more rows as the cursor nears the end.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from wallboard.core.historical import FIXED_COLUMNS, Level, headers
from wallboard.core.report_table import Row

TOTALS_KEY = "totals"


class ReportGrid(DataTable):
    """Rows of one report table; the totals row (key ``totals``) stays last.

    ``Home`` / ``End`` go to the first / last row (DataTable's own scroll sideways,
    which a row cursor has no use for).
    """

    BINDINGS = [
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]

    DEFAULT_CSS = """
    ReportGrid {
        height: 1fr;
        background: $background;
        & > .datatable--header { text-style: bold; background: $panel; color: $foreground; }
        & > .datatable--fixed { background: $surface; }
    }
    """

    class Moved(Message):
        """A person moved the cursor by key to ``row``."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._shown: tuple[int, int | None, bool] | None = None
        self._drawn: tuple[object, ...] | None = None
        self._count = 0
        self._totals = False

    @property
    def data_rows(self) -> int:
        """Rows on screen, not counting the totals row."""
        return self._count

    def show_level(self, level: Level) -> None:
        """Draw ``level``'s table: only the new rows when rows were appended, else afresh."""
        drawn = (level.serial, level.sort, level.descending, len(level.rows), level.complete)
        if drawn == self._drawn and self.columns:
            return  # the same rows as on screen: leave the cursor and scroll alone
        self._drawn = drawn
        table = level.table
        key = (level.serial, level.sort, level.descending)
        if key == self._shown and level.sort is None and len(table.rows) >= self._count and self.columns:
            self._append(table.rows[self._count :], table.totals, table.columns)
            return
        self._shown = key
        with self.prevent(DataTable.RowHighlighted):
            self.clear(columns=True)
            self.fixed_columns = FIXED_COLUMNS.get(level.kind.name, 0)
            for index, (label, column) in enumerate(zip(headers(level), table.columns)):
                self.add_column(Text(label, justify="right" if column.numeric else "left"), key=str(index))
            self._count = 0
            self._totals = False
            self._append(table.rows, table.totals, table.columns)
        if self.row_count:
            self.move_cursor(row=min(level.cursor, self.row_count - 1), animate=False, scroll=True)

    def _append(self, rows: tuple[Row, ...], totals: Row | None, columns) -> None:
        if self._totals:
            self.remove_row(TOTALS_KEY)
            self._totals = False
        for offset, row in enumerate(rows):
            self.add_row(*_cells(row, columns), key=str(self._count + offset))
        self._count += len(rows)
        if totals is not None:
            self.add_row(*_cells(totals, columns, "bold"), key=TOTALS_KEY)
            self._totals = True

    def forget(self) -> None:
        """Nothing shown: the next table is drawn afresh."""
        self._shown = None
        self._drawn = None

    # --- cursor moves by key ---------------------------------------------------------------

    def _moved(self) -> None:
        self.post_message(self.Moved(self.cursor_row))

    def action_cursor_down(self) -> None:
        super().action_cursor_down()
        self._moved()

    def action_page_down(self) -> None:
        super().action_page_down()
        self._moved()

    def action_scroll_bottom(self) -> None:
        super().action_scroll_bottom()
        self._moved()


def _cells(row: Row, columns, style: str = "") -> list[Text]:
    return [
        Text(cell, style=style, justify="right" if column.numeric else "left", no_wrap=True, overflow="ellipsis")
        for cell, column in zip(row.cells, columns)
    ]
