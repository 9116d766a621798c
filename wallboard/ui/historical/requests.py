"""What the Historical tab asks the App for: the messages of :class:`HistoricalPane`.

They live apart from the pane so the App can handle them without importing the pane and
the Work Analytics model behind it: the board starts without either, and the Historical
tab loads them the first time it is opened. The pane exposes them as its own attributes
(``HistoricalPane.FetchRequested``), and their handler names are the pane's
(``on_historical_pane_fetch_requested``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from wallboard.core.views.historical import Form

NAMESPACE = "historical_pane"


class Request(Message, namespace=NAMESPACE):
    """Something for the App to do with the Historical tab."""


class Ready(Request, namespace=NAMESPACE):
    """The pane exists: send it the state to show."""


class FormChanged(Request, namespace=NAMESPACE):
    def __init__(self, form: Form, field: str) -> None:
        super().__init__()
        self.form = form
        self.field = field


class FetchRequested(Request, namespace=NAMESPACE):
    def __init__(self, form: Form) -> None:
        super().__init__()
        self.form = form


class OpenRequested(Request, namespace=NAMESPACE):
    def __init__(self, row: int) -> None:
        super().__init__()
        self.row = row


class EscapePressed(Request, namespace=NAMESPACE):
    pass


class SortRequested(Request, namespace=NAMESPACE):
    """``column``: sort by it (again: reverse); ``None``: the next column; ``reverse``: flip."""

    def __init__(self, column: int | None = None, reverse: bool = False) -> None:
        super().__init__()
        self.column = column
        self.reverse = reverse


class MoreRequested(Request, namespace=NAMESPACE):
    def __init__(self, everything: bool = False) -> None:
        super().__init__()
        self.everything = everything


class CursorMoved(Request, namespace=NAMESPACE):
    def __init__(self, row: int, by_key: bool) -> None:
        super().__init__()
        self.row = row
        self.by_key = by_key


class ExportRequested(Request, namespace=NAMESPACE):
    pass
