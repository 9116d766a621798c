"""Every board screen at SSH size (80x24) and TV size (160x45), on fixed data and a fixed clock.

The committed SVGs are the product: look at them when they change.
"""

import pytest

from tests.helpers.board import make_app, stale_app
from tests.helpers.data import fixed_snapshot
from tests.helpers.waiting import until

SIZES = {"ssh": (80, 24), "tv": (160, 45)}
TV_SIZES = {**SIZES, "100x30": (100, 30)}


def board(snapshot=None, clocks=None, **settings):
    return make_app(snapshot=snapshot or fixed_snapshot(), clocks=clocks, **settings)


@pytest.mark.parametrize("size", SIZES, ids=str)
def test_agents(snap_compare, size):
    assert snap_compare(board(), terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES, ids=str)
def test_queues(snap_compare, size):
    assert snap_compare(board(), terminal_size=SIZES[size], press=["2"])


@pytest.mark.parametrize("size", SIZES, ids=str)
def test_agent_detail(snap_compare, size):
    assert snap_compare(board(), terminal_size=SIZES[size], press=["down", "down", "enter"])


@pytest.mark.parametrize("size", SIZES, ids=str)
def test_queue_detail(snap_compare, size):
    assert snap_compare(board(), terminal_size=SIZES[size], press=["2", "right", "enter"])


@pytest.mark.parametrize("size", SIZES, ids=str)
def test_stale(snap_compare, size):
    assert snap_compare(stale_app(), terminal_size=SIZES[size])


@pytest.mark.parametrize("size", TV_SIZES, ids=str)
def test_tv_mode_queues(snap_compare, size):
    assert snap_compare(board(tv=True, theme="wallboard-tv", start_tab="queues"), terminal_size=TV_SIZES[size])


async def _tiles_placed(pilot) -> None:
    """Until the tiles are placed, however long a busy machine takes (the snapshot would
    catch them half-built)."""
    board = pilot.app.board.queue_board
    await until(pilot, lambda: not board.filling and board.tv_grid is not None, step=0.02, what="the TV tiles placed")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=str)
def test_tv_mode_agents(snap_compare, size):
    assert snap_compare(board(tv=True, theme="wallboard-tv"), terminal_size=SIZES[size])


def test_light_theme(snap_compare):
    assert snap_compare(board(theme="wallboard-light"), terminal_size=SIZES["tv"], press=["2"])


def test_keys_help(snap_compare):
    assert snap_compare(board(), terminal_size=SIZES["ssh"], press=["question_mark"])


def test_hostile_names_shown_literally(snap_compare):
    assert snap_compare(board(fixed_snapshot(hostile=True, agents=14)), terminal_size=SIZES["tv"])


def test_grouped_and_sorted_by_state(snap_compare):
    assert snap_compare(board(), terminal_size=SIZES["ssh"], press=["g", "s"])
