"""The Historical tab: a compact form, a status line, and the report table under it.

It owns the tab's :class:`~wallboard.ui.historical.controller.HistoricalController` (which
keeps the state and runs the fetches in the pane's workers). The pane draws a
:class:`~wallboard.core.views.historical.HistoricalState` it is given (:meth:`show`) and
turns what a person does into :class:`HistoricalPane.Request` messages, which its
controller handles in turn; the widgets never fetch and decide nothing about the data.

Keys inside the tab: Enter fetches (in a field or on Fetch) or opens the row under the
cursor; Escape cancels a fetch, else walks back a table, else leaves a text field;
``s`` / ``S`` sort; ``e`` exports; ``m`` / ``M`` read more rows / the rest. The board's
keys (``1`` ``2`` ``3``, ``q``, ``?``) keep working everywhere except while typing in a
text field, where they are text.
"""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.suggester import Suggester
from textual.widgets import Button, DataTable, Input, Label, ProgressBar, Select, Static

from wallboard.core.views.historical import (
    FIELD_LABELS,
    FORM_FIELDS,
    complete_pbx,
    FORM_KINDS,
    RANGE_LABELS,
    RANGES,
    Form,
    HistoricalState,
    empty_text,
    path,
    progress_fraction,
    range_text,
    status,
    table_due,
)
from wallboard.ui.context import BoardContext
from wallboard.ui.historical import requests
from wallboard.ui.historical.controller import HistoricalController
from wallboard.ui.historical.report_grid import ReportGrid

TEXT_FIELDS = ("start", "end", "zone", "pbx")
TABLE_ACTIONS = frozenset({"sort", "reverse", "export", "more", "all"})
PLACEHOLDERS = {
    "start": "YYYY-MM-DD HH:MM:SS",
    "end": "YYYY-MM-DD HH:MM:SS",
    "zone": "Europe/London",
    "pbx": "allpbxes or NAME,NAME",
}


class FormSelect(Select):
    """A Select of the form whose key hints say what Enter does on it."""

    BINDINGS = [Binding("enter", "show_overlay", "Choose")]


