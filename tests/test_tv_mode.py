"""TV mode at every size: each tile whole, with its figures and its status in words.

A wall display nobody touches cannot scroll to a tile drawn half off the screen or
cut inside. At 80x24 and 100x30 the tiles once showed empty borders or lost their
ALERT line; at 200x50 with 40 queues the big numerals lost their bottom row.
"""

from __future__ import annotations

import pytest
from textual.widgets import Digits, Label

from tests.helpers.board import board_ready
from tests.helpers.clocks import Clocks
from tests.helpers.data import fixed_settings, fixed_snapshot
from wallboard.core.views.tv_layout import BLOCK, DIGITS, WORDS, big_figures_width, page_of, tv_plan
from wallboard.themes import bundled_themes_dir
from wallboard.ui.app import WallboardApp

pytestmark = pytest.mark.virtual_time

CASES = {  # size, queues
    "80x24": ((80, 24), 6),
    "100x30": ((100, 30), 6),
    "160x45": ((160, 45), 6),
    **{f"{w}x{h}-{n}-queues": ((w, h), n) for w, h in ((80, 24), (100, 30), (200, 50), (240, 67)) for n in (4, 12, 40)},
}
LARGE = {(200, 50), (240, 67)}
"""A 1080p TV at a readable font: the numerals must take a third of each tile's height."""


def tv_board(queues: int, **settings) -> WallboardApp:
    clocks = Clocks()
    return WallboardApp(
        fixed_settings(**{"tv": True, "theme": "wallboard-tv", "start_tab": "queues", "rotate": 0, **settings}),
        snapshot=fixed_snapshot(queues=queues),
        wall=clocks.wall,
        mono=clocks.mono,
        theme_dirs=[bundled_themes_dir()],
    )


async def tiles_placed(app, pilot) -> None:
    await board_ready(app, pilot)
    board = app.board.queue_board
    summary = app.board.tab("queues").summary
    for _ in range(500):  # every tile mounted, the summary above them drawn, the plan made
        if not board.filling and board.tv_grid is not None and summary.outer_size.height >= 4:
            break
        await pilot.pause(0.02)
    await pilot.pause()


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def text_in(lines: list[str], region) -> str:
    return " ".join(line[region.x : region.right].strip() for line in lines[region.y : region.bottom])


async def page_drawn(board, pilot) -> None:
    """Wait for the tiles of the page just turned to be laid out."""
    for _ in range(100):
        await pilot.pause()
        shown = [tile for tile in board.ordered_tiles() if tile.display]
        if all(tile.region.height and tile.query_one(".status", Label).region.height for tile in shown):
            return


def check_page(app, size, lines) -> int:
    """Every tile of the page shown whole, with its figures and its status in words;
    returns how many of them say ALERT or WARNING."""
    board = app.board.queue_board
    plan = board.tv_grid
    shown = [tile for tile in board.ordered_tiles() if tile.display]
    assert len(shown) == len(page_of(list(range(len(board.ordered_tiles()))), board.page, plan))
    statuses = 0
    for tile in shown:
        assert board.region.contains_region(tile.region), f"{tile.queue_id} drawn half: {tile.region} in {board.region}"
        inside = tile.content_region
        status = tile.query_one(".status", Label)
        assert inside.contains_region(status.region), "the status line is inside the tile"
        words = " ".join(tile.status_text.split())
        assert " ".join(text_in(lines, status.region).split()) == words, "the status in words, whole"
        statuses += words.startswith(("▲ ALERT", "△ WARNING"))
        if plan.mode == BLOCK:
            for blocks in tile.query(".blocks"):
                if blocks.parent.display:
                    assert blocks.region.height == plan.scale.rows and inside.contains_region(blocks.region), "numerals whole"
                    if size in LARGE:
                        assert 3 * blocks.region.height >= tile.region.height, "numerals a third of the tile at least"
        elif plan.mode == DIGITS:
            assert size not in LARGE
            for digits in tile.query(Digits):
                if digits.display and digits.parent.display:
                    assert digits.region.height == 3 and inside.contains_region(digits.region), "numerals whole"
        else:
            assert size not in LARGE
            figures = text_in(lines, tile.query_one(".waiting-word", Label).region)
            assert figures.startswith("waiting ") and "longest " in figures
            assert text_in(lines, tile.query_one(".sla", Label).region).startswith("SLA ")
    return statuses


@pytest.mark.parametrize("case", CASES, ids=str)
async def test_every_tile_is_whole_with_its_figures_and_status_in_words_on_every_page(case):
    size, queues = CASES[case]
    app = tv_board(queues)
    async with app.run_test(size=size) as pilot:
        await tiles_placed(app, pilot)
        board = app.board.queue_board
        seen: list[str] = []
        statuses = 0
        for page in range(board.pages):
            assert board.page == page
            await page_drawn(board, pilot)
            statuses += check_page(app, size, screen_lines(app))
            seen += [tile.queue_id for tile in board.ordered_tiles() if tile.display]
            board.next_page()
            await page_drawn(board, pilot)
        assert sorted(seen) == sorted(board.tiles) and len(seen) == queues, "every tile on exactly one page"
        assert board.page == 0, "back on the first page after the last"
        assert statuses >= 1, "the data has a queue in alert: its reason shows"


