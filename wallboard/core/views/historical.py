"""The Historical tab without Textual: the form, the drill-down stack, and what its lines say.

The tab is a small state machine. :class:`HistoricalState` holds the form as typed, the
stack of tables (each a :class:`Frame`: a query, the rows fetched for it, its sort and
cursor) and the fetch under way, if any. Every change is a pure function from one state
to the next, so the widget only draws a state and the App only runs fetches and feeds
what arrives back in. Nothing here performs I/O or reads a clock: "now" is passed in.

The rules, in one place:

* Nothing is fetched until asked (Enter or Fetch). A preset range is computed in the
  form's zone at the moment of the fetch, so "today" ends when it is asked for.
* A fetch from the form replaces the tables once its first rows arrive, so cancelling it
  keeps what was on screen. A drill-down pushes a table; Escape pops it.
* Paged reports (call records and legs) are read on demand: a batch of
  :data:`BATCH_ROWS` rows, reading at most :data:`BATCH_PAGES` pages for it (so a sparse
  extension filter cannot read a whole month in one go); more when the cursor nears the
  end or ``m`` is pressed; ``M`` reads the rest, up to :data:`MAX_ROWS` rows on screen.
* Escape cancels a running fetch (rows already shown stay), else walks back one table,
  else does nothing.
* Totals: the table model's (sums and recomputed averages), shown when there are two
  rows or more, always last whatever the sort, and labelled "So far" while a listing
  is only partly read.
* What a person should know about how the table came to be is said in its status line:
  a start moved to the two-year limit, a listing the service ended before its announced
  total ("812 of 1,000 records: the service stopped early").
* An extension's calls are fetched over the same PBXs as the table it came from (see
  :func:`~wallboard.core.reports.query.drill_down`), so they add up to its row.
* PBX names: once the PBX list has been read (``known_pbxes``), a form naming a PBX that
  is not in it is refused on the PBX field, naming those that exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import Any, Sequence

from wallboard.core.model.analytics import (

    CALL_LEGS,

    CALL_RECORDS,

    COMPANY,

    EXTENSIONS,

    REPORT_KINDS,

    RING_GROUP_MEMBERS,

    RING_GROUPS,

    FetchProgress,

    ReportKind,

    select_extension,

)

from wallboard.core.wire.payload import MAX_PROBLEMS
from wallboard.core.formatting import count
from wallboard.core.reports.query import (
    ALL_PBXES,
    PRESET_LABELS,
    PRESETS,
    TIME_FORMAT,
    ReportQuery,
    check_zone,
    drill_down,
    make_query,
    preset_range,
    unknown_pbx_message,
)
from wallboard.core.reports.table import TOTAL_LABEL, ReportTable, Row, build_table, screen_columns, totals_row
from wallboard.errors import ConfigError

CUSTOM = "custom"
RANGES = (*PRESETS, CUSTOM)
RANGE_LABELS = {**PRESET_LABELS, CUSTOM: "Custom"}
FORM_KINDS = tuple(kind for kind in REPORT_KINDS.values() if not kind.needs_ext)
"""The reports the form offers; ring-group members are reached from a ring group's row."""

FORM_FIELDS = ("kind", "range", "start", "end", "zone", "pbx")
FIELD_LABELS = {"kind": "Report", "range": "Range", "start": "From", "end": "To", "zone": "Zone", "pbx": "PBX"}
_QUERY_OPTIONS = {"kind": "Report", "start": "From", "end": "To", "tz": "Zone", "pbx": "PBX", "ext": "Extension"}

BATCH_ROWS = 100
BATCH_PAGES = 20
BOARD_PAGE_SIZE = 500
"""Most records the board asks for per page (``analytics.page_size`` may ask fewer): a page
of 500 is read off the event loop and drawn in a few tens of milliseconds, so the board
never stalls while a long listing arrives."""
MAX_ROWS = 10_000
NEAR_END = 5
"""Rows from the end of a partly read listing at which moving the cursor reads more."""
TABLE_PAGES = 10
"""While ``M`` reads a listing to its end, the table on screen is redrawn every this many
pages (and when reading stops); the progress line moves with every page. Each redraw of
a growing table costs the terminal far more than the page did: drawing every page made
reading 3,600 call records take 23 s instead of the 8 s the service needed."""

