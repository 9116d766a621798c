"""The board on the v5 source (interval figures, channels) with push live, at SSH size
(80x24) and TV size (160x45), on fixed data and a fixed clock."""

from dataclasses import replace

from msgspec import structs  # the records are msgspec Structs

import pytest

from tests.helpers.clocks import Clocks
from tests.helpers.data import fixed_settings, fixed_snapshot
from wallboard.core.model.snapshot import PushStatus
from wallboard.themes import bundled_themes_dir
from wallboard.ui.app import WallboardApp

SIZES = {"ssh": (80, 24), "tv": (160, 45)}


def v5_snapshot():
    """The fixed tenant as v5 reports it: interval figures, no queue media or logged-out count."""
    snapshot = fixed_snapshot()
    queues = tuple(
        structs.replace(
            queue,
            media_type="",
            queue_type="",
            agents_logged_out=None,
            assigned_agent_count=None,
            fifteen_min_queued=3 + n,
            fifteen_min_accepted=2 + n,
            fifteen_min_abandoned=n % 2,
            fifteen_min_avg_wait_time=12 + 3 * n,
            fifteen_min_sla_activity=None if n == 2 else 70.0 + 5 * n,
            sla_1h=78.5 + n,
            sla_4h=81.0,
            sla_8h=None if n == 1 else 83.0,
            sla_12h=84.0,
            sla_threshold=30,
        )
        for n, queue in enumerate(snapshot.queues.records)
    )
    agents = tuple(
        structs.replace(agent, line1_status=None, line2_status=None, channels=("Phone ×1",) if n % 3 == 0 else (), time_on_status_code=None if n % 3 else 42, active_interactions=1 if n % 3 == 0 else 0)
        for n, agent in enumerate(snapshot.agents.records)
    )
    return replace(
        snapshot,
        agents=replace(snapshot.agents, records=agents),
        queues=replace(snapshot.queues, records=queues),
        push=PushStatus(live=True, applied=12),
    )


def board():
    clocks = Clocks()
    return WallboardApp(
        fixed_settings(data_source="cc-realtime"), snapshot=v5_snapshot(), wall=clocks.wall, mono=clocks.mono, theme_dirs=[bundled_themes_dir()]
    )


@pytest.mark.parametrize("size", SIZES, ids=str)
def test_v5_queues_with_push(snap_compare, size):
    assert snap_compare(board(), terminal_size=SIZES[size], press=["2"])


@pytest.mark.parametrize("size", SIZES, ids=str)
def test_v5_queue_detail_shows_the_intervals(snap_compare, size):
    assert snap_compare(board(), terminal_size=SIZES[size], press=["2", "right", "enter"])


@pytest.mark.parametrize("size", SIZES, ids=str)
def test_v5_agent_detail_shows_channels(snap_compare, size):
    assert snap_compare(board(), terminal_size=SIZES[size], press=["enter"])
