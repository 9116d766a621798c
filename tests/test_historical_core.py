"""The Historical tab's logic (wallboard.core.views.historical), directly: no Textual, no HTTP.

Records come from the seed examples (tests/fixtures) read by the real parser.
"""

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from tests.helpers.data import FIXTURES
from wallboard.core.views import historical as h
from wallboard.core.model.analytics import (
    CALL_RECORDS,
    COMPANY,
    EXTENSIONS,
    RING_GROUP_MEMBERS,
    RING_GROUPS,
    CallRecord,
    FetchProgress,
)
from wallboard.core.wire.analytics import parse_page, parse_summary
from wallboard.core.reports.query import make_query

NOW = datetime(2022, 2, 4, 15, 30, 0, tzinfo=timezone.utc)  # 10:30 in New York
ZONE = "America/New_York"


def seed(name, kind):
    return parse_summary((FIXTURES / f"seed_{name}.json").read_bytes(), kind).records


RING_GROUP_ROWS = seed("ring_group_summary", RING_GROUPS)
EXTENSION_ROWS = seed("extension_summary", EXTENSIONS)
COMPANY_ROWS = seed("company_summary", COMPANY)
CALL_PAGE = parse_page((FIXTURES / "call_records_page.json").read_bytes(), CALL_RECORDS)


def form(**changes):
    return replace(h.new_form(ZONE, ("allpbxes",), NOW), **changes)


def fetched(kind, records, **form_changes):
    """A state showing a summary report of ``kind`` with ``records``, as fetched from the form."""
    state = h.request_report(h.HistoricalState(form=form(kind=kind.name, **form_changes)), NOW)
    return h.summary_arrived(state, records)


def progress(pages, records, total=81, done=False):
    return FetchProgress(CALL_RECORDS.name, pages, records, total, done, 50)


def call(call_id, caller, callee, talk=1000):
    return CallRecord(call_id=call_id, caller=caller, callee=callee, talk_time=talk, direction="Incoming")


# --- the form ------------------------------------------------------------------------------


def test_new_form_shows_yesterday_in_the_zone():
    assert h.new_form(ZONE, ("acmecorp", "acmecorp2"), NOW) == h.Form(
        kind="company",
        range="yesterday",
        start="2022-02-03 00:00:00",
        end="2022-02-03 23:59:59",
        zone=ZONE,
        pbx="acmecorp,acmecorp2",
    )


def test_choosing_a_preset_shows_its_range():
    week = h.edit_form(form(range="last-7-days"), "range", NOW)
    assert (week.start, week.end) == ("2022-01-28 00:00:00", "2022-02-03 23:59:59")
    today = h.edit_form(form(range="today"), "range", NOW)
    assert (today.start, today.end) == ("2022-02-04 00:00:00", "2022-02-04 10:30:00")
    month = h.edit_form(form(range="this-month"), "range", NOW)
    assert (month.start, month.end) == ("2022-02-01 00:00:00", "2022-02-04 10:30:00")


def test_another_zone_moves_the_preset():
    tokyo = h.edit_form(form(zone="Asia/Tokyo", range="today"), "zone", NOW)
    assert (tokyo.start, tokyo.end) == ("2022-02-05 00:00:00", "2022-02-05 00:30:00")


def test_a_zone_being_typed_keeps_the_times():
    typing = h.edit_form(form(zone="Asia/Tok"), "zone", NOW)
    assert (typing.start, typing.end) == ("2022-02-03 00:00:00", "2022-02-03 23:59:59")


def test_typing_a_time_makes_the_range_custom():
    edited = h.edit_form(form(start="2022-02-01 08:00:00"), "start", NOW)
    assert edited.range == "custom" and edited.start == "2022-02-01 08:00:00"
    assert h.edit_form(form(kind="extensions"), "kind", NOW).range == "yesterday"


def test_a_preset_is_computed_when_the_fetch_is_asked_for():
    today = form(range="today", start="stale text", end="stale text")
    later = datetime(2022, 2, 4, 20, 0, 0, tzinfo=timezone.utc)
    query = h.form_query(today, later)
    assert (query.start_text, query.end_text) == ("2022-02-04 00:00:00", "2022-02-04 15:00:00")


