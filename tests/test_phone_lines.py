"""A phone line's code read with its status time and the agent's state (issue 13 item 1).

The first tests use the vendor's own example agents verbatim (the seed): both report
line 2 as code 0 with status time -1, which is "no current status", not "Offered".
"""

from msgspec.structs import replace  # the records are msgspec Structs
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.data import fixed_snapshot
from wallboard.config import Thresholds
from wallboard.core.views.agents import agent_cells
from wallboard.core.views.detail import agent_sections
from wallboard.core.model.realtime import Agent
from wallboard.core.wire.rtstats import parse_agents
from wallboard.core.model.phone_lines import line_status
from wallboard.plain import render_agents


@pytest.fixture
def seed_agents(seed_agents_xml):
    john, cecilia = parse_agents(seed_agents_xml, "xml").records
    return john, cecilia


def detail_lines(agent: Agent) -> tuple[str, str]:
    now, _activity = agent_sections(agent, None, Thresholds(), ZoneInfo("UTC"))
    rows = {row[0]: row[1] for row in now.rows}
    return rows["Phone line 1"], rows["Phone line 2"]


def test_seed_line2_code_0_with_time_minus_1_is_not_in_use(seed_agents):
    john, cecilia = seed_agents
    for agent in (john, cecilia):
        assert agent.line2_status == 0 and agent.line2_status_time is None  # as sent: 0 and -1
        assert agent.line2.label == "Not in use"
        assert agent.line2.category == "unused"


def test_seed_line1_code_0_with_time_minus_1_is_not_in_use(seed_agents):
    john, _ = seed_agents
    assert (john.line1_status, john.line1_status_time) == (0, None)
    assert john.line1.label == "Not in use"


def test_seed_line1_busy_for_102_seconds_is_busy(seed_agents):
    _, cecilia = seed_agents
    assert cecilia.line1.label == "Busy"
    assert detail_lines(cecilia) == ("Busy  for 0:01:42", "Not in use")


def test_seed_agents_in_the_grid_show_a_dash_for_unused_lines(seed_agents):
    john, cecilia = seed_agents
    assert (agent_cells(john, None, Thresholds())["line2"].text, agent_cells(cecilia, None, Thresholds())["line2"].text) == ("—", "—")
    assert agent_cells(john, None, Thresholds())["line1"].text == "—"
    assert agent_cells(cecilia, None, Thresholds())["line1"].text == "Busy"
    assert agent_cells(cecilia, None, Thresholds())["line2"].style == "line-unused"


def test_seed_agents_in_the_plain_output(seed_agents):
    lines = render_agents(list(seed_agents), Thresholds())
    header = lines[0]
    line1, line2 = header.index("Line 1"), header.index("Line 2")

    def column(row: str, start: int, end: int) -> str:
        return row[start:end].strip()

    rows = {row.split("  ")[0]: row for row in lines[2:]}
    # plain output uses the grid's cells: an unused line is a dash there too
    assert column(rows["John Doe"], line1, line2) == "—"
    assert column(rows["John Doe"], line2, header.index("Group")) == "—"
    assert column(rows["Cecilia Lee"], line1, line2) == "Busy"
    assert column(rows["Cecilia Lee"], line2, header.index("Group")) == "—"


def test_a_logged_out_agent_has_no_line_in_use_whatever_the_codes(seed_agents):
    _, cecilia = seed_agents
    logged_out = replace(cecilia, status=9, line2_status_time=40)
    assert (logged_out.line1.label, logged_out.line2.label) == ("Not in use", "Not in use")


def test_a_line_with_a_real_time_keeps_its_code(seed_agents):
    _, cecilia = seed_agents
    ringing = replace(cecilia, line2_status_time=4)
    assert ringing.line2.label == "Offered"  # line 2's own table: 0 is being offered
    assert detail_lines(ringing)[1] == "Offered  for 0:00:04"


@pytest.mark.parametrize(
    "status, media, label, short",
    [
        (3, 1, "Post-processing", "Wrap-up"),  # wrapping up a phone call: the line is in post-processing
        (3, 2, "Idle", "Idle"),  # wrapping up a chat: the phone line is idle
        (3, 3, "Idle", "Idle"),
        (3, 4, "Idle or post-processing", "Idle/wrap"),  # voicemail: cannot tell
        (3, None, "Idle or post-processing", "Idle/wrap"),
        (0, 1, "Idle", "Idle"),
        (1, 2, "Idle", "Idle"),  # the seed's agents are "offered" (a chat for Cecilia)
        (2, 2, "Idle", "Idle"),
        (4, 1, "Idle", "Idle"),
        (5, 1, "Idle", "Idle"),
        (7, 1, "Idle or post-processing", "Idle/wrap"),  # an unknown state cannot tell
        (None, 1, "Idle or post-processing", "Idle/wrap"),
    ],
)
def test_line1_code_0_is_idle_or_post_processing_from_the_agents_state(seed_agents, status, media, label, short):
    _, cecilia = seed_agents
    agent = replace(cecilia, status=status, media_id=media, line1_status=0, line1_status_time=35)
    assert agent.line1.label == label
    assert agent_cells(agent, None, Thresholds())["line1"].text == short
    assert detail_lines(agent)[0] == f"{label}  for 0:00:35"


def test_line2_code_0_is_never_read_as_post_processing():
    assert line_status(2, 0, 10, 3, 1).label == "Offered"


@pytest.mark.parametrize("line", [1, 2])
def test_an_unknown_code_without_a_time_is_not_in_use_and_with_one_is_unknown(line):
    assert line_status(line, 7, None, 0, 1).label == "Not in use"
    assert line_status(line, 7, 12, 0, 1).label == "Unknown (7)"


def test_no_code_at_all_is_no_value():
    assert line_status(1, None, None, 0, 1).label == "—"


def test_the_simulator_reports_idle_lines_as_the_vendor_does():
    """The simulator's agents send an idle line 2 as the seed's do: code 0, time -1."""
    agents = fixed_snapshot().agents.records
    idle = [a for a in agents if a.line2_status_time is None]
    assert idle and all(a.line2_status == 0 for a in idle)
    assert all(a.line2.label == "Not in use" for a in idle)