REPORT, DRILL, MORE = "report", "drill", "more"
INFO, BUSY, OK, WARNING, ERROR = "info", "busy", "ok", "warning", "error"

EMPTY = "No calls in this range."
IDLE = ""
"""The status line before anything was fetched (the table area explains instead)."""
IDLE_HINT = (
    "Choose a report and a range above, then press Enter or Fetch.\n"
    "Nothing is fetched until you ask. Enter on a ring group shows its members; "
    "on an extension, its calls. Escape goes back."
)
NOTHING_TO_OPEN = "Nothing to open here: Enter opens a ring group's members or an extension's calls."
NOTHING_TO_EXPORT = "Nothing to export yet: fetch a report first."
SIGN_IN_CANCELLED = (
    "Sign-in cancelled: nothing was fetched. Fetch again to sign in, or store the analytics "
    "secrets with `wallboard secrets set`."
)
LISTING_LOST = "Reading this listing broke off; fetch it again to start over."
SO_FAR_LABEL = "So far"
FIXED_COLUMNS = {
    COMPANY.name: 1,
    EXTENSIONS.name: 2,
    RING_GROUPS.name: 2,
    RING_GROUP_MEMBERS.name: 2,
    CALL_RECORDS.name: 1,
    CALL_LEGS.name: 1,
}
"""Columns that stay in view when a wide table scrolls sideways (the row's identity)."""


# --- the form ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Form:
    """The form as typed: texts, not yet checked."""

    kind: str = COMPANY.name
    range: str = "yesterday"
    start: str = ""
    end: str = ""
    zone: str = "UTC"
    pbx: str = ALL_PBXES


def new_form(zone: str, pbx: Sequence[str], now: datetime, kind: str = COMPANY.name, range_name: str = "yesterday") -> Form:
    """The form as the tab opens: the configured zone and PBXs, yesterday's range shown."""
    return fill_range(Form(kind, range_name, "", "", zone, ",".join(pbx) or ALL_PBXES), now)


def fill_range(form: Form, now: datetime) -> Form:
    """From and To set to the chosen preset (kept for Custom, or while the zone is not valid)."""
    if form.range == CUSTOM:
        return form
    try:
        start, end = preset_range(form.range, check_zone(form.zone), now)
    except ConfigError:
        return form
    return replace(form, start=start.strftime(TIME_FORMAT), end=end.strftime(TIME_FORMAT))


def edit_form(form: Form, changed: str, now: datetime) -> Form:
    """The form after a person changed field ``changed`` (``form`` holds the new value).

    Choosing a preset (or another zone) shows its From and To; typing a time makes the
    range Custom.
    """
    if changed in ("range", "zone"):
        return fill_range(form, now)
    if changed in ("start", "end") and form.range != CUSTOM:
        return replace(form, range=CUSTOM)
    return form


def form_query(form: Form, now: datetime, known_pbxes: Sequence[str] = ()) -> ReportQuery:
    """The checked query of the form; a ConfigError names the field (From, To, Zone, PBX).

    ``known_pbxes``, when the PBX list has been read, refuses a PBX name not in it."""
    if form.range == CUSTOM:
        start: str | datetime = form.start
        end: str | datetime = form.end
    else:
        start, end = preset_range(form.range, check_zone(form.zone, _QUERY_OPTIONS["tz"]), now)
    query = make_query(form.kind, start, end, form.zone, now, pbx=form.pbx, options=_QUERY_OPTIONS)
    unknown = unknown_pbx_message(query.pbx, known_pbxes, FIELD_LABELS["pbx"])
    if unknown:
        raise ConfigError(unknown)
    return query


def invalid_field(message: str) -> str | None:
    """The form field a query error is about (``start``, ``end``, ``zone``, ``pbx``), if any."""
    for key in ("start", "end", "zone", "pbx"):
        label = FIELD_LABELS[key]
        if message.startswith((f"{label} ", f"{label}:")):
            return key
    return None