def test_a_custom_range_is_read_from_the_fields():
    query = h.form_query(form(range="custom", start="2022-02-01 08:00:00", end="2022-02-01 18:00:00", pbx="acmecorp"), NOW)
    assert query.params() == {
        "pbxId": "acmecorp",
        "startTime": "2022-02-01 08:00:00",
        "endTime": "2022-02-01 18:00:00",
        "timeZone": ZONE,
    }


def test_from_and_to_may_be_dates_without_times():
    query = h.form_query(form(range="custom", start="2022-02-01", end="2022-02-02"), NOW)
    assert (query.start_text, query.end_text) == ("2022-02-01 00:00:00", "2022-02-02 23:59:59")
    same_day = h.form_query(form(range="custom", start="2022-02-03", end="2022-02-03"), NOW)
    assert (same_day.start_text, same_day.end_text) == ("2022-02-03 00:00:00", "2022-02-03 23:59:59")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            dict(range="custom", start="2022-02-02 10:00:00", end="2022-02-02 09:00:00"),
            "end",
            "To 2022-02-02 09:00:00 is not after From 2022-02-02 10:00:00: the end must come after the start",
        ),
        (
            dict(range="custom", start="2022-02-05 10:00:00", end="2022-02-05 11:00:00"),
            "start",
            "From 2022-02-05 10:00:00 is in the future (it is 2022-02-04 10:30:00 in America/New_York): there is no data yet",
        ),
        (
            dict(range="custom", start="yesterday", end="2022-02-05 11:00:00"),
            "start",
            "From: 'yesterday' is not a time in the form YYYY-MM-DD HH:MM:SS (or YYYY-MM-DD for the whole day), e.g. \"2025-11-20 08:30:00\"",
        ),
        (
            dict(zone="Mars/Olympus"),
            "zone",
            "Zone: 'Mars/Olympus' is not an IANA time zone (e.g. Europe/London, America/New_York)",
        ),
        (dict(pbx="a b"), "pbx", "PBX: 'a b' is not a PBX name"),
        (dict(pbx=" , "), "pbx", "PBX: name at least one PBX, or allpbxes"),
    ],
)
def test_form_errors_name_their_field(changes, field, message):
    state = h.request_report(h.HistoricalState(form=form(**changes)), NOW)
    assert state.fetch is None
    assert state.note == h.Note(message, h.ERROR)
    assert state.invalid == field
    assert h.status(state) == h.Note(message, h.ERROR)


def test_a_range_wholly_older_than_two_years_is_refused_before_asking():
    state = h.request_report(
        h.HistoricalState(form=form(range="custom", start="2019-01-01 00:00:00", end="2019-01-02 00:00:00")), NOW
    )
    assert state.invalid == "end"
    assert state.note.text.startswith("To 2019-01-02 00:00:00 is more than 2 years ago")


def test_a_start_older_than_two_years_is_moved_to_the_limit_and_the_status_says_so():
    """Issue 13 #10: as the service would answer, not refused."""
    state = h.request_report(
        h.HistoricalState(form=form(range="custom", start="2019-06-01 00:00:00", end="2021-01-02 00:00:00")), NOW
    )
    assert state.fetch is not None and state.invalid is None
    assert state.fetch.query.start_text == "2020-02-04 10:30:00"
    state = h.summary_arrived(state, COMPANY_ROWS)
    note = h.status(state)
    assert note.tone == h.WARNING
    assert "Work Analytics keeps only the last 2 years: the report starts at 2020-02-04 10:30:00, not 2019-06-01 00:00:00" in note.text


def test_editing_the_form_clears_a_complaint_about_it():
    state = h.request_report(h.HistoricalState(form=form(zone="Mars")), NOW)
    edited = h.with_form(state, form(zone="Europe/London"), "zone", NOW)
    assert edited.invalid is None and edited.note is None
    assert (edited.form.start, edited.form.end) == ("2022-02-03 00:00:00", "2022-02-03 23:59:59")


