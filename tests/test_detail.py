from msgspec.structs import replace  # the records are msgspec Structs
from zoneinfo import ZoneInfo

from tests.helpers.data import JOHN_DOE
from wallboard.config import Thresholds
from wallboard.core.views.detail import agent_sections, queue_sections
from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.wire.rtstats import parse_agents


def rows(section):
    return {row[0]: row[1:] for row in section.rows}


def test_agent_detail_decodes_every_field_with_units():
    agent = Agent(
        agent_id="clee", name="Cecilia Lee", status=4, status_code_short="LUNCH", status_code_item_id=202,
        status_code_list_id=20, media_id=2, line1_status=5, line1_status_time=102, line2_status=-1,
        last_login_time=1323826680, day_login_time=7200, day_processing_time=3600, day_accepted_count=9,
        thirty_min_processing_time=600, thirty_min_available_time=600, thirty_min_wrap_up_time=300,
        thirty_min_break_time=300, thirty_min_offline_time=0, group_id=101,
    )
    now, activity = agent_sections(agent, 1900, Thresholds(), ZoneInfo("UTC"))
    fields = rows(now)
    assert fields["State"] == ("‖ On break",)
    assert fields["Reason code"] == ("LUNCH  (item 202, list 20)",)
    assert fields["Time in state"] == ("0:31:40  (alert: break over threshold)",)
    assert fields["Phone line 1"] == ("Busy  for 0:01:42",)
    assert fields["Phone line 2"] == ("Not in use",)
    assert fields["Last login"] == ("2011-12-14 01:38:00",)
    assert activity.columns == ("Today", "Last 30 min")
    figures = rows(activity)
    assert figures["Logged in"] == ("2:00:00", "—")
    assert figures["Utilisation"] == ("50.0%", "—")
    assert figures["Accepted"] == ("9", "—")


def test_thirty_minute_available_time_is_an_average_and_is_labelled_so(seed_agents_xml):
    """The seed: "thirty-min-available-time: Average available time in last 30 minutes";
    every other 30-minute time is a total. An average is never added into a total."""
    _, cecilia = parse_agents(seed_agents_xml, "xml").records
    assert rows(agent_sections(cecilia, None, Thresholds(), ZoneInfo("UTC"))[1])["Available"] == ("0:00:00", "avg 0:00:00")
    busy = replace(
        cecilia, day_available_time=3000, thirty_min_available_time=250, thirty_min_processing_time=900,
        thirty_min_wrap_up_time=300, thirty_min_break_time=0, thirty_min_offline_time=0, day_login_time=7200,
        day_processing_time=3600,
    )
    figures = rows(agent_sections(busy, None, Thresholds(), ZoneInfo("UTC"))[1])
    assert figures["Available"] == ("0:50:00", "avg 0:04:10")
    assert figures["Processing"] == ("1:00:00", "0:15:00")  # totals stay unmarked
    assert figures["Avg handling"][1] == "0:00:00"  # already named an average
    assert figures["Logged in"] == ("2:00:00", "—"), "no 30-minute login time can be derived from an average"
    assert figures["Utilisation"] == ("50.0%", "—")


def test_agent_detail_from_the_seed_has_dashes_for_no_value():
    now, activity = agent_sections(JOHN_DOE, None, Thresholds(), ZoneInfo("UTC"))
    assert rows(now)["Last login"] == ("—",)
    assert rows(now)["Time in state"] == ("—",)
    assert rows(activity)["Utilisation"] == ("—", "—")


def test_queue_detail():
    queue = Queue(queue_id="115", name="outbound queue", media_type="phone", queue_size=4, longest_wait_time=1113,
                  sla_activity=0.0, sla_target=0.0, day_accepted=10, day_abandoned=2, thirty_min_longest_wait_time=340)
    now, agents, activity = queue_sections(queue, Thresholds())
    fields = rows(now)
    assert fields["Longest wait"] == ("18:33",)
    assert fields["SLA target"] == ("80%  (from the config: the queue's sla-target 0 is not a percentage from 1 to 100)",)
    assert fields["Status"] == ("longest wait 18:33 ≥ 3:00; SLA 0% < 80%",)
    assert rows(activity)["Abandon rate"] == ("16.7%", "—")
    assert rows(activity)["Longest wait"] == ("—", "0:05:40")