# --- one table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """One table on the drill-down stack (a frame of it, as of a call stack): its query
    and the rows fetched for it so far. (Not a threshold ``Level``: that word is taken.)

    ``rows`` are in arrival order, built as pages arrive; :attr:`table` sorts them.
    ``read`` counts records read from a paged listing before the extension filter,
    ``total`` is what the server announced; ``stopped`` says why reading a listing broke
    off (an error), after which it cannot be resumed.
    """

    query: ReportQuery
    subject: str = ""
    serial: int = 0
    records: tuple[Any, ...] = ()
    rows: tuple[Row, ...] = ()
    complete: bool = True
    pages: int = 0
    read: int = 0
    total: int | None = None
    problems: tuple[str, ...] = ()
    skipped: int = 0
    sort: int | None = None
    descending: bool = False
    cursor: int = 0
    stopped: str = ""
    note: str = ""
    """Why the listing ended before its announced total, when it did."""

    @property
    def kind(self) -> ReportKind:
        return self.query.kind

    @property
    def extension_filter(self) -> str:
        """The extension whose calls this table shows ('' when it is not filtered)."""
        return "" if self.kind.needs_ext else self.query.ext

    @property
    def more_to_read(self) -> bool:
        return not self.complete and not self.stopped and len(self.records) < MAX_ROWS

    @cached_property
    def totals(self) -> Row | None:
        """The totals of every record so far; worked out only when the table is drawn."""
        columns = screen_columns(self.kind)
        if not self.records or all(column.total is None for column in columns):
            return None
        return totals_row(columns, self.records, self.query.tz())

    @cached_property
    def table(self) -> ReportTable:
        """The table as shown: sorted as chosen, totals last (from two rows on)."""
        columns = screen_columns(self.kind)
        totals = self.totals if len(self.rows) >= 2 else None
        if totals is not None and not self.complete:
            totals = replace(totals, cells=tuple(SO_FAR_LABEL if cell == TOTAL_LABEL else cell for cell in totals.cells))
        table = ReportTable(self.kind, columns, self.rows, totals)
        return table.sorted_by(self.sort, self.descending) if self.sort is not None else table

    def with_records(self, records: Sequence[Any], problems: Sequence[str] = (), skipped: int = 0) -> "Frame":
        """This table with ``records`` appended (only the new rows are built)."""
        zone = self.query.tz()
        added = build_table(self.kind, records, zone).rows if records else ()
        kept = (self.problems + tuple(problems))[:MAX_PROBLEMS]
        return replace(self, records=self.records + tuple(records), rows=self.rows + added, problems=kept, skipped=self.skipped + skipped)


def headers(frame: Frame) -> tuple[str, ...]:
    """Column headers, the sorted one marked ▲ (ascending) or ▼ (descending)."""
    marks = {frame.sort: " ▼" if frame.descending else " ▲"} if frame.sort is not None else {}
    return tuple(column.header + marks.get(index, "") for index, column in enumerate(frame.table.columns))


def subject_of(record: Any) -> str:
    """``7001 Sales`` for the row a drill-down was opened from."""
    extension = getattr(record, "extension", "")
    name = getattr(record, "name", "")
    return " ".join(part for part in (extension, name) if part)


# --- the whole tab -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fetch:
    """A fetch under way: why, for which query, into which table, and how far it got.

    ``purpose`` is :data:`REPORT` (from the form), :data:`DRILL` (from a row) or
    :data:`MORE` (further pages of the table ``serial``). A paged fetch stops once the
    table holds ``target`` rows or it has read :data:`BATCH_PAGES` pages, unless
    ``everything`` was asked for.
    """

    purpose: str
    query: ReportQuery
    serial: int
    subject: str = ""
    everything: bool = False
    target: int = BATCH_ROWS
    pages: int = 0
    progress: FetchProgress | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """One line for a person: what happened, and its tone (info, busy, ok, warning, error)."""

    text: str
    tone: str = INFO


@dataclass(frozen=True, slots=True)
class HistoricalState:
    form: Form = field(default_factory=Form)
    frames: tuple[Frame, ...] = ()
    fetch: Fetch | None = None
    note: Note | None = None
    invalid: str | None = None
    """The form field the note is about (marked on screen)."""
    serials: int = 0
    form_writes: int = 0
    """Counts the times the tab itself set fields of the form (see :func:`with_form`)."""
    written: tuple[str, ...] = FORM_FIELDS
    """The fields it set the last time: the widgets show these from the state; every other
    field's text belongs to its widget (the state only echoes what was typed)."""
    known_pbxes: tuple[str, ...] = ()
    """The PBXs the user may see, once the list has been read (offered in the PBX field)."""

    @property
    def frame(self) -> Frame | None:
        """The table on screen (the top of the stack)."""
        return self.frames[-1] if self.frames else None

    def filling(self) -> Frame | None:
        """The table the running fetch writes into, once it exists."""
        if self.fetch is None:
            return None
        frame = self.frame
        return frame if frame is not None and frame.serial == self.fetch.serial else None