def test_only_fields_the_tab_set_itself_are_written_back_to_the_widgets():
    """Typed text is only echoed; a preset's From/To and Custom are the tab's own writes."""
    state = h.HistoricalState(form=form())
    typed = h.with_form(state, form(start="2022-02-01"), "start", NOW)
    assert typed.written == ("range",) and typed.form_writes == state.form_writes + 1
    more = h.with_form(typed, form(range="custom", start="2022-02-01 0"), "start", NOW)
    assert more.form_writes == typed.form_writes, "an echo of typing writes nothing"
    preset = h.with_form(more, form(range="today", start="2022-02-01 0"), "range", NOW)
    assert preset.written == ("start", "end") and preset.form_writes == more.form_writes + 1
    zone = h.with_form(preset, replace(preset.form, zone="Asia/Tok"), "zone", NOW)
    assert zone.form_writes == preset.form_writes, "a zone being typed is never written back"


# --- fetching a summary --------------------------------------------------------------------


def test_fetch_from_the_form_then_the_rows_arrive():
    state = h.request_report(h.HistoricalState(form=form(kind="ring-groups")), NOW)
    assert state.fetch == h.Fetch(h.REPORT, h.form_query(form(kind="ring-groups"), NOW), serial=1)
    assert h.status(state) == h.Note("Fetching the ring-group summary… · Escape cancels", h.BUSY)
    assert h.escape_action(state) == "cancel"
    state = h.summary_arrived(state, RING_GROUP_ROWS)
    assert state.fetch is None
    assert [row.cells[:2] for row in state.frame.table.rows] == [("100027", "Marketing"), ("100055", "Sales")]
    assert state.frame.table.totals.cells[0:5] == ("Total", "", "", "", "13"), "members overlap: not summed"
    assert h.status(state) == h.Note("2 ring groups · Enter: members")
    assert h.path(state) == ("Ring-group summary",)
    assert h.escape_action(state) == "none"


def test_a_new_report_replaces_the_tables_only_when_it_arrives():
    state = fetched(RING_GROUPS, RING_GROUP_ROWS)
    state = h.request_open(state, 0)
    state = h.summary_arrived(state, ())
    assert len(state.frames) == 2
    state = h.request_report(replace(state, form=form(kind="company")), NOW)
    assert len(state.frames) == 2, "still showing the old tables while fetching"
    cancelled = h.fetch_cancelled(state)
    assert len(cancelled.frames) == 2 and cancelled.note == h.Note("Cancelled: the company summary was not fetched.", h.WARNING)
    arrived = h.summary_arrived(state, COMPANY_ROWS)
    assert [frame.kind for frame in arrived.frames] == [COMPANY]


def test_empty_results_say_so():
    state = fetched(EXTENSIONS, ())
    assert h.empty_text(state) == "No calls in this range."
    assert h.status(state) == h.Note("0 extensions")
    assert h.empty_text(h.HistoricalState(form=form())) == h.IDLE_HINT


def test_problems_reading_records_are_noted():
    state = fetched(EXTENSIONS, EXTENSION_ROWS)
    state = replace(state, frames=(state.frame.with_records((), ("extension #3 is not a record; skipped",), 1),))
    assert h.status(state) == h.Note(
        "2 extensions · 1 unreadable skipped (extension #3 is not a record; skipped) · Enter: calls", h.WARNING
    )


def test_a_failed_fetch_is_one_error_line_and_the_tables_stay():
    state = fetched(RING_GROUPS, RING_GROUP_ROWS)
    state = h.request_report(replace(state, form=form(kind="company")), NOW)
    failed = h.fetch_failed(state, "Work Analytics refused the API key, user name or password (HTTP 401)")
    assert failed.fetch is None and failed.frame.kind is RING_GROUPS
    assert h.status(failed) == h.Note("Work Analytics refused the API key, user name or password (HTTP 401)", h.ERROR)