async def test_the_tiles_in_trouble_are_on_the_first_page_and_the_header_counts_pages():
    app = tv_board(40)
    async with app.run_test(size=(80, 24)) as pilot:
        await tiles_placed(app, pilot)
        board = app.board.queue_board
        tiles = board.ordered_tiles()
        first = [tile for tile in tiles if tile.display]
        hidden = [tile for tile in tiles if not tile.display]
        assert board.pages > 1 and hidden
        assert min(tile.level for tile in first) >= max(tile.level for tile in hidden)
        app.tick()
        await pilot.pause()
        assert f"QUEUES page 1 of {board.pages}" in app.board.header.render().plain


async def test_the_rotation_pages_through_the_queues_then_moves_on():
    app = tv_board(40, rotate=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await tiles_placed(app, pilot)
        board = app.board.queue_board
        app.last_key = float("-inf")
        pages = board.pages
        for page in range(1, pages):
            app.board._rotate()
            await pilot.pause()
            assert (app.board.active_tab, board.page) == ("queues", page)
        app.board._rotate()
        await pilot.pause()
        assert app.board.active_tab == "agents" and board.page == 0


async def test_leaving_tv_mode_restores_the_scrolling_grid():
    app = tv_board(40)
    async with app.run_test(size=(80, 24)) as pilot:
        await tiles_placed(app, pilot)
        await pilot.press("t")
        await pilot.pause()
        board = app.board.queue_board
        assert board.tv_grid is None and all(tile.display for tile in board.ordered_tiles())
        assert board.page_label() is None
        await pilot.press("t")
        await pilot.pause()
        assert board.tv_grid is not None


VALUES = ("0", "0:00", "100")
CAPTIONS = ("waiting", "longest wait", "SLA % · target 80%")
DIGITS_WIDTH = big_figures_width(tuple(zip(VALUES, CAPTIONS)))


def plan(width, height, count, status=22, blocks=True):
    return tv_plan(width, height, count, VALUES, CAPTIONS, DIGITS_WIDTH, status, blocks)


def test_the_plan_prefers_legible_pages_on_a_big_tv_and_one_page_on_a_small_screen():
    big = plan(198, 44, 4)
    assert (big.mode, big.pages, big.per_page) == (BLOCK, 1, 4) and 3 * big.scale.rows >= big.tile_height
    assert big.scale.rows >= 10, "a 1080p TV with 4 queues: numerals of 10 lines or more"
    many = plan(198, 44, 40)
    assert many.mode == BLOCK and many.pages > 1 and many.legible(44), "40 queues: pages of legible tiles, not 40 small ones"
    assert many.per_page >= 4
    small = plan(78, 18, 6)
    assert (small.mode, small.pages) == (WORDS, 1), "80x24: every tile on one page, figures in words"
    assert small.tile_height * small.rows <= 18 and small.tile_lines <= small.tile_height
    crowded = plan(78, 18, 40)
    assert crowded.pages == -(-40 // crowded.per_page) and crowded.rows * crowded.tile_height <= 18
    wrapped = plan(78, 18, 6, status=60)
    assert wrapped.status_lines == 2, "a long reason wraps onto a second line rather than being cut"
    assert plan(198, 44, 4, blocks=False).mode in (WORDS,), "no numerals off UTF-8"


def test_pages_split_the_ranked_tiles_and_wrap():
    p = plan(78, 18, 40)
    items = list(range(40))
    pages = [page_of(items, n, p) for n in range(p.pages)]
    assert sum(pages, []) == items
    assert page_of(items, p.pages, p) == pages[0]


async def test_the_tv_agents_page_through_every_agent_alerting_breaks_first():
    from dataclasses import replace as change

    from msgspec.structs import replace as change_record  # the records are msgspec Structs

    from wallboard.core.model.thresholds import break_level
    from wallboard.core.model.realtime import Agent

    snapshot = fixed_snapshot(agents=60)
    records = list(snapshot.agents.records)
    # the last agent in name order on a break far over the alert threshold
    last = max(range(len(records)), key=lambda i: records[i].name.casefold())
    records[last] = change_record(records[last], status=4, time_in_status=3 * 3600)
    snapshot = change(snapshot, agents=change(snapshot.agents, records=tuple(records)))
    clocks = Clocks()
    app = WallboardApp(
        fixed_settings(tv=True, theme="wallboard-tv", rotate=0),
        snapshot=snapshot,
        wall=clocks.wall,
        mono=clocks.mono,
        theme_dirs=[bundled_themes_dir()],
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        tab = app.board.agents
        grid = tab.grid
        rows = [row for row in grid.rows if isinstance(row, Agent)]
        assert rows[0].agent_id == records[last].agent_id, "the alerting break first"
        levels = [break_level(row, row.time_in_status, app.settings.thresholds) for row in rows]
        assert levels == sorted(levels, reverse=True)
        pages = tab._pages()
        assert pages > 1 and tab.page_label() == f"page 1 of {pages}"
        app.tick()
        await pilot.pause()
        assert f"AGENTS page 1 of {pages}" in app.board.header.render().plain
        app.last_key = float("-inf")
        seen = set()
        for page in range(pages):
            top = grid.scroll_offset.y
            seen.update(row.agent_id for row in rows[top : top + grid.size.height - 1])
            app.board._rotate()
            await pilot.pause()
            assert app.board.active_tab == ("agents" if page < pages - 1 else "queues")
        assert seen == {row.agent_id for row in rows}, "every agent shown on some page"
        assert tab.page == 0
