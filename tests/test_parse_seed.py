"""The vendor's own XML examples, verbatim, defects included."""

from tests.helpers.data import JOHN_DOE
from wallboard.core.model.realtime import Queue
from wallboard.core.wire.rtstats import parse_agents, parse_queues


def test_seed_agents_are_read_despite_mismatched_closing_tags(seed_agents_xml):
    result = parse_agents(seed_agents_xml, "xml")
    assert result.repaired is True
    assert [a.agent_id for a in result.records] == ["ag1", "clee"]
    assert result.records[0] == JOHN_DOE


def test_seed_agent_with_the_alias_names(seed_agents_xml):
    clee = parse_agents(seed_agents_xml, "xml").records[1]
    assert clee.name == "Cecilia Lee"
    assert clee.media.label == "Chat"
    assert clee.state.label == "Offered"
    assert clee.day_avg_processing_time == 0  # written as <day-avg-handling-time>
    assert clee.day_rejected_count == 0  # closed as </day-offered-count>
    assert clee.last_login_time == 1323826680
    assert clee.line1.label == "Busy"
    assert clee.line1_status_time == 102
    assert clee.line2.label == "Not in use"  # code 0 ("offered" in line 2's table) with time -1: no status
    assert clee.time_in_status is None  # -1: no value yet


def test_seed_placeholder_record_is_skipped_and_reported(seed_agents_xml):
    result = parse_agents(seed_agents_xml, "xml")
    assert result.skipped == 1
    assert result.problems == ("agent #3 has no agent-id; skipped",)


def test_seed_queues_with_both_name_variants(seed_queues_xml):
    result = parse_queues(seed_queues_xml, "xml")
    assert result.repaired is True
    assert result.skipped == 1
    outbound, sales_chat = result.records
    assert outbound == Queue(
        queue_id="115",
        name="outbound queue",
        media_type="phone",
        queue_type="",
        queue_size=4,
        longest_wait_time=1113,
        number_in_offered=1,
        number_in_progress=2,
        sla_activity=0.0,
        sla_target=0.0,
        assigned_agent_count=9,
        enabled_agent_count=8,
        agents_available=0,
        agents_busy=3,
        agents_post_process=1,
        agents_on_break=2,
        agents_work_offline=0,
        agents_logged_out=2,
        day_queued=30,
        day_accepted=10,
        day_abandoned=2,
        day_avg_duration=134,
        day_avg_wait_time=566,
        day_sla_activity=None,
        thirty_min_queued=24,
        thirty_min_accepted=4,
        thirty_min_abandoned=0,
        thirty_min_avg_duration=34,
        thirty_min_avg_wait_time=110,
        thirty_min_longest_wait_time=340,
        thirty_min_sla_activity=None,
    )
    assert sales_chat.name == "sales-chat"
    assert sales_chat.media.label == "Chat"
    assert sales_chat.day_accepted == 0  # <all-day-accepted>
    assert sales_chat.agents_available == 2
    assert sales_chat.agents_work_offline == 2
    assert sales_chat.thirty_min_longest_wait_time is None  # -1
    assert sales_chat.thirty_min_abandoned == 1


def test_seed_abandon_rate_is_derived(seed_queues_xml):
    outbound, sales_chat = parse_queues(seed_queues_xml, "xml").records
    assert outbound.day_abandon_percent == 100 * 2 / 12
    assert sales_chat.day_abandon_percent == 100.0
    assert outbound.thirty_min_abandon_percent == 0.0