def test_sign_in_cancelled():
    state = h.sign_in_cancelled(h.request_report(h.HistoricalState(form=form()), NOW))
    assert state.fetch is None and state.frames == ()
    assert h.status(state) == h.Note(h.SIGN_IN_CANCELLED, h.WARNING)


# --- drill-downs ---------------------------------------------------------------------------


def test_a_ring_group_opens_its_members_and_escape_walks_back():
    state = fetched(RING_GROUPS, RING_GROUP_ROWS)
    state = h.moved(state, 1)
    state = h.request_open(state, 1)
    fetch = state.fetch
    assert (fetch.purpose, fetch.query.kind, fetch.query.ext, fetch.query.pbx) == (h.DRILL, RING_GROUP_MEMBERS, "100055", ("acmecorp2",))
    assert fetch.subject == "100055 Sales"
    assert h.status(state).text == "Fetching the members of 100055 Sales… · Escape cancels"
    state = h.summary_arrived(state, ())
    assert len(state.frames) == 2
    assert h.path(state) == ("Ring-group summary", "100055 Sales: members")
    assert h.range_text(state.frame.query) == "2022-02-03 00:00:00–23:59:59 America/New_York · acmecorp2"
    assert h.escape_action(state) == "back"
    back = h.back(state)
    assert back.frames == state.frames[:1] and back.frame.cursor == 1
    assert h.back(back) == back, "the first table stays"


def test_cancelling_a_drill_down_before_it_arrives_stays_on_the_table():
    state = h.request_open(fetched(RING_GROUPS, RING_GROUP_ROWS), 0)
    cancelled = h.fetch_cancelled(state)
    assert len(cancelled.frames) == 1
    assert cancelled.note == h.Note("Cancelled: the members of 100027 Marketing were not fetched.", h.WARNING)


def test_an_extension_opens_its_calls_for_the_same_range():
    state = fetched(EXTENSIONS, EXTENSION_ROWS, range="custom", start="2022-02-03 08:00:00", end="2022-02-03 18:00:00")
    state = h.request_open(state, 0)
    query = state.fetch.query
    assert (query.kind, query.ext, query.start_text, query.end_text) == (CALL_RECORDS, "8885", "2022-02-03 08:00:00", "2022-02-03 18:00:00")
    assert state.fetch.subject == "8885 Alice Smith"


def test_rows_without_a_drill_down_say_what_enter_does():
    state = fetched(COMPANY, COMPANY_ROWS)
    opened = h.request_open(state, 0)
    assert opened.fetch is None and opened.note == h.Note(h.NOTHING_TO_OPEN)
    assert h.request_open(state, 2) == state, "the totals row opens nothing"


def test_enter_opens_the_row_under_the_cursor_in_the_sorted_order():
    state = fetched(RING_GROUPS, RING_GROUP_ROWS)
    state = h.sort_by(state, 4)  # Calls, biggest first: Sales (12) before Marketing (1)
    assert h.request_open(state, 0).fetch.query.ext == "100055"


# --- paged call records --------------------------------------------------------------------


def calls_state(ext="120088"):
    query = make_query("call-records", "2022-02-03 00:00:00", "2022-02-03 23:59:59", ZONE, NOW, ext=ext)
    return h.HistoricalState(form=form(), fetch=h.Fetch(h.DRILL, query, 1, f"{ext} Jane Li"), serials=1)


def test_pages_of_call_records_fill_a_table_filtered_to_the_extension():
    state = calls_state()
    assert h.wants_page(state)
    state = h.page_arrived(state, CALL_PAGE.records, (), 0, progress(1, 2))
    assert [record.call_id for record in state.frame.records] == ["1635571048351"], "only calls from or to 120088"
    assert state.fetch.pages == 1 and not state.frame.complete
    assert h.status(state).text == "Calls of 120088 Jane Li: page 1, 2 of 81 records · Escape cancels"
    assert h.progress_fraction(state.fetch) == pytest.approx(2 / 81)
    assert h.wants_page(state)
    state = h.page_arrived(state, (), (), 0, progress(2, 2, total=None, done=True))
    assert state.frame.complete and not h.wants_page(state)
    state = h.fetch_finished(state)
    assert h.status(state) == h.Note("1 call from or to 120088")
    assert h.path(state) == ("Call records: 120088",)


