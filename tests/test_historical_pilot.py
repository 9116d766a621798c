"""The Historical tab driven by keyboard (Pilot) against the simulator over real loopback HTTP.

What is on screen is compared with what the Work Analytics client itself fetches for the
same query, so the tab neither drops, duplicates nor reorders rows.
"""

from __future__ import annotations

import csv
import io

import pytest
from textual.widgets import Input, ProgressBar, Select, TabbedContent

from tests.helpers.live import virtual_simulator
from tests.helpers.board import board_ready
from tests.helpers.clocks import EPOCH, FakeClock
from tests.helpers.history import (
    BAD_PASSWORD,
    PATIENT,
    choose_kind,
    enter_fetches_the_company_summary,
    fetch_report,
    fetched,
    grid,
    grid_rows,
    history_app,
    open_tab,
    pane,
    reference,
    reference_report,
    screen_cells,
    state,
    status_text,
)
from tests.helpers.sim_transport import SimTransport
from tests.helpers.waiting import until
from wallboard.clients.rtstats import RealtimeClient
from wallboard.core.views import historical as core
from wallboard.cli.report import render
from wallboard.core.model.analytics import CALL_RECORDS, EXTENSIONS, RING_GROUP_MEMBERS, RING_GROUPS
from wallboard.core.reports.table import full_columns
from wallboard.credentials.secret import Secret
from wallboard.credentials.store import ANALYTICS_API_KEY, ANALYTICS_PASSWORD, SERVICE
from wallboard.sim.simulator import Simulator
from wallboard.ui.screens.help import HelpScreen
from wallboard.ui.screens.setup import SetupScreen
from wallboard.ui.historical.report_grid import ReportGrid

pytestmark = pytest.mark.virtual_time

# --- fetching ------------------------------------------------------------------------------


async def test_nothing_is_fetched_until_asked(simulator):
    app = history_app(simulator)
    async with app.run_test(size=(100, 30)) as pilot:
        await board_ready(app, pilot)
        assert app.board.history_pane is None, "the tab is made when it is first shown, not at start-up"
        await pilot.press("3")
        await pilot.pause()
        assert app.board.query_one(TabbedContent).active == "historical"
        assert app.focused.id == "hist-fetch", "Enter fetches straight away"
        assert str(pane(app).query_one("#hist-empty").render()) == core.IDLE_HINT
        assert pane(app).query_one("#hist-start", Input).value == "2025-11-22 00:00:00"
        assert pane(app).query_one("#hist-zone", Input).value == "Europe/London"
        await pilot.pause(0.3)
    assert simulator.requests["analytics"] == simulator.requests["token"] == 0


async def test_the_board_can_open_on_the_historical_tab(simulator):
    app = history_app(simulator, start_tab="historical")
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        assert app.board.query_one(TabbedContent).active == "historical"
        assert app.focused.id == "hist-fetch"
        await enter_fetches_the_company_summary(app, pilot)


async def test_a_click_on_the_tab_opens_it_ready_for_enter(simulator):
    app = history_app(simulator)
    async with app.run_test(size=(100, 30)) as pilot:
        await board_ready(app, pilot)
        await pilot.click("#--content-tab-historical")
        await until(pilot, lambda: app.focused is not None and app.focused.id == "hist-fetch")
        assert app.board.active_tab == "historical"
        await enter_fetches_the_company_summary(app, pilot)