def with_form(state: HistoricalState, form: Form, changed: str, now: datetime) -> HistoricalState:
    """A person edited the form; a complaint about the form goes away with the edit.

    Only the fields the edit itself changed (a preset's From and To, Custom after typing a
    time) are marked to be written back into the widgets. The rest is an echo of what was
    typed, which on a busy machine is already older than the field: writing it back would
    drop or reorder the keys typed since (issue 12 item 3).
    """
    note = None if state.invalid is not None else state.note
    edited = edit_form(form, changed, now)
    written = tuple(key for key in FORM_FIELDS if getattr(edited, key) != getattr(form, key))
    if not written:
        return replace(state, form=edited, invalid=None, note=note)
    return replace(state, form=edited, invalid=None, note=note, form_writes=state.form_writes + 1, written=written)


def request_report(state: HistoricalState, now: datetime) -> HistoricalState:
    """Fetch asked for: a fetch of the form's query, or a note saying what to fix."""
    try:
        query = form_query(state.form, now, state.known_pbxes)
    except ConfigError as error:
        return replace(state, note=Note(str(error), ERROR), invalid=invalid_field(str(error)))
    return _begin(state, REPORT, query)


def request_open(state: HistoricalState, row: int) -> HistoricalState:
    """Enter on row ``row`` of the table on screen: its drill-down, if it has one."""
    frame = state.frame
    if frame is None or not 0 <= row < len(frame.table.rows):
        return state
    record = frame.table.rows[row].record
    query = drill_down(frame.query, record, repeated=_repeated(frame, record))
    if query is None:
        return replace(state, note=Note(NOTHING_TO_OPEN))
    return _begin(state, DRILL, query, subject_of(record))


def _repeated(frame: Frame, record: Any) -> bool:
    """Whether ``record``'s extension has rows on more than one PBX of ``frame``."""
    extension = getattr(record, "extension", "")
    pbxes = {getattr(other, "pbx_id", "") for other in frame.records if getattr(other, "extension", None) == extension}
    return len(pbxes) > 1


def complete_pbx(value: str, names: Sequence[str]) -> str | None:
    """The PBX field's text with its last (comma-separated) name completed, or ``None``.

    ``demo`` -> ``demo-pbx``; ``demo-pbx,de`` -> ``demo-pbx,demo-pbx``; ``allp`` -> ``allpbxes``.
    A name already whole is left alone (``demo-pbx`` is not pushed on to ``demo-pbx2``).
    """
    head, _, last = value.rpartition(",")
    part = last.lstrip()
    if not part or part in names:
        return None
    for name in (*names, ALL_PBXES):
        if name.startswith(part) and name != part:
            return value[: len(value) - len(part)] + name
    return None


def with_pbxes(state: HistoricalState, names: Sequence[str]) -> HistoricalState:
    """The PBX list arrived: offered in the PBX field and checked on Fetch."""
    return replace(state, known_pbxes=tuple(names))


def request_more(state: HistoricalState, everything: bool = False) -> HistoricalState:
    """Read further pages of the table on screen (``everything``: to its end)."""
    frame = state.frame
    if state.fetch is not None or frame is None or frame.complete:
        return state
    if frame.stopped:
        return replace(state, note=Note(LISTING_LOST, WARNING))
    if len(frame.records) >= MAX_ROWS:
        return replace(state, note=Note(_too_many(frame), WARNING))
    target = MAX_ROWS if everything else len(frame.records) + BATCH_ROWS
    return _begin(state, MORE, frame.query, frame.subject, serial=frame.serial, everything=everything, target=target)


def near_end(state: HistoricalState, row: int) -> bool:
    """Whether the cursor on ``row`` is close enough to the end to read more now."""
    frame = state.frame
    return (
        state.fetch is None
        and frame is not None
        and frame.more_to_read
        and row >= len(frame.rows) - NEAR_END
    )