def test_a_batch_stops_at_enough_rows_or_pages_and_more_is_read_on_demand(monkeypatch):
    monkeypatch.setattr(h, "BATCH_ROWS", 3)
    monkeypatch.setattr(h, "BATCH_PAGES", 4)
    query = make_query("call-records", "2022-02-03 00:00:00", "2022-02-03 23:59:59", ZONE, NOW)
    state = h.request_report(h.HistoricalState(form=form(kind="call-records")), NOW)
    assert state.fetch.query == query and state.fetch.target == 3
    state = h.page_arrived(state, [call("a", "1", "2"), call("b", "1", "2")], (), 0, progress(1, 2, total=10))
    assert h.wants_page(state)
    state = h.page_arrived(state, [call("c", "1", "2")], (), 0, progress(2, 3, total=10))
    assert not h.wants_page(state), "three rows: enough for now"
    state = h.fetch_finished(state)
    assert h.status(state).text == "3 calls · 3 of 10 records read · m reads more, M the rest"
    assert state.frame.table.totals.cells[0] == "So far"
    assert h.near_end(state, 0), "three rows: every row is near the end"
    more = h.request_more(state)
    assert (more.fetch.purpose, more.fetch.serial, more.fetch.target) == (h.MORE, state.frame.serial, 6)
    assert h.status(more).text == "Fetching more call records… · Escape cancels"
    for page in range(3, 7):
        assert h.wants_page(more)
        more = h.page_arrived(more, [], (), 0, progress(page, 3, total=10))
    assert not h.wants_page(more), "at most BATCH_PAGES pages for one batch"
    everything = h.request_more(h.fetch_finished(more), everything=True)
    for page in range(7, 12):
        assert h.wants_page(everything)
        everything = h.page_arrived(everything, [call(str(page), "1", "2")], (), 0, progress(page, 8, total=10))
    everything = h.page_arrived(everything, [], (), 0, progress(12, 8, total=10, done=True))
    assert not h.wants_page(everything)
    final = h.fetch_finished(everything)
    assert final.frame.complete and len(final.frame.records) == 8
    assert final.frame.table.totals.cells[0] == "Total"
    assert h.request_more(final) == final


def test_reading_everything_redraws_the_table_every_few_pages():
    frame = h.Frame(make_query("call-records", "2022-02-03 00:00:00", "2022-02-03 23:59:59", ZONE, NOW), serial=1, complete=False)
    state = h.HistoricalState(frames=(frame,), serials=1)
    batch = h.request_more(state)
    assert h.table_due(batch), "a batch of rows is drawn page by page"
    everything = h.request_more(state, everything=True)
    due = []
    for number in range(1, 2 * h.TABLE_PAGES + 1):
        everything = h.page_arrived(everything, [call(str(number), "1001", "1002")], (), 0, progress(number, number, 100))
        due.append(h.table_due(everything))
    assert due.count(True) == 2 and due[h.TABLE_PAGES - 1] and due[-1]
    assert h.table_due(h.fetch_finished(everything)) and h.table_due(h.fetch_cancelled(everything))


def test_cancelling_more_keeps_the_rows_and_more_resumes():
    state = h.page_arrived(calls_state(ext=""), CALL_PAGE.records, (), 0, progress(1, 2))
    state = h.request_more(h.fetch_finished(state))
    cancelled = h.fetch_cancelled(state)
    assert len(cancelled.frame.records) == 2
    assert cancelled.note == h.Note("Cancelled: 2 rows shown; m reads more.", h.WARNING)
    assert h.request_more(cancelled).fetch.purpose == h.MORE


