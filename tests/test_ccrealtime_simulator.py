"""The simulator's v5 API over real HTTP: what a client may rely on (NEWER-APIS.md 1.11)."""

from __future__ import annotations

import httpx
import pytest

from wallboard.core.wire.ccrealtime import parse_agents, parse_queues
from wallboard.core.wire.rtstats import parse_queues as parse_legacy_queues
from wallboard.sim.simulator import Simulator


@pytest.fixture
def sim():
    with Simulator(seed=9, agents=10, queues=5, cycle=5.0) as simulator:
        yield simulator


def _token(sim) -> str:
    answer = httpx.post(sim.server.url + "/oauth/v2/token", auth=("demo", "demo"), data={"grant_type": "client_credentials"})
    assert answer.status_code == 200
    document = answer.json()
    assert document["expires_in"] == "1799" and document["token_type"] == "BearerToken"  # numbers as strings
    return document["access_token"]


def _get(sim, path: str, token: str, **params) -> httpx.Response:
    return httpx.get(sim.cc_realtime_url + path, params=params, headers={"Authorization": f"Bearer {token}"})


def test_paging_headers_and_the_400_past_the_end(sim):
    token = _token(sim)
    first = _get(sim, "/queues", token, page=0, size=2)
    assert first.status_code == 200 and len(first.json()) == 2
    assert (first.headers["X-Page"], first.headers["X-Page-Size"], first.headers["X-Total-Pages"], first.headers["X-Total-Elements"]) == ("0", "2", "3", "5")
    past = _get(sim, "/queues", token, page=3, size=2)
    assert past.status_code == 400 and "which is 3 for this request" in past.json()["message"]
    assert _get(sim, "/queues", token, size=1001).json() == {"message": "Bad request: Field 'size' must be less than or equal to 1000"}


def test_metrics_in_either_form_and_unknown_ones_refused(sim):
    token = _token(sim)
    repeated = httpx.get(sim.cc_realtime_url + "/queues?metrics=entered.today&metrics=accepted.int-15m", headers={"Authorization": f"Bearer {token}"})
    comma = _get(sim, "/queues", token, metrics="entered.today,accepted.int-15m")
    assert repeated.json() == comma.json()
    assert [m["key"] for m in comma.json()[0]["metrics"]] == ["accepted.int-15m", "entered.today"]  # alphabetical
    assert _get(sim, "/queues", token, metrics="made.up").status_code == 400


def test_single_ids_answer_one_element_arrays_and_totals_come_last(sim):
    token = _token(sim)
    queue_id = _get(sim, "/queues", token).json()[0]["id"]
    single = _get(sim, f"/queues/{queue_id}", token).json()
    assert isinstance(single, list) and len(single) == 1 and single[0]["id"] == queue_id
    assert _get(sim, "/queues/nope", token).status_code == 404
    with_totals = _get(sim, "/queues", token, includeTotals="true", metrics="entered.today").json()
    assert with_totals[-1]["id"] is None and with_totals[-1]["name"] == "totals"
    assert with_totals[-1]["metrics"][0]["key"] == "total.entered.today"
    assert [q.queue_id for q in parse_queues(_get(sim, "/queues", token, includeTotals="true").content).records] == [q["id"] for q in with_totals[:-1]]


def test_bad_and_missing_tokens_are_401_with_the_apigee_fault(sim):
    answer = _get(sim, "/queues", "not-a-token")
    assert answer.status_code == 401 and answer.json()["fault"]["faultstring"] == "Invalid access token"
    assert httpx.post(sim.server.url + "/oauth/v2/token", auth=("demo", "nope"), data={"grant_type": "client_credentials"}).status_code == 401
    assert httpx.post(sim.server.url + "/oauth/v2/token", auth=("demo", "demo"), data={"grant_type": "password"}).status_code == 400