def _begin(
    state: HistoricalState,
    purpose: str,
    query: ReportQuery,
    subject: str = "",
    *,
    serial: int | None = None,
    everything: bool = False,
    target: int | None = None,
) -> HistoricalState:
    serials = state.serials
    if serial is None:
        serials += 1
        serial = serials
    fetch = Fetch(purpose, query, serial, subject, everything, BATCH_ROWS if target is None else target)
    return replace(state, fetch=fetch, note=None, invalid=None, serials=serials)


def progressed(state: HistoricalState, progress: FetchProgress) -> HistoricalState:
    if state.fetch is None:
        return state
    return replace(state, fetch=replace(state.fetch, progress=progress))


def summary_arrived(state: HistoricalState, records: Sequence[Any], problems: Sequence[str] = (), skipped: int = 0) -> HistoricalState:
    """A summary report arrived whole: its table goes on screen and the fetch is over."""
    fetch = state.fetch
    if fetch is None:
        return state
    frame = Frame(fetch.query, fetch.subject, fetch.serial)
    frame = frame.with_records(select_extension(records, frame.extension_filter), problems, skipped)
    return replace(_place(state, fetch, frame), fetch=None)


def page_arrived(
    state: HistoricalState, records: Sequence[Any], problems: Sequence[str], skipped: int, progress: FetchProgress
) -> HistoricalState:
    """One page of a listing arrived: its rows (filtered) join the table being filled."""
    fetch = state.fetch
    if fetch is None:
        return state
    frame = state.filling() or Frame(fetch.query, fetch.subject, fetch.serial, complete=False)
    frame = frame.with_records(select_extension(records, frame.extension_filter), problems, skipped)
    frame = replace(
        frame, complete=progress.done, pages=progress.pages, read=progress.records, total=progress.total,
        note=progress.note or frame.note,
    )
    fetch = replace(fetch, pages=fetch.pages + 1, progress=progress)
    return replace(_place(state, fetch, frame), fetch=fetch)


def wants_page(state: HistoricalState) -> bool:
    """Whether the running fetch should read another page of its listing."""
    fetch = state.fetch
    if fetch is None:
        return False
    frame = state.filling()
    if frame is None:
        return True
    if not frame.more_to_read:
        return False
    return fetch.everything or (len(frame.records) < fetch.target and fetch.pages < BATCH_PAGES)


def _place(state: HistoricalState, fetch: Fetch, frame: Frame) -> HistoricalState:
    """Put the table a fetch fills on screen: replacing (report), pushing (drill) or updating it."""
    current = state.filling()
    if current is not None:
        frame = replace(frame, sort=current.sort, descending=current.descending, cursor=current.cursor)
        return replace(state, frames=state.frames[:-1] + (frame,))
    if fetch.purpose == REPORT:
        return replace(state, frames=(frame,))
    if fetch.purpose == DRILL:
        return replace(state, frames=state.frames + (frame,))
    return state  # more rows for a table no longer on screen


def table_due(state: HistoricalState) -> bool:
    """Whether the table on screen should be redrawn for ``state`` (see :data:`TABLE_PAGES`)."""
    fetch = state.fetch
    if fetch is None or not fetch.everything or state.filling() is None:
        return True
    return fetch.pages % TABLE_PAGES == 0


def fetch_finished(state: HistoricalState) -> HistoricalState:
    return replace(state, fetch=None)


def fetch_failed(state: HistoricalState, message: str) -> HistoricalState:
    """The fetch failed: one line, and a listing left partly read cannot be resumed."""
    frames = state.frames
    frame = state.filling()
    if frame is not None and not frame.complete:
        frames = frames[:-1] + (replace(frame, stopped=message),)
    return replace(state, fetch=None, frames=frames, note=Note(message, ERROR))


def fetch_cancelled(state: HistoricalState) -> HistoricalState:
    """Escape stopped the fetch; rows already shown stay."""
    fetch = state.fetch
    if fetch is None:
        return state
    frame = state.filling()
    if frame is not None and frame.more_to_read:
        text = f"Cancelled: {len(frame.records):,} rows shown; m reads more."
    elif fetch.purpose == DRILL:
        text = f"Cancelled: the {_subject_label(fetch.query, fetch.subject)} were not fetched."
    else:
        text = f"Cancelled: the {fetch.query.kind.label.lower()} was not fetched."
    return replace(state, fetch=None, note=Note(text, WARNING))