def test_an_error_while_reading_more_stops_the_listing():
    state = h.page_arrived(calls_state(ext=""), CALL_PAGE.records, (), 0, progress(1, 2))
    state = h.request_more(h.fetch_finished(state))
    failed = h.fetch_failed(state, "the server is busy (HTTP 503); gave up after 3 attempts")
    assert failed.frame.stopped and not failed.frame.more_to_read
    assert h.status(failed) == h.Note("the server is busy (HTTP 503); gave up after 3 attempts", h.ERROR)
    again = h.request_more(failed)
    assert again.fetch is None and again.note.text == "Reading this listing broke off; fetch it again to start over."
    assert h.status(replace(failed, note=None)).text == "2 calls · 2 of 81 records read · reading broke off; fetch again to start over"


def test_the_table_on_screen_holds_at_most_max_rows(monkeypatch):
    monkeypatch.setattr(h, "MAX_ROWS", 2)
    state = h.fetch_finished(h.page_arrived(calls_state(ext=""), CALL_PAGE.records, (), 0, progress(1, 2)))
    assert not h.near_end(state, 1)
    refused = h.request_more(state, everything=True)
    assert refused.fetch is None
    assert refused.note.text == (
        "the table holds at most 2 rows; for the whole listing use `wallboard report call-records --format csv`"
    )


def test_an_extension_with_no_calls_in_what_was_read():
    state = h.fetch_finished(h.page_arrived(calls_state(ext="999"), CALL_PAGE.records, (), 0, progress(1, 2)))
    assert h.empty_text(state) == "No calls from or to 999 in the first 2 of 81 records of this range; m reads more."
    done = h.fetch_finished(h.page_arrived(calls_state(ext="999"), CALL_PAGE.records, (), 0, progress(1, 2, done=True)))
    assert h.empty_text(done) == "No calls from or to 999 in this range."


def test_escape_cancels_before_it_walks_back():
    state = h.request_open(fetched(RING_GROUPS, RING_GROUP_ROWS), 0)
    state = h.summary_arrived(state, ())
    state = h.request_more(state)  # members are complete: nothing to read
    assert state.fetch is None
    running = h.request_open(replace(state, frames=state.frames[:1]), 1)
    assert h.escape_action(running) == "cancel"
    assert h.escape_action(state) == "back"


# --- sorting -------------------------------------------------------------------------------


def test_s_cycles_columns_numbers_first_biggest_and_back_to_as_sent():
    state = fetched(RING_GROUPS, RING_GROUP_ROWS)
    columns = len(state.frame.table.columns)
    seen = []
    for _ in range(columns + 1):
        state = h.sort_next(state)
        seen.append((state.frame.sort, state.frame.descending))
    assert seen[0] == (0, False) and seen[1] == (1, False)
    assert seen[4] == (4, True), "Calls: a number, biggest first"
    assert seen[-1] == (None, False)
    assert [row.cells[0] for row in state.frame.table.rows] == ["100027", "100055"]


def test_sorting_keeps_totals_last_and_the_cursor_on_its_row():
    state = fetched(RING_GROUPS, RING_GROUP_ROWS)
    state = h.moved(state, 0)  # Marketing
    state = h.sort_by(state, 4)
    table = state.frame.table
    assert [row.cells[1] for row in table.rows] == ["Sales", "Marketing"]
    assert table.totals.cells[0] == "Total"
    assert state.frame.cursor == 1, "the cursor follows Marketing"
    assert h.headers(state.frame)[4] == "Calls ▼"
    reversed_ = h.sort_reverse(state)
    assert [row.cells[1] for row in reversed_.frame.table.rows] == ["Marketing", "Sales"]
    assert h.headers(reversed_.frame)[4] == "Calls ▲"
    assert h.sort_by(reversed_, 4).frame.descending is True, "the same column again flips"


def test_new_rows_keep_the_chosen_sort():
    state = h.page_arrived(calls_state(ext=""), [call("a", "1", "2", talk=5)], (), 0, progress(1, 1))
    state = h.sort_by(state, 7)  # Talk, biggest first
    state = h.page_arrived(state, [call("b", "1", "2", talk=9)], (), 0, progress(2, 2))
    assert [row.record.call_id for row in state.frame.table.rows] == ["b", "a"]


# --- export and lines ----------------------------------------------------------------------