async def test_the_command_palette_opens_the_tab_with_its_form(simulator):
    app = history_app(simulator)
    async with app.run_test(size=(100, 30)) as pilot:
        await board_ready(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Show Historical")

        def best_match() -> str:
            from textual.command import CommandList

            found = app.screen.query(CommandList)
            if not found or found.first().highlighted is None:
                return ""
            return str(found.first().get_option_at_index(found.first().highlighted).prompt)

        await until(pilot, lambda: "Show Historical" in best_match(), what="Show Historical as the best match")  # what Enter will run
        await pilot.press("enter")
        await until(pilot, lambda: app.focused is not None and app.focused.id == "hist-fetch")
        assert app.board.query_one(TabbedContent).active == "historical"
        assert str(pane(app).query_one("#hist-empty").render()) == core.IDLE_HINT


@pytest.mark.parametrize("kind", [kind.name for kind in core.FORM_KINDS])
async def test_each_report_shows_progress_then_the_rows_the_service_sent(simulator, kind):
    app = history_app(simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_tab(app, pilot)
        seen: list[core.Note] = []
        show = pane(app).show
        pane(app).show = lambda s: (seen.append(core.status(s)), show(s))[1]
        await fetch_report(app, pilot, kind)
        frame = state(app).frame
        expected = await reference(simulator, frame.query)
        busy = [note.text for note in seen if note.tone == core.BUSY]
        busy = [text for index, text in enumerate(busy) if index == 0 or busy[index - 1] != text]  # the PBX list may arrive between
        assert busy, "a progress line was shown before the results"
        assert busy[-1].endswith("· Escape cancels")
        label = frame.kind.label.lower()
        if frame.kind.paged:
            assert busy == [
                f"Fetching the {label}… · Escape cancels",
                f"{frame.kind.label}: page 1, 50 of {len(expected)} records · Escape cancels",
                f"{frame.kind.label}: page 2, 100 of {len(expected)} records · Escape cancels",
            ]
            assert len(frame.records) == core.BATCH_ROWS < len(expected)
            expected = expected[: core.BATCH_ROWS]
            assert "m reads more, M the rest" in status_text(app)
        else:
            assert busy == [f"Fetching the {label}… · Escape cancels"]
            assert frame.complete
        assert frame.records == expected
        assert grid_rows(app) == screen_cells(expected, frame.query)
        assert app.focused is grid(app), "the rows take the focus once they arrive"
        assert not pane(app).query_one(ProgressBar).has_class("-shown")


async def test_escape_cancels_a_held_fetch_while_the_board_keeps_polling():
    sim = virtual_simulator(seed=7, agents=12, queues=3)
    source = RealtimeClient(sim.realtime_url, "demo", Secret("demo"), transport=SimTransport(sim.server))
    # the held answer (30 s) outlasts two board refreshes (1 s each)
    app = history_app(sim, source=source, snapshot=False, interval=1.0, timeouts=PATIENT)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(app, pilot)
        sim.faults = "slow=1@analytics,slow-seconds=30"
        await pilot.press("enter")
        await until(pilot, lambda: sim.requests["analytics"] == 1)
        assert pane(app).query_one(ProgressBar).has_class("-shown")
        assert animating(app), "a fetch of unknown length in plain view: the bar moves"
        assert status_text(app) == "Fetching the company summary… · Escape cancels"
        polled = sim.requests["agents"]
        await until(pilot, lambda: sim.requests["agents"] > polled + 1, timeout=2.0, what="the board refreshing every second")
        await pilot.press("escape")
        await pilot.pause()
        assert state(app).fetch is None and state(app).frames == ()
        assert status_text(app) == "Cancelled: the company summary was not fetched."
        assert not pane(app).query_one(ProgressBar).has_class("-shown")
        assert app.board.query_one(TabbedContent).active == "historical"
        sim.faults = None
        await pilot.press("enter")
        await fetched(pilot, app)
        assert [row[0] for row in grid_rows(app)] == ["demo-pbx", "demo-pbx2"]
    await source.aclose()


async def test_a_ring_group_opens_its_members_and_escape_walks_back(simulator):
    app = history_app(simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_tab(app, pilot)
        await fetch_report(app, pilot, "ring-groups")
        groups = state(app).frame
        await pilot.press("down", "enter")
        await fetched(pilot, app)
        members = state(app).frame
        assert (members.kind, members.query.ext) == (RING_GROUP_MEMBERS, "7002")
        expected = await reference(simulator, members.query)
        assert expected and members.records == expected
        assert grid_rows(app) == screen_cells(expected, members.query)
        assert str(pane(app).query_one("#hist-path").render()).startswith(
            f"Ring-group summary › 7002 {groups.records[1].name}: members · 2025-11-22 00:00:00–23:59:59 Europe/London"
        )
        assert status_text(app) == f"{len(expected)} members · Enter: calls"
        await pilot.press("escape")
        await pilot.pause()
        assert state(app).frame.kind is RING_GROUPS and len(state(app).frames) == 1
        assert grid(app).cursor_row == 1, "back on the ring group it came from"
        await pilot.press("escape")
        await pilot.pause()
        assert len(state(app).frames) == 1 and app.focused is grid(app), "nothing to walk back: nothing happens"


async def test_an_extensions_calls_are_read_on_demand(simulator, monkeypatch):
    monkeypatch.setattr(core, "BATCH_ROWS", 4)
    monkeypatch.setattr(core, "BATCH_PAGES", 3)
    app = history_app(simulator, page_size=3)  # the service sends 1001's calls only: a few pages of three
    async with app.run_test(size=(120, 40)) as pilot:
        await open_tab(app, pilot)
        await fetch_report(app, pilot, "extensions")
        await pilot.press("enter")  # 1001
        await fetched(pilot, app)
        frame = state(app).frame
        assert (frame.kind, frame.query.ext) == (CALL_RECORDS, "1001")
        asked = simulator.analytics.reports["call-records"]
        expected = await reference(simulator, frame.query)
        by_reference = simulator.analytics.reports["call-records"] - asked

        def shown_prefix() -> int:
            records = state(app).frame.records
            assert records == expected[: len(records)], "rows in the order sent, none twice"
            assert grid_rows(app) == screen_cells(records, frame.query)
            return len(records)

        first = shown_prefix()
        assert frame.pages == 3 or first >= 4
        assert 0 < first < len(expected) and not frame.complete
        assert status_text(app) == (  # the service filters: it announces 1001's calls only
            f"{first} calls from or to 1001 · {frame.read} of {len(expected)} records read · m reads more, M the rest"
        )
        await pilot.press("m")
        await fetched(pilot, app)
        second = shown_prefix()
        assert second > first
        await pilot.press("ctrl+end")  # the cursor at the end reads more by itself
        await fetched(pilot, app)
        third = shown_prefix()
        assert third > second
        await pilot.press("M")
        await fetched(pilot, app)
        assert shown_prefix() == len(expected) and state(app).frame.complete
        assert status_text(app) == f"{len(expected)} calls from or to 1001"
        pages = state(app).frame.pages
        assert pages == -(-len(expected) // 3) + 1  # every page of three once, and the final "No Data"
        assert simulator.analytics.reports["call-records"] - by_reference == pages, "no page was asked for twice"
        assert grid(app).get_row_at(grid(app).data_rows)[0].plain == "Total"


async def test_reading_everything_redraws_the_table_every_few_pages_not_every_page(simulator):
    """``M`` drew every page into the table and re-laid the tab for every progress line:
    23 s for 3,603 call records against 8 s for `wallboard report` (issue 12 item 10)."""
    app = history_app(simulator, page_size=5)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_tab(app, pilot)
        await fetch_report(app, pilot, "call-records")
        before = state(app).frame.pages
        table, tab = grid(app), pane(app)
        status = tab.query_one("#hist-status")
        appended, footers, layouts = [], [], []
        append, refresh_bindings, update = table._append, tab.refresh_bindings, status.update
        table._append = lambda rows, *rest: (appended.append(len(rows)), append(rows, *rest))[1]
        tab.refresh_bindings = lambda: (footers.append(1), refresh_bindings())[1]
        status.update = lambda content="", *, layout=True: (layouts.append(layout), update(content, layout=layout))[1]
        table.focus()
        await pilot.press("M")
        await fetched(pilot, app)
        frame = state(app).frame
        pages = frame.pages - before
        assert frame.complete and pages > 3 * core.TABLE_PAGES
        assert len(layouts) >= pages, "the progress line still moves with every page"
        assert layouts.count(True) <= 2, "a one-line progress line does not re-lay the tab"
        assert len(appended) <= pages // core.TABLE_PAGES + 2
        assert len(footers) <= 2, "the footer is rebuilt when its keys change, not per page"
        assert grid_rows(app) == screen_cells(frame.records, frame.query)
        assert table.get_row_at(table.data_rows)[0].plain == "Total"


async def test_escape_while_reading_more_keeps_the_rows_and_m_resumes(simulator, monkeypatch):
    monkeypatch.setattr(core, "BATCH_ROWS", 20)
    app = history_app(simulator, page_size=20, timeouts=PATIENT)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_tab(app, pilot)
        await fetch_report(app, pilot, "call-records")
        expected = await reference(simulator, state(app).frame.query)
        assert len(state(app).frame.records) == 20
        simulator.faults = "slow=1@analytics,slow-seconds=2"  # long enough for Escape to come first
        requests = simulator.requests["analytics"]
        await pilot.press("m")
        await until(pilot, lambda: simulator.requests["analytics"] == requests + 1)
        await pilot.press("escape")
        await pilot.pause()
        assert status_text(app) == "Cancelled: 20 rows shown; m reads more."
        assert len(state(app).frames) == 1, "Escape cancelled; it did not walk back"
        simulator.faults = None
        await pilot.pause(2.1)  # the page that was on its way has arrived meanwhile
        await pilot.press("m")
        await fetched(pilot, app)
        assert state(app).frame.records == expected[:40]
        assert simulator.requests["analytics"] == requests + 1, "the page in flight was kept, not asked again"


# --- export --------------------------------------------------------------------------------


async def test_e_exports_every_field_in_the_order_on_screen(simulator, tmp_path):
    """The same columns as `wallboard report --format csv`, not only those on screen."""
    app = history_app(simulator, export_dir=str(tmp_path / "exports"))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_tab(app, pilot)
        await fetch_report(app, pilot, "extensions")
        await pilot.press(*"sssss")  # Inbound, most first
        assert grid(app).columns[list(grid(app).columns)[4]].label.plain == "Inbound ▼"
        on_screen = grid_rows(app)
        query = state(app).frame.query
        await pilot.press("e")
        await until(pilot, lambda: state(app).note is not None)
        path = tmp_path / "exports" / "extensions-20251122-000000-to-20251122-235959.csv"
        assert status_text(app) == f"Saved 30 rows (every field) to {path}"
        assert [notification.message for notification in app._notifications] == [f"Saved 30 rows (every field) to {path}"]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    by_cli = list(csv.reader(io.StringIO(render(await reference_report(simulator, query), query, "csv"))))
    assert rows[0] == by_cli[0] == [column.header for column in full_columns(EXTENSIONS)]
    assert len(rows[0]) > len(on_screen[0])
    assert sorted(rows[1:]) == sorted(by_cli[1:]), "the same cells as the CLI writes"
    extension = rows[0].index("Extension")
    assert [row[extension] for row in rows[1:]] == [row[0] for row in on_screen], "in the order on screen"


async def test_an_export_that_cannot_be_written_says_why_in_one_line(simulator, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    app = history_app(simulator, export_dir=str(blocker))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_tab(app, pilot)
        await fetch_report(app, pilot, "company")
        await pilot.press("e")
        await until(pilot, lambda: state(app).note is not None)
        assert state(app).note == core.Note(
            f"cannot write the export to {blocker} (File exists): set export_dir in the config to a directory you can write",
            core.ERROR,
        )


# --- signing in ----------------------------------------------------------------------------


async def test_first_use_asks_for_the_analytics_credentials_then_fetches(simulator, memory_keyring):
    app = history_app(simulator, secrets=None, username="")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(app, pilot)
        assert not isinstance(app.screen, SetupScreen), "nothing is asked before analytics is used"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SetupScreen) and app.focused is not None)
        assert [field.id for field in app.screen.query(Input)] == [
            "field-username",
            "field-analytics-api-key",
            "field-analytics-password",
        ]
        assert simulator.requests["token"] == 0
        await pilot.press(*"demo", "tab", *"demo", "tab", *"demo", "enter")
        await fetched(pilot, app)
        assert app.screen is app.board
        assert [row[0] for row in grid_rows(app)] == ["demo-pbx", "demo-pbx2"]
        await pilot.press("enter")  # a PBX row: nothing to open, nothing asked
        await choose_kind(app, pilot, "ring-groups")
        await pilot.press("enter")
        await fetched(pilot, app)
        assert not isinstance(app.screen, SetupScreen) and state(app).frame.kind is RING_GROUPS
        assert simulator.analytics.logins == 1
    assert memory_keyring.items == {(SERVICE, ANALYTICS_API_KEY): "demo", (SERVICE, ANALYTICS_PASSWORD): "demo"}


async def test_cancelling_the_sign_in_returns_to_the_form(simulator, memory_keyring):
    app = history_app(simulator, secrets=None, username="")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(app, pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SetupScreen) and app.focused is not None)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.board
        assert status_text(app) == core.SIGN_IN_CANCELLED
        assert app.board.query_one(TabbedContent).active == "historical"
    assert simulator.requests["token"] == simulator.requests["analytics"] == 0
    assert memory_keyring.items == {}


async def test_credentials_in_the_environment_are_used_without_asking(simulator, monkeypatch):
    monkeypatch.setenv("WALLBOARD_ANALYTICS_API_KEY", "demo")
    monkeypatch.setenv("WALLBOARD_ANALYTICS_PASSWORD", "demo")
    app = history_app(simulator, secrets=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(app, pilot)
        await pilot.press("enter")
        await fetched(pilot, app)
        assert not isinstance(app.screen, SetupScreen)
        assert len(grid_rows(app)) == 2


async def test_a_refused_login_is_one_line_and_the_next_fetch_asks_again(simulator, memory_keyring):
    wrong = {ANALYTICS_API_KEY: Secret("demo"), ANALYTICS_PASSWORD: Secret("pw-Wr0ng-secret")}
    app = history_app(simulator, secrets=wrong)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(app, pilot)
        await pilot.press("enter")
        await fetched(pilot, app)
        assert state(app).note == core.Note(BAD_PASSWORD, core.ERROR)
        assert status_text(app) == BAD_PASSWORD
        assert "pw-Wr0ng-secret" not in app.export_screenshot()
        assert app.board.history.client is None, "refused credentials are not kept"
        assert state(app).frames == ()
        await pilot.pause(0.5)
        assert (simulator.requests["token"], simulator.requests["analytics"]) == (1, 0), "one try, no storm"


def animating(app) -> bool:
    """Whether the progress bar repaints itself on a timer (an indeterminate bar does, 15 times a second)."""
    from textual.widgets._progress_bar import Bar

    return pane(app).query_one(ProgressBar).query_one(Bar).auto_refresh is not None


async def test_the_progress_bar_is_still_unless_a_fetch_runs_in_plain_view(simulator, memory_keyring):
    """An animated bar repaints the screen 15 times a second, shown or not, and under the
    sign-in dialog the whole dimmed board with it: a TV would spend its CPU on a hidden bar,
    and Pilot's key presses, which wait for the app to go idle, crawled under load."""
    app = history_app(simulator, secrets=None, username="")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(app, pilot)
        assert not animating(app), "nothing fetched yet"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SetupScreen) and app.focused is not None)
        assert state(app).fetch is not None and not animating(app), "the fetch waits behind the sign-in dialog"
        await pilot.press(*"demo", "tab", *"demo", "tab", *"demo", "enter")
        await fetched(pilot, app)
        assert not animating(app), "done: the bar is hidden and still"


# --- the board's keys ----------------------------------------------------------------------


async def test_the_boards_keys_still_work_inside_the_tab(simulator):
    app = history_app(simulator)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(app, pilot)
        await fetch_report(app, pilot, "extensions")
        tabs = app.board.query_one(TabbedContent)
        await pilot.press("s")
        assert state(app).frame.sort == 0 and app.board.agents.options.sort == "name", "s sorts the report, not the agents"
        await pilot.press("2")
        assert tabs.active == "queues"
        await pilot.press("3")
        assert tabs.active == "historical" and app.focused is grid(app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.screen is app.board
        await pilot.press("shift+tab")
        assert app.focused.id == "hist-fetch"
        await pilot.press("1")
        assert tabs.active == "agents"
        await pilot.press("3")
        start = pane(app).query_one("#hist-start", Input)
        start.focus()
        await pilot.press("end", "backspace", "1")
        assert tabs.active == "historical", "typed into the field, not a tab switch"
        assert pane(app).query_one("#hist-range", Select).value == "custom"
        await pilot.press("escape")
        assert app.focused is grid(app), "Escape leaves the field"
        await pilot.press("q")
        await pilot.pause()
        assert app._exit


async def test_hostile_names_are_shown_literally():
    with Simulator(seed=7, agents=14, queues=3, clock=FakeClock(EPOCH), phase=0.0, hostile=True) as sim:
        app = history_app(sim)
        async with app.run_test(size=(160, 45)) as pilot:
            await open_tab(app, pilot)
            await fetch_report(app, pilot, "extensions")
            names = [row[1] for row in grid_rows(app)]
            drawn = "\n".join(grid(app).render_line(y).text for y in range(grid(app).size.height))
    markup = [name for name in names if "[" in name]
    assert markup, "the hostile scenario has names that look like markup"
    for name in markup:
        assert name in drawn


async def test_a_click_on_a_header_sorts_and_editing_the_form_leaves_the_table_alone(simulator):
    app = history_app(simulator)
    async with app.run_test(size=(160, 30)) as pilot:
        await open_tab(app, pilot)
        await fetch_report(app, pilot, "extensions")
        table = grid(app)
        columns = list(table.columns.values())
        calls_header = sum(column.get_render_width(table) for column in columns[:4]) + 2
        await pilot.click(ReportGrid, offset=(calls_header, 0))
        assert (state(app).frame.sort, state(app).frame.descending) == (4, True)
        calls = [int(row[4]) for row in grid_rows(app)]
        assert calls == sorted(calls, reverse=True) and calls != [int(row[4]) for row in screen_cells(state(app).frame.records, state(app).frame.query)]
        await pilot.click(ReportGrid, offset=(calls_header, 0))
        assert state(app).frame.descending is False
        grid(app).focus()
        await pilot.press("down", "down", "pagedown")
        row, scrolled = grid(app).cursor_row, grid(app).scroll_offset
        redrawn = []
        clear = table.clear
        table.clear = lambda columns=False: (redrawn.append(columns), clear(columns))[1]
        pane(app).query_one("#hist-pbx", Input).focus()
        await pilot.press("end", "x")
        assert state(app).form.pbx == "allpbxesx"
        assert redrawn == [], "an edit in the form does not redraw the table"
        assert grid(app).cursor_row == row == state(app).frame.cursor
        assert grid(app).scroll_offset == scrolled


async def test_a_listing_closed_by_a_refused_sign_in_is_not_read_again_from_the_start(simulator):
    app = history_app(simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_tab(app, pilot)
        await fetch_report(app, pilot, "call-records")
        shown = state(app).frame.records
        assert len(shown) == core.BATCH_ROWS and not state(app).frame.complete
        simulator.analytics.password = "changed"
        simulator.analytics.expire_tokens()
        await fetch_report(app, pilot, "company")
        assert state(app).note == core.Note(BAD_PASSWORD, core.ERROR)
        assert state(app).frame.records == shown, "the call records stay on screen"
        simulator.analytics.password = "demo"
        grid(app).focus()
        await pilot.press("m")
        await fetched(pilot, app)
        assert state(app).frame.records == shown, "no rows repeated from a listing read again"
        assert status_text(app) == core.LISTING_LOST
        await pilot.press("m")
        assert status_text(app) == core.LISTING_LOST


# --- an extension's calls add up to its row (issue 12 #8) -------------------------------------


async def test_an_extensions_calls_add_up_to_its_row(simulator):
    """1007's row counts its calls on every PBX asked for; so does its drill-down."""
    app = history_app(simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_tab(app, pilot)
        await fetch_report(app, pilot, "extensions")
        rows = state(app).frame.records
        index = next(i for i, row in enumerate(rows) if row.extension == "1007")
        talk_column = [column.header for column in state(app).frame.table.columns].index("Talk time")
        row_talk = grid_rows(app)[index][talk_column]
        grid(app).move_cursor(row=index)
        await pilot.press("enter")
        await fetched(pilot, app)
        await pilot.press("M")
        await fetched(pilot, app)
        frame = state(app).frame
        calls_talk = [column.header for column in frame.table.columns].index("Talk")
        totals = [str(cell) for cell in grid(app).get_row_at(grid(app).data_rows)]
    row, calls = rows[index], frame.records
    assert (frame.kind, frame.query.ext, frame.query.pbx, frame.complete) == (CALL_RECORDS, "1007", ("allpbxes",), True)
    assert row.pbx_id == "demo-pbx" and {call.pbx_id for call in calls} == {"demo-pbx", "demo-pbx2"}, "the row counted both"
    assert sum(call.caller == "1007" for call in calls) == row.outbound_total
    assert sum(bool(call.answered) for call in calls) == row.total_answered
    assert sum(bool(call.abandoned) for call in calls) == row.total_abandoned
    assert sum(call.talk_time for call in calls) == row.total_talk_time
    assert totals[calls_talk] == row_talk, "the drill-down's total talk reads as its row's"


# --- the PBX list in the form (issue 13 #12) ---------------------------------------------------


async def test_the_pbx_field_offers_the_pbxs_the_user_can_see(simulator):
    app = history_app(simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_tab(app, pilot)
        await enter_fetches_the_company_summary(app, pilot)
        await until(pilot, lambda: state(app).known_pbxes == ("demo-pbx", "demo-pbx2"))
        field = pane(app).query_one("#hist-pbx", Input)
        field.focus()
        await pilot.press("ctrl+a", "ctrl+k", *"demo")
        await pilot.pause()
        await pilot.press("right")  # → at the end accepts the completion shown
        assert field.value == "demo-pbx"
        await pilot.press(*",nosuch", "enter")
        await pilot.pause()
        assert state(app).invalid == "pbx" and state(app).fetch is None
        assert status_text(app) == "PBX: no PBX named 'nosuch'; the PBXs this user can see: demo-pbx, demo-pbx2"
    assert simulator.requests["pbxes"] == 1


# --- a time out of range (issue 11 #7) ---------------------------------------------------------


async def test_one_impossible_time_leaves_the_rest_of_the_table():
    from types import SimpleNamespace

    from tests.helpers.hostile import VENDOR_RECORDS, numbered_pages, serve_call_records

    bad = {**VENDOR_RECORDS[1], "startTime": "0001-01-01T00:00:00+05:00", "startTimeUTC": None}
    server = serve_call_records(numbered_pages(lambda number: [VENDOR_RECORDS[0], bad] if number == 0 else []))
    app = history_app(SimpleNamespace(analytics_url=f"{server.url}/w", server=server))  # served in-process
    async with app.run_test(size=(120, 40)) as pilot:
        await open_tab(app, pilot)
        await fetch_report(app, pilot, "call-records")
        frame = state(app).frame
        text = status_text(app)
        cells = grid_rows(app)
    assert frame is not None, text
    assert [record.call_id for record in frame.records] == ["1635571048351", "1635571048345"]
    assert cells[1][0] == "—", "no start time shown for the impossible one"
    assert text.startswith("2 calls · some values unreadable (call record #2: start_time is out of range")
    assert "OverflowError" not in text
