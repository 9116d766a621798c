"""Keyboard focus you can see, whatever the colours: a supervisor over SSH has no mouse.

What has the focus must differ from what has not by more than a hue (a 16-colour or
NO_COLOR terminal may show the hues alike): by its characters (a double border) or by
text attributes (reverse, bold). Each check compares the cells of a widget focused and
not focused with the colours left out. The key hints follow the focus.
"""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widgets import Input, Select

from tests.helpers.board import board_ready, grid, make_app
from tests.helpers.history import fetch_report, history_app, open_tab, pane
from wallboard.themes import bundled_themes_dir, discover
from wallboard.ui.widgets.key_hints import KeyHints
from wallboard.ui.widgets.queue_tile import QueueTile

pytestmark = pytest.mark.virtual_time

THEMES = sorted(discover([bundled_themes_dir()]).themes)


def shapes(app, region) -> tuple:
    """The cells of ``region`` as characters and attributes, without colours."""
    rows = []
    for strip in app.screen._compositor.render_strips()[region.y : region.bottom]:
        cells, x = [], 0
        for segment in strip:
            style = segment.style
            for char in segment.text:
                if region.x <= x < region.right:
                    cells.append((char, bool(style and style.bold), bool(style and style.reverse)))
                x += 1
        rows.append(tuple(cells))
    return tuple(rows)


def hints(app) -> list[str]:
    return [description for _, description in app.screen.query_one(KeyHints).hints]


@pytest.mark.parametrize("theme", THEMES)
async def test_the_historical_forms_selects_and_fields_show_the_focus(simulator, theme):
    app = history_app(simulator, theme=theme)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(app, pilot)
        form = pane(app)
        for field_id in ("#hist-kind", "#hist-range", "#hist-start", "#hist-fetch"):
            field = form.query_one(field_id)
            form.query_one("#hist-zone", Input).focus()
            await pilot.pause()
            before = shapes(app, field.region)
            field.focus()
            await pilot.pause()
            assert shapes(app, field.region) != before, f"{field_id}: the focus shows only as a colour, or not at all"


@pytest.mark.parametrize("theme", THEMES)
async def test_an_ok_queue_tile_under_the_cursor_has_its_own_border(theme):
    app = make_app(theme=theme)
    async with app.run_test(size=(120, 40)) as pilot:
        await board_ready(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        tiles = app.board.queue_board.ordered_tiles()
        ok = next(tile for tile in tiles if not tile.level)
        other = next(tile for tile in tiles if tile is not ok)
        other.focus()
        await pilot.pause()
        before = shapes(app, ok.region)
        ok.focus()
        await pilot.pause()
        after = shapes(app, ok.region)
        assert after != before
        assert after[0][0][0] == "╔" and before[0][0][0] == "╭", "a double border, not a recoloured round one"


async def test_the_agents_cursor_row_is_a_bar_not_a_hue():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await board_ready(app, pilot)
        area = grid(app).region
        first = shapes(app, Region(area.x, area.y + 1, area.width, 1))  # the cursor's row
        second = shapes(app, Region(area.x, area.y + 2, area.width, 1))
        assert any(bold for _, bold, _ in first[0]) and not any(bold for _, bold, _ in second[0]), "the cursor row is bold"


async def test_the_key_hints_are_those_of_what_has_the_focus(simulator):
    app = history_app(simulator)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_tab(app, pilot)
        await fetch_report(app, pilot, "ring-groups")
        assert app.focused is pane(app).grid
        assert {"Sort", "Export CSV"} <= set(hints(app))
        pane(app).query_one("#hist-kind", Select).focus()
        await pilot.pause()
        on_select = hints(app)
        assert "Choose" in on_select and "Sort" not in on_select and "Export CSV" not in on_select, on_select
        await pilot.press("s")
        assert app.board.history.state.frame.sort is None, "s does not sort the table from the form"
        pane(app).query_one("#hist-start", Input).focus()
        await pilot.pause()
        assert "Sort" not in hints(app) and "Quit" not in hints(app), "in a text field, letters are text"
    board = make_app()
    async with board.run_test(size=(100, 30)) as pilot:
        await board_ready(board, pilot)
        assert {"Details", "Sort", "Filter", "Search"} <= set(hints(board))
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(board.focused, QueueTile)
        assert "Details" in hints(board) and "Filter" not in hints(board)


async def test_home_and_end_go_to_the_first_and_last_row_of_a_report(simulator):
    app = history_app(simulator)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_tab(app, pilot)
        await fetch_report(app, pilot, "ring-groups")
        table = pane(app).grid
        await pilot.press("down", "down")
        scroll_x = table.scroll_x
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1 and table.scroll_x == scroll_x
        await pilot.press("home")
        assert table.cursor_row == 0 and table.scroll_x == scroll_x