def test_saved_text():
    state = fetched(EXTENSIONS, EXTENSION_ROWS)
    saved = h.exported(state, 2, "/home/boss/exports/extensions.csv")
    assert h.status(saved) == h.Note("Saved 2 rows (every field) to /home/boss/exports/extensions.csv", h.OK)
    partial = h.fetch_finished(h.page_arrived(calls_state(ext=""), CALL_PAGE.records, (), 0, progress(1, 2)))
    assert h.saved_text(partial.frame, 1, "/x.csv") == "Saved 1 row (every field) to /x.csv (the rows read so far; M reads the rest)"


def test_range_text_across_days():
    query = make_query("company", "2022-01-28 00:00:00", "2022-02-03 23:59:59", ZONE, NOW, pbx="a,b")
    assert h.range_text(query) == "2022-01-28 00:00:00 – 2022-02-03 23:59:59 America/New_York · a, b"


def test_form_kinds_leave_members_to_the_drill_down():
    assert [kind.name for kind in h.FORM_KINDS] == ["company", "extensions", "ring-groups", "call-records", "call-legs"]


# --- an extension's calls over the summary's PBXs (issue 12 #8) -------------------------------


def test_an_extensions_calls_cover_the_same_pbxs_as_its_row():
    state = fetched(EXTENSIONS, EXTENSION_ROWS, pbx="acmecorp,acmecorp2")
    opened = h.request_open(state, 0)  # 8885 on acmecorp
    assert opened.fetch.query.pbx == ("acmecorp", "acmecorp2"), "the summary counted its calls on both"
    assert opened.fetch.query.params()["callerOrCallee"] == "8885", "the service filters them"


def test_an_extension_number_on_two_pbxs_opens_the_calls_of_its_own_row():
    twins = (EXTENSION_ROWS[0], replace(EXTENSION_ROWS[0], pbx_id="acmecorp2", first_name="Other"))
    state = fetched(EXTENSIONS, twins)
    assert h.request_open(state, 1).fetch.query.pbx == ("acmecorp2",)


def test_a_ring_group_opens_the_members_of_its_own_pbx():
    state = fetched(RING_GROUPS, RING_GROUP_ROWS)
    assert h.request_open(state, 1).fetch.query.pbx == ("acmecorp2",)


# --- the PBX list (issue 13 #12) ----------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, completed",
    [
        ("ac", "acmecorp"), ("acmecorp,acmecorp2", None), ("acmecorp2,acme", "acmecorp2,acmecorp"), ("acmecorp, a", "acmecorp, acmecorp"),
        ("allp", "allpbxes"), ("acmecorp", None), ("x", None), ("", None), ("acmecorp,", None),
    ],
)
def test_the_pbx_field_completes_the_name_being_typed(typed, completed):
    assert h.complete_pbx(typed, ("acmecorp", "acmecorp2")) == completed


def test_a_pbx_not_in_the_list_is_refused_on_its_field_naming_those_that_exist():
    state = h.with_pbxes(h.HistoricalState(form=form(pbx="acmecorp,nosuch")), ["acmecorp", "acmecorp2"])
    refused = h.request_report(state, NOW)
    assert refused.fetch is None and refused.invalid == "pbx"
    assert refused.note == h.Note("PBX: no PBX named 'nosuch'; the PBXs this user can see: acmecorp, acmecorp2", h.ERROR)
    assert h.request_report(h.HistoricalState(form=form(pbx="acmecorp,nosuch")), NOW).fetch is not None, "not known: the service decides"


# --- a listing that ends short (issue 13 #11) -----------------------------------------------------


def test_a_listing_that_stopped_early_says_so_in_the_status():
    state = calls_state()
    state = h.page_arrived(state, CALL_PAGE.records, (), 0, progress(1, 2))
    note = "2 of 81 records: the service stopped early"
    state = h.fetch_finished(h.page_arrived(state, (), (), 0, replace(progress(2, 2, done=True), note=note)))
    assert h.status(state) == h.Note(f"1 call from or to 120088 · {note}", h.WARNING)