def sign_in_cancelled(state: HistoricalState) -> HistoricalState:
    return replace(state, fetch=None, note=Note(SIGN_IN_CANCELLED, WARNING))


def escape_action(state: HistoricalState) -> str:
    """What Escape does now: ``cancel`` the fetch, walk ``back`` a table, or ``none``."""
    if state.fetch is not None:
        return "cancel"
    if len(state.frames) > 1:
        return "back"
    return "none"


def back(state: HistoricalState) -> HistoricalState:
    """Walk back one table (the first table stays)."""
    if len(state.frames) <= 1:
        return state
    return replace(state, frames=state.frames[:-1], note=None)


def moved(state: HistoricalState, row: int) -> HistoricalState:
    """The cursor moved to ``row`` of the table on screen (kept for walking back to it)."""
    frame = state.frame
    if frame is None or frame.cursor == row:
        return state
    return replace(state, frames=state.frames[:-1] + (replace(frame, cursor=row),))


# --- sorting -------------------------------------------------------------------------------


def sort_by(state: HistoricalState, column: int) -> HistoricalState:
    """Sort by ``column``: numbers biggest first, text A to Z; the same column again reverses."""
    frame = state.frame
    if frame is None or not 0 <= column < len(frame.table.columns):
        return state
    if frame.sort == column:
        return _sorted(state, column, not frame.descending)
    return _sorted(state, column, frame.table.columns[column].numeric)


def sort_next(state: HistoricalState) -> HistoricalState:
    """``s``: the next column, after the last one back to the order the server sent."""
    frame = state.frame
    if frame is None:
        return state
    following = 0 if frame.sort is None else frame.sort + 1
    if following >= len(frame.table.columns):
        return _sorted(state, None, False)
    return _sorted(state, following, frame.table.columns[following].numeric)


def sort_reverse(state: HistoricalState) -> HistoricalState:
    """``S``: the same column the other way round."""
    frame = state.frame
    if frame is None or frame.sort is None:
        return state
    return _sorted(state, frame.sort, not frame.descending)


def _sorted(state: HistoricalState, column: int | None, descending: bool) -> HistoricalState:
    frame = state.frame
    assert frame is not None
    rows = frame.table.rows
    under_cursor = rows[frame.cursor] if 0 <= frame.cursor < len(rows) else None
    changed = replace(frame, sort=column, descending=descending)
    cursor = next((index for index, row in enumerate(changed.table.rows) if row is under_cursor), 0)
    return replace(state, frames=state.frames[:-1] + (replace(changed, cursor=cursor),))


def sort_label(frame: Frame) -> str:
    if frame.sort is None:
        return "as sent"
    return f"{frame.table.columns[frame.sort].header} {'▼' if frame.descending else '▲'}"


# --- export --------------------------------------------------------------------------------


def exported(state: HistoricalState, rows: int, path: str) -> HistoricalState:
    return replace(state, note=Note(saved_text(state.frame, rows, path), OK))


def saved_text(frame: Frame | None, rows: int, path: str) -> str:
    """``Saved 42 rows (every field) to /path/file.csv`` (noting a partly read listing)."""
    text = f"Saved {rows:,} {'row' if rows == 1 else 'rows'} (every field) to {path}"
    if frame is not None and frame.more_to_read:
        text += " (the rows read so far; M reads the rest)"
    return text


def export_failed(state: HistoricalState, message: str) -> HistoricalState:
    return replace(state, note=Note(message, ERROR))


# --- what the lines say --------------------------------------------------------------------


def status(state: HistoricalState) -> Note:
    """The status line under the form: the fetch's progress, a note, or what is shown."""
    if state.note is not None and state.invalid is not None:
        return state.note  # the form is wrong: say so even while another fetch runs
    if state.fetch is not None:
        return Note(fetching_text(state.fetch), BUSY)
    if state.note is not None:
        return state.note
    frame = state.frame
    if frame is None:
        return Note(IDLE)
    warn = frame.problems or frame.stopped or frame.note or frame.query.notes
    return Note(frame_summary(frame), WARNING if warn else INFO)


