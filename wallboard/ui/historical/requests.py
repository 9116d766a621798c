"""What a person asks of the Historical tab: the messages of :class:`HistoricalPane`.

The pane posts them to itself and its controller handles them in turn (so a request is
handled after the event that made it, as any message). The pane exposes them as its own
attributes (``HistoricalPane.FetchRequested``), and their handler names are the pane's
(``on_historical_pane_ready``): the tab takes the focus on ``Ready`` without importing
the pane.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from wallboard.core.views.historical import Form

NAMESPACE = "historical_pane"


class Request(Message, namespace=NAMESPACE):
    """Something for the Historical tab's controller to do."""


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