def test_agents_only_on_v5_and_both_sources_agree_on_the_same_seed(sim):
    token = _token(sim)
    assert httpx.get(sim.server.url + "/analytics/cc/v4/realtime-metrics/agents", headers={"Authorization": f"Bearer {token}"}).status_code == 404
    v5 = {q.queue_id: q for q in parse_queues(_get(sim, "/queues", token).content).records}
    legacy = httpx.get(sim.realtime_url + "/queues.json", auth=("demo", "demo"))
    for queue in parse_legacy_queues(legacy.content, "json").records:
        assert (v5[queue.queue_id].day_accepted, v5[queue.queue_id].queue_size) == (queue.day_accepted, queue.queue_size)
    agents = parse_agents(_get(sim, "/agents", token).content).records
    assert len(agents) == 10 and all(agent.state.known for agent in agents)


def test_percentages_on_the_other_scale_when_told():
    with Simulator(seed=9, agents=10, queues=5, percent_scale="percent") as sim:
        token = _token(sim)
        values = [m["value"] for q in _get(sim, "/queues", token, metrics="slaPercentageTarget.today").json() for m in q["metrics"]]
    assert all(value > 1 for value in values)


# --- "today" begins at midnight in the zone, not in UTC -----------------------------------------

HELSINKI = "Europe/Helsinki"
JUST_BEFORE_HELSINKI_MIDNIGHT = 1_795_989_590.0  # 2026-11-29 23:59:50 in Helsinki, 21:59:50 UTC


def test_the_day_begins_at_local_midnight_even_when_utc_is_still_on_the_day_before():
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from wallboard.sim.scenario import local_midnight

    after = JUST_BEFORE_HELSINKI_MIDNIGHT + 20  # 00:00:10 on the 30th in Helsinki; still the 29th in UTC
    assert datetime.fromtimestamp(after, ZoneInfo(HELSINKI)).isoformat() == "2026-11-30T00:00:10+02:00"
    assert datetime.fromtimestamp(local_midnight(after, ZoneInfo(HELSINKI)), timezone.utc).isoformat() == "2026-11-29T22:00:00+00:00"
    assert datetime.fromtimestamp(local_midnight(after, timezone.utc), timezone.utc).isoformat() == "2026-11-29T00:00:00+00:00"
    before = local_midnight(JUST_BEFORE_HELSINKI_MIDNIGHT, ZoneInfo(HELSINKI))
    assert datetime.fromtimestamp(before, timezone.utc).isoformat() == "2026-11-28T22:00:00+00:00"
    # a zone that skips midnight for summer time: the day begins when the clock resumes (01:00)
    santiago = ZoneInfo("America/Santiago")
    noon = datetime(2026, 9, 6, 12, tzinfo=santiago).timestamp()
    assert datetime.fromtimestamp(local_midnight(noon, santiago), santiago).isoformat() == "2026-09-06T01:00:00-03:00"


def _entered_today(sim, token: str, **params) -> int:
    """Interactions that entered any queue today, over every queue (the v5 answer, read)."""
    answer = _get(sim, "/queues", token, metrics="entered.today", **params)
    assert answer.status_code == 200
    return sum(queue.day_queued or 0 for queue in parse_queues(answer.content).records)


@pytest.mark.parametrize("zone, resets", [(HELSINKI, True), ("UTC", False)])
def test_the_v5_today_counters_reset_at_midnight_in_the_requested_zone(zone, resets):
    from tests.helpers.clocks import FakeClock

    clock = FakeClock(JUST_BEFORE_HELSINKI_MIDNIGHT)
    with Simulator(seed=9, agents=10, queues=5, cycle=5.0, phase=0.0, clock=clock) as sim:
        token = _token(sim)

        before = _entered_today(sim, token, timezone=zone)
        assert before > 10  # mid-shift: the day so far
        clock.advance(20)  # past midnight in Helsinki, not in UTC
        after = _entered_today(sim, token, timezone=zone)
    assert (after < 10) if resets else (after >= before)


def test_the_simulators_own_zone_is_todays_when_a_request_names_none():
    from tests.helpers.clocks import FakeClock

    clock = FakeClock(JUST_BEFORE_HELSINKI_MIDNIGHT)
    with Simulator(seed=9, agents=10, queues=5, cycle=5.0, phase=0.0, clock=clock, timezone=HELSINKI) as sim:
        token = _token(sim)
        before = _entered_today(sim, token)
        clock.advance(20)
        after = _entered_today(sim, token)
    assert before > 10 and after < 10