class HistoricalPane(Vertical):
    """The Historical tab's widgets and their controller; see the module doc."""

    DEFAULT_CSS = """
    HistoricalPane {
        height: 1fr;
        #hist-form { height: auto; padding: 0 1; background: $surface; }
        .hist-row { height: 1; margin: 0; }
        .hist-label { width: 7; height: 1; color: $foreground 75%; text-style: bold; }
        .hist-label.-second { width: 6; margin-left: 2; }
        #hist-kind { width: 24; }
        #hist-range { width: 16; }
        #hist-start, #hist-end { width: 21; }
        #hist-zone { width: 24; }
        #hist-pbx { width: 1fr; min-width: 12; max-width: 40; }
        Select, Input { height: 1; }
        Input.-invalid { background: $error 35%; }
        #hist-fetch { margin-left: 2; min-width: 9; height: 1; }
        #hist-statusbar { height: auto; padding: 0 1; }
        #hist-progress { width: auto; height: 1; margin-right: 1; display: none; }
        #hist-progress Bar { width: 12; }
        #hist-progress.-shown { display: block; }
        #hist-status { width: 1fr; height: auto; max-height: 4; color: $foreground 80%; }
        #hist-status.-busy { color: $accent; }
        #hist-status.-ok { color: $success; }
        #hist-status.-warning { color: $warning; }
        #hist-status.-error { color: $error; text-style: bold; }
        #hist-path { height: 1; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis; }
        #hist-empty { height: 1fr; padding: 1 2; color: $foreground 70%; }
        /* The field with the focus in reverse video: seen in every theme, in 16 colours
           and with NO_COLOR, by more than a hue. Fetch is plain until it has the focus. */
        Select:focus > SelectCurrent, Input:focus, #hist-fetch:focus { text-style: reverse bold; }
        #hist-fetch { background: $panel; color: $foreground; }
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("s", "sort", "Sort"),
        Binding("S", "reverse", "Reverse", show=False),
        Binding("e", "export", "Export CSV"),
        Binding("m", "more", "More rows"),
        Binding("M", "all", "All rows", show=False),
    ]

    # --- what the pane asks its controller for (see wallboard.ui.historical.requests) ------

    Request = requests.Request
    Ready = requests.Ready
    FormChanged = requests.FormChanged
    FetchRequested = requests.FetchRequested
    OpenRequested = requests.OpenRequested
    EscapePressed = requests.EscapePressed
    SortRequested = requests.SortRequested
    MoreRequested = requests.MoreRequested
    CursorMoved = requests.CursorMoved
    ExportRequested = requests.ExportRequested

    # --- layout --------------------------------------------------------------------------------

    def __init__(self, context: BoardContext, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.controller = HistoricalController(self, context)
        self.state: HistoricalState | None = None
        self._form_writes: int | None = None
        """The state's ``form_writes`` last drawn: the fields it wrote since then are drawn."""
        self._known: Form | None = None
        """The form as last reported to the controller or written from a state."""
        self._keys: tuple[bool, bool] | None = None
        """Which of the tab's own keys were offered, as last told to the footer."""

    def compose(self) -> ComposeResult:
        with Vertical(id="hist-form"):
            with Horizontal(classes="hist-row"):
                yield Label(FIELD_LABELS["kind"], classes="hist-label")
                yield FormSelect(
                    [(kind.label, kind.name) for kind in FORM_KINDS], allow_blank=False, compact=True, id="hist-kind"
                )
                yield Label(FIELD_LABELS["range"], classes="hist-label -second")
                yield FormSelect([(RANGE_LABELS[name], name) for name in RANGES], allow_blank=False, compact=True, id="hist-range")
            with Horizontal(classes="hist-row"):
                yield Label(FIELD_LABELS["start"], classes="hist-label")
                yield self._input("start")
                yield Label(FIELD_LABELS["end"], classes="hist-label -second")
                yield self._input("end")
            with Horizontal(classes="hist-row"):
                yield Label(FIELD_LABELS["zone"], classes="hist-label")
                yield self._input("zone")
                yield Label(FIELD_LABELS["pbx"], classes="hist-label -second")
                yield self._input("pbx")
                yield Button("Fetch", compact=True, variant="primary", id="hist-fetch")
        with Horizontal(id="hist-statusbar"):
            # Still unless a fetch of unknown length runs in plain view (see _show_status)
            yield ProgressBar(total=100, show_eta=False, show_percentage=False, id="hist-progress")
            yield Static("", id="hist-status", markup=False)
        yield Static("", id="hist-path", markup=False)
        yield ReportGrid(id="hist-table")
        yield Static("", id="hist-empty", markup=False)

    def _input(self, key: str) -> Input:
        return Input(placeholder=PLACEHOLDERS[key], compact=True, id=f"hist-{key}")

    def on_mount(self) -> None:
        self.query_one(ReportGrid).display = False
        self.app.screen_change_signal.subscribe(self, self._screen_changed)
        self.post_message(self.Ready())

    async def on_unmount(self) -> None:
        await self.controller.aclose()

    @on(requests.Request)
    def _request(self, request: requests.Request) -> None:
        """A request of this pane: its controller handles it (``Ready`` also goes on to
        the tab, which gives the pane the focus if the tab is the one shown)."""
        if not isinstance(request, requests.Ready):
            request.stop()
        self.controller.handle(request)

    def _screen_changed(self, screen: object) -> None:
        if self.state is not None and self.is_mounted:
            self._show_status(self.state)

    @property
    def grid(self) -> ReportGrid:
        return self.query_one(ReportGrid)

    def focus_default(self) -> None:
        """Focus the table when it has rows, else Fetch (so Enter fetches at once). Never a
        text field, so the board's number keys keep switching tabs."""
        grid = self.grid
        if grid.display and grid.row_count:
            grid.focus()
        else:
            self.query_one("#hist-fetch", Button).focus()

    def focus_field(self, key: str) -> None:
        self.query_one(f"#hist-{key}").focus()

    # --- drawing a state -----------------------------------------------------------------------

    def show(self, state: HistoricalState) -> None:
        """Draw ``state``: form values, status, the path of tables and the table on screen."""
        previous = self.state
        self.state = state
        self._show_form(state)
        self._show_pbx_choices(state, previous)
        self._show_status(state)
        if table_due(state):
            self._show_table(state, previous)
        keys = (self._has_rows(), self._can_read_more())
        if keys != self._keys:  # the footer is rebuilt on every call: only when its keys change
            self._keys = keys
            self.refresh_bindings()

    def _show_form(self, state: HistoricalState) -> None:
        """Write the fields the state set itself; never echo typed text back (it may be older)."""
        form = state.form
        if state.form_writes != self._form_writes:
            written = FORM_FIELDS if self._form_writes is None else state.written  # a new pane: everything
            self._form_writes = state.form_writes
            with self.prevent(Select.Changed, Input.Changed):
                for key in written:
                    widget = self.query_one(f"#hist-{key}", Input if key in TEXT_FIELDS else Select)
                    value = getattr(form, key)
                    if widget.value != value:
                        widget.value = value
            # only what was written is known to the controller: a key typed but not yet reported stays news
            known = self._known or form
            self._known = replace(known, **{key: getattr(form, key) for key in written})
        for key in TEXT_FIELDS:
            self.query_one(f"#hist-{key}", Input).set_class(state.invalid == key, "-invalid")

    def _show_pbx_choices(self, state: HistoricalState, previous: HistoricalState | None) -> None:
        """Offer the PBXs the user can see in the PBX field, once they are known."""
        if not state.known_pbxes or (previous is not None and previous.known_pbxes == state.known_pbxes):
            return
        field = self.query_one("#hist-pbx", Input)
        field.suggester = PbxSuggester(state.known_pbxes)
        field.placeholder = "allpbxes or " + ",".join(state.known_pbxes[:3])
        field.tooltip = "PBXs you can see: " + ", ".join(state.known_pbxes) + " (→ completes a name)"

    def _show_status(self, state: HistoricalState) -> None:
        note = status(state)
        line = self.query_one("#hist-status", Static)
        _set_text(line, Content(note.text))
        for tone in ("busy", "ok", "warning", "error"):
            line.set_class(note.tone == tone, f"-{tone}")
        bar = self.query_one(ProgressBar)
        bar.set_class(state.fetch is not None, "-shown")
        fraction = progress_fraction(state.fetch) if state.fetch is not None else 0.0
        if fraction is not None:
            bar.update(total=100, progress=round(fraction * 100, 1))
        elif self.app.screen is self.screen:
            bar.update(total=None)
        else:
            # An indeterminate bar animates 15 times a second, hidden or not, and each frame
            # repaints the screen, and the whole dimmed board again under a dialog (the
            # sign-in asked for before this fetch): still, unless the fetch is in plain view.
            bar.update(total=100, progress=0)

    def _show_table(self, state: HistoricalState, previous: HistoricalState | None) -> None:
        frame = state.frame
        crumbs = self.query_one("#hist-path", Static)
        if frame is None:
            crumbs.display = False
        else:
            crumbs.display = True
            _set_text(crumbs, Content.assemble((" › ".join(path(state)), "bold"), " · ", (range_text(frame.query), "dim")))
        grid = self.grid
        empty = empty_text(state)
        shows_rows = frame is not None and bool(frame.records)
        if shows_rows:
            assert frame is not None
            focus_grid = previous is not None and _new_table(previous, state) and self._focus_is_here()
            grid.display = True
            grid.show_frame(frame)
            if focus_grid:
                grid.focus()
        else:
            if grid.has_focus:
                self.query_one("#hist-fetch", Button).focus()
            grid.display = False
            grid.forget()
        message = self.query_one("#hist-empty", Static)
        message.display = not shows_rows
        _set_text(message, Content(empty or ""))

    def _focus_is_here(self) -> bool:
        focused = self.screen.focused if self.is_attached else None
        return focused is None or self in focused.ancestors

    # --- what a person does ------------------------------------------------------------------

    def form(self) -> Form:
        """The form as the widgets hold it now."""
        kind = self.query_one("#hist-kind", Select).value
        range_name = self.query_one("#hist-range", Select).value
        texts = {key: self.query_one(f"#hist-{key}", Input).value for key in TEXT_FIELDS}
        return Form(kind=str(kind), range=str(range_name), **texts)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._changed((event.select.id or "").removeprefix("hist-"))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._changed((event.input.id or "").removeprefix("hist-"))

    def _changed(self, key: str) -> None:
        """Tell the controller about an edit; not about widgets settling as they mount."""
        if self._known is None:
            return
        form = self.form()
        if getattr(form, key, None) != getattr(self._known, key, None):
            self._known = form
            self.post_message(self.FormChanged(form, key))

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.FetchRequested(self.form()))

    @on(Button.Pressed, "#hist-fetch")
    def _fetch_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.FetchRequested(self.form()))

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.OpenRequested(event.cursor_row))

    @on(DataTable.HeaderSelected)
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.post_message(self.SortRequested(column=event.column_index))

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.CursorMoved(event.cursor_row, by_key=False))

    @on(ReportGrid.Moved)
    def _moved_by_key(self, event: ReportGrid.Moved) -> None:
        event.stop()
        self.post_message(self.CursorMoved(event.row, by_key=True))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in TABLE_ACTIONS and not self.grid.has_focus:
            return False  # the table's keys act on the table: not offered (nor done) from the form
        if action in ("sort", "reverse", "export"):
            return self._has_rows()
        if action in ("more", "all"):
            return self._can_read_more()
        return True  # Escape always stays in the tab: the board's Escape must not pull focus to Agents

    def _has_rows(self) -> bool:
        frame = self.state.frame if self.state is not None else None
        return frame is not None and bool(frame.records)

    def _can_read_more(self) -> bool:
        state = self.state
        frame = state.frame if state is not None else None
        return frame is not None and frame.more_to_read and state is not None and state.fetch is None

    def action_back(self) -> None:
        self.post_message(self.EscapePressed())

    def leave_field(self) -> None:
        """Escape with nothing to cancel or walk back: out of a text field, else nothing."""
        if isinstance(self.screen.focused, Input):
            self.focus_default()

    def action_sort(self) -> None:
        self.post_message(self.SortRequested())

    def action_reverse(self) -> None:
        self.post_message(self.SortRequested(reverse=True))

    def action_export(self) -> None:
        self.post_message(self.ExportRequested())

    def action_more(self) -> None:
        self.post_message(self.MoreRequested())

    def action_all(self) -> None:
        self.post_message(self.MoreRequested(everything=True))


class PbxSuggester(Suggester):
    """Completes the last name typed in the PBX field from the PBXs the user can see."""

    def __init__(self, names: tuple[str, ...]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = names

    async def get_suggestion(self, value: str) -> str | None:
        return complete_pbx(value, self.names)


def _set_text(widget: Static, content: Content) -> None:
    """Show ``content``; lay the screen out again only when its height may change.

    A progress line that changes with every page of a long listing would otherwise
    re-lay and redraw the whole tab, table included, page after page.
    """
    before = widget.visual
    if isinstance(before, Content) and before == content:
        return
    width = widget.content_region.width
    fits = 0 < width and "\n" not in content.plain and content.cell_length < width
    was_one_line = isinstance(before, Content) and "\n" not in before.plain and before.cell_length < width
    widget.update(content, layout=not (fits and was_one_line))


def _new_table(previous: HistoricalState, state: HistoricalState) -> bool:
    """Whether ``state`` put a different table on screen (a fetch or a walk back)."""
    before, after = previous.frame, state.frame
    return after is not None and (before is None or before.serial != after.serial)