def fetching_text(fetch: Fetch) -> str:
    """What the progress line says beside its bar.

    ``Fetching the ring-group summary… · Escape cancels`` until something arrives; for a
    listing then ``Calls of 1003 Ana Ruiz: page 3, 150 of 812 records · Escape cancels``
    (short enough for 80 columns beside the bar, which already says it is fetching).
    """
    what = _subject_label(fetch.query, fetch.subject)
    if fetch.progress is not None and fetch.query.kind.paged:
        return f"{what[0].upper()}{what[1:]}: {fetch.progress.describe()} · Escape cancels"
    return f"Fetching {'more' if fetch.purpose == MORE else 'the'} {what}… · Escape cancels"


def _subject_label(query: ReportQuery, subject: str) -> str:
    """``members of 7001 Sales``, ``calls of 1003 Ana Ruiz``, or the report (``call records``)."""
    if query.kind is RING_GROUP_MEMBERS:
        return f"members of {subject or query.ext}"
    if query.ext:
        return f"calls of {subject or query.ext}"
    return query.kind.label.lower()


def _plural(number: int, item: str) -> str:
    return f"{count(number)} {item if number == 1 else item + 's'}"


def frame_summary(frame: Frame) -> str:
    """``30 extensions · Enter: an extension's calls`` and the like."""
    rows = len(frame.records)
    ext = frame.extension_filter
    item = "call" if frame.kind is CALL_RECORDS else frame.kind.item
    if ext:
        what = f"{_plural(rows, item)} from or to {ext}"
    else:
        what = _plural(rows, item)
    parts = [what]
    if frame.note:
        parts.append(frame.note)
    if not frame.complete:
        read = f"{count(frame.read)} of {count(frame.total)}" if frame.total is not None else count(frame.read)
        parts.append(f"{read} records read")
        if frame.stopped:
            parts.append("reading broke off; fetch again to start over")
        elif len(frame.records) >= MAX_ROWS:
            parts.append(_too_many(frame))
        else:
            parts.append("m reads more, M the rest")
    if frame.problems or frame.skipped:
        unreadable = f"{frame.skipped} unreadable skipped" if frame.skipped else "some values unreadable"
        parts.append(f"{unreadable} ({frame.problems[0]})" if frame.problems else unreadable)
    parts.extend(frame.query.notes)
    if rows:
        if frame.kind is RING_GROUPS:
            parts.append("Enter: members")
        elif frame.kind in (EXTENSIONS, RING_GROUP_MEMBERS):
            parts.append("Enter: calls")
    return " · ".join(parts)


def _too_many(frame: Frame) -> str:
    return (
        f"the table holds at most {count(MAX_ROWS)} rows; for the whole listing use "
        f"`wallboard report {frame.kind.name} --format csv`"
    )


def empty_text(state: HistoricalState) -> str | None:
    """What the table area says instead of a table ("No calls in this range."), or None."""
    frame = state.frame
    if frame is None:
        return None if state.fetch is not None else IDLE_HINT
    if frame.records:
        return None
    ext = frame.extension_filter
    if ext and frame.more_to_read:
        read = f"{count(frame.read)} of {count(frame.total)}" if frame.total is not None else count(frame.read)
        return f"No calls from or to {ext} in the first {read} records of this range; m reads more."
    if ext:
        return f"No calls from or to {ext} in this range."
    return EMPTY


def range_text(query: ReportQuery) -> str:
    """``2025-11-22 00:00:00–23:59:59 Europe/London`` (both dates when they differ), PBXs if named."""
    if query.start.date() == query.end.date():
        span = f"{query.start_text}–{query.end:%H:%M:%S}"
    else:
        span = f"{query.start_text} – {query.end_text}"
    scope = "" if query.pbx == (ALL_PBXES,) else " · " + ", ".join(query.pbx)
    return f"{span} {query.zone}{scope}"


def path(state: HistoricalState) -> tuple[str, ...]:
    """The tables on the stack, for the line above the table: ``Ring-group summary``, ``7001 Sales: members``."""
    out = []
    for frame in state.frames:
        if not out:
            out.append(frame.kind.label if not frame.query.ext else f"{frame.kind.label}: {frame.query.ext}")
        elif frame.kind is RING_GROUP_MEMBERS:
            out.append(f"{frame.subject or frame.query.ext}: members")
        else:
            out.append(f"{frame.subject or frame.query.ext}: calls")
    return tuple(out)


def progress_fraction(fetch: Fetch | None) -> float | None:
    """How far the fetch is, 0 to 1, when the server said how many records there are."""
    if fetch is None or fetch.progress is None:
        return None
    return fetch.progress.fraction
