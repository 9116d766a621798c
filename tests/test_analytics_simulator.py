"""The simulator's Work Analytics endpoints, spoken to directly over HTTP."""

import json

import httpx
import pytest

from tests.helpers.clocks import EPOCH, FakeClock
from tests.helpers.data import FIXTURES
from wallboard.sim.analytics_calls import DAY_MS, HISTORY_DAYS, AnalyticsData
from wallboard.sim.scenario import RealtimeScenario

DAY = {"pbxId": "allpbxes", "startTime": "2025-11-22 00:00:00", "endTime": "2025-11-22 23:59:59", "timeZone": "America/New_York"}


def login(sim, **form):
    body = {"username": "demo", "password": "demo", **form}
    return httpx.post(f"{sim.analytics_url}/v1/oauth/token", headers={"8x8-apikey": "demo"}, data=body, timeout=60)


def get(sim, path, token, params=None, key="demo"):
    headers = {"8x8-apikey": key, "Authorization": f"Bearer {token}"}
    return httpx.get(f"{sim.analytics_url}/{path}", params=params or DAY, headers=headers, timeout=60)


@pytest.fixture
def token(simulator):
    return login(simulator).json()["access_token"]


def test_login_answers_a_bearer_token(simulator):
    answer = login(simulator)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert (body["token_type"], body["expires_in"]) == ("bearer", 1800)
    assert body["access_token"] != login(simulator).json()["access_token"]


BAD_KEY = {"status": 400, "message": "Invalid 8x8-apikey", "code": "SHA001"}  # API-NOTES section 4
NO_USER = {"error": "invalid_grant", "error_description": "USER_NOTFOUND_ERROR"}


@pytest.mark.parametrize(
    "headers, form, status, body",
    [
        ({"8x8-apikey": "nope"}, {"username": "demo", "password": "demo"}, 400, BAD_KEY),
        ({}, {"username": "demo", "password": "demo"}, 400, BAD_KEY),
        ({"8x8-apikey": "demo"}, {"username": "demo", "password": "nope"}, 400, {"error": "invalid_grant", "error_description": "Bad credentials"}),
        ({"8x8-apikey": "demo"}, {"username": "nobody", "password": "demo"}, 400, NO_USER),
        ({"8x8-apikey": "demo"}, {}, 400, {"error": "invalid_request"}),  # no form at all
    ],
)
def test_login_refusals_are_the_vendors_400s(simulator, headers, form, status, body):
    answer = httpx.post(f"{simulator.analytics_url}/v1/oauth/token", headers=headers, data=form, timeout=60)
    assert answer.status_code == status
    assert body.items() <= answer.json().items()
    assert simulator.analytics.logins == 0


def test_login_needs_a_form(simulator):
    answer = httpx.post(f"{simulator.analytics_url}/v1/oauth/token", headers={"8x8-apikey": "demo"}, json={"username": "demo"}, timeout=60)
    assert answer.status_code == 400


def test_reports_need_the_key_and_a_live_token(simulator, token):
    assert get(simulator, "v1/compsum", token).status_code == 200
    wrong_key = get(simulator, "v1/compsum", token, key="other")
    assert wrong_key.status_code == 400 and BAD_KEY.items() <= wrong_key.json().items()
    assert get(simulator, "v1/compsum", "made-up").status_code == 401
    simulator.scenario.clock.advance(1800)
    expired = get(simulator, "v1/compsum", token)
    assert expired.status_code == 401
    assert expired.json() == {"error": "invalid_token", "error_description": "Access token expired"}


def test_token_expiry_is_configurable(simulator):
    simulator.analytics.token_expiry = 5
    token = login(simulator).json()
    assert token["expires_in"] == 5
    simulator.scenario.clock.advance(4.9)
    assert get(simulator, "v2/extsum", token["access_token"]).status_code == 200
    simulator.scenario.clock.advance(0.1)
    assert get(simulator, "v2/extsum", token["access_token"]).status_code == 401


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"pbxId": ""}, "pbxId is required"),
        ({"timeZone": "Mars/Olympus"}, "timeZone must be an IANA time zone"),
        ({"startTime": "2025-11-22"}, "startTime must be YYYY-MM-DD HH:MM:SS"),
        ({"endTime": "2025-13-01 00:00:00"}, "endTime is not a real date and time"),
        ({"endTime": "2025-11-21 00:00:00"}, "endTime must be after startTime"),
    ],
)
def test_bad_queries_are_400(simulator, token, change, reason):
    answer = get(simulator, "v2/rgsum-groups", token, {**DAY, **change})
    assert answer.status_code == 400
    body = answer.json()
    assert (body["status"], body["messages"], body["path"]) == (400, [reason], "/analytics/work/v2/rgsum-groups")


def test_a_pbx_the_user_cannot_see_is_the_vendors_403(simulator, token):
    answer = get(simulator, "v2/extsum", token, {**DAY, "pbxId": "demo-pbx,nosuchpbx"})
    assert answer.status_code == 403
    body = answer.json()
    assert set(body) == {"timestamp", "status", "messages", "path"}  # API-NOTES section 4
    assert body["messages"] == ["user [demo] does not have access to pbxId [nosuchpbx]"]


def test_page_size_defaults_to_100_and_allows_up_to_7000(simulator, token):
    params = {**DAY, "startTime": "2025-11-15 00:00:00"}
    first = get(simulator, "v2/call-legs", token, params).json()  # no pageSize: the service's default
    assert first["meta"]["totalRecordCount"] > 7000 and len(first["data"]) == 100
    assert len(get(simulator, "v2/call-legs", token, {**params, "pageSize": "7000"}).json()["data"]) == 7000
    for size in ("0", "7001", "x"):
        refused = get(simulator, "v2/call-legs", token, {**params, "pageSize": size})
        assert refused.status_code == 400 and refused.json()["messages"] == ["pageSize must be from 1 to 7000"]


def test_paged_reports_need_their_own_scroll_id(simulator, token):
    first = get(simulator, "v2/call-records", token, {**DAY, "pageSize": "5"}).json()
    scroll = first["meta"]["scrollId"]
    other_day = {**DAY, "startTime": "2025-11-21 00:00:00", "pageSize": "5", "scrollId": scroll}
    assert get(simulator, "v2/call-records", token, other_day).status_code == 400
    assert get(simulator, "v2/call-records", token, {**DAY, "pageSize": "5", "scrollId": "garbage!"}).status_code == 400
    second = get(simulator, "v2/call-records", token, {**DAY, "pageSize": "5", "scrollId": scroll}).json()
    assert second["meta"]["totalRecordCount"] == first["meta"]["totalRecordCount"]
    assert [r["callId"] for r in second["data"]] != [r["callId"] for r in first["data"]]


def test_the_end_of_a_listing_is_no_data(simulator, token):
    params = {**DAY, "startTime": "2025-11-22 03:00:00", "endTime": "2025-11-22 05:00:00", "pageSize": "1000"}
    first = get(simulator, "v2/call-legs", token, params).json()
    assert 0 < first["meta"]["totalRecordCount"] == len(first["data"])
    last = get(simulator, "v2/call-legs", token, {**params, "scrollId": first["meta"]["scrollId"]}).json()
    assert last == {"meta": {"totalRecordCount": 0, "scrollId": "No Data"}, "data": []}


def test_a_listing_stays_put_while_it_is_paged(simulator, token):
    """Later pages read the listing as it stood at the first, even as "today" grows."""
    params = {**DAY, "startTime": "2025-11-23 00:00:00", "endTime": "2025-11-23 23:59:59", "pageSize": "3"}
    first = get(simulator, "v2/call-records", token, params).json()
    simulator.scenario.clock.advance(600)
    second = get(simulator, "v2/call-records", token, {**params, "scrollId": first["meta"]["scrollId"]}).json()
    assert second["meta"]["totalRecordCount"] == first["meta"]["totalRecordCount"]
    fresh = get(simulator, "v2/call-records", token, params).json()
    assert fresh["meta"]["totalRecordCount"] > first["meta"]["totalRecordCount"]


def test_wire_shapes_follow_the_vendor(simulator, token):
    company = get(simulator, "v1/compsum", token).json()
    assert list(company[0])[:3] == ["pbxId", "inboundTotal", "outboundTotal"]
    extension = get(simulator, "v2/extsum", token).json()[0]
    assert list(extension)[:4] == ["PbxId", "Extension", "ServiceType", "FirstName"]
    assert {"Total_Missed", "Avg_Ring_Time", "Email", "UserName"} <= set(extension)
    non_users = [row for row in get(simulator, "v2/extsum", token).json() if row["Email"] == "N/A"]
    assert len(non_users) == 3 and all(row["UserName"] == "N/A" for row in non_users)  # every ninth of 30
    member = get(simulator, "v2/rgsum-members", token, {**DAY, "extId": "7002"}).json()[0]
    assert set(member) == {
        "pbxId", "site", "firstName", "lastName", "ringGroupName", "ringGroupExtension", "extension",
        "totalAnswered", "totalAdvanced", "totalTalkTime", "totalRingTime", "totalCalls", "avgRingTime",
        "avgTalkTime", "offered",
    }
    record = get(simulator, "v2/call-records", token, {**DAY, "pageSize": "1"}).json()["data"][0]
    assert record["startTime"].startswith("2025-11-22T") and record["startTime"][-5:] == "-0500"
    assert record["missed"] in ("Missed", "-") and isinstance(record["callLegCount"], str)
    assert get(simulator, "v2/rgsum-members", token).status_code == 400  # extId required


def test_company_totals_add_up_as_in_the_vendor_example(simulator, token):
    seed = {"inboundTotal": 2252, "outboundTotal": 750, "totalExtToExt": 213, "totalCall": 3215}  # company-summary.txt
    assert seed["inboundTotal"] + seed["outboundTotal"] + seed["totalExtToExt"] == seed["totalCall"]
    rows = get(simulator, "v1/compsum", token).json()
    assert sum(row["totalExtToExt"] for row in rows) > 0 and all(row["inboundTotal"] > 0 for row in rows)
    for row in rows:
        assert row["inboundTotal"] + row["outboundTotal"] + row["totalExtToExt"] == row["totalCall"]
        answered = row["inboundAnswered"] + row["outboundAnswered"] + row["totalExtToExtAnswered"]
        assert answered == row["totalAnswered"]


def test_faults_target_analytics_and_token(simulator, token):
    simulator.faults = "503=1@analytics"
    assert get(simulator, "v1/compsum", token).status_code == 503
    assert login(simulator).status_code == 200
    simulator.faults = "401=1@token"
    assert login(simulator).status_code == 401
    assert login(simulator).json() == {"error": "injected"}


def test_the_tenant_went_live_a_while_ago():
    scenario = RealtimeScenario(7, 30, 6, clock=FakeClock(), phase=0.0)
    data = AnalyticsData(scenario)
    now = int(EPOCH * 1000)
    day = now // DAY_MS
    assert data.calls((day - HISTORY_DAYS - 5) * DAY_MS, (day - HISTORY_DAYS) * DAY_MS - 1, now) == []
    recent = data.calls((day - 1) * DAY_MS, day * DAY_MS - 1, now)
    assert len(recent) > 300
    assert all(call.end_ms <= now for call in data.calls(day * DAY_MS, now, now))


def test_agents_and_queues_become_extensions_and_ring_groups():
    scenario = RealtimeScenario(7, 30, 6, clock=FakeClock(), phase=0.0)
    data = AnalyticsData(scenario)
    assert [e.name for e in data.extensions] == [agent.name for agent in scenario.agents]
    assert [g.name for g in data.ring_groups] == [queue.name for queue in scenario.queues]
    assert [g.pbx for g in data.ring_groups] == ["demo-pbx", "demo-pbx", "demo-pbx2", "demo-pbx", "demo-pbx", "demo-pbx2"]
    for group in data.ring_groups:
        assert group.members == tuple(agent.index for agent in scenario.agents if group.index in agent.queues)


def test_simulate_prints_the_analytics_credentials():
    import re
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "wallboard", "simulate", "--port", "0", "--agents", "3", "--queues", "1", "--token-expiry", "90"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [process.stdout.readline() for _ in range(3)]
        url = re.search(r"work analytics: (http://\S+)", lines[2]).group(1)
        answer = httpx.post(f"{url}/v1/oauth/token", headers={"8x8-apikey": "demo"}, data={"username": "demo", "password": "demo"}, timeout=60)
    finally:
        process.terminate()
        process.wait(timeout=60)
    assert "(API key 'demo', user 'demo', password 'demo'; tokens live 90s)" in lines[2]
    assert answer.json()["expires_in"] == 90


# --- filters, the PBX list, listings that end early (issue 13) ----------------------------------


def test_calls_are_filtered_by_extension_as_the_service_documents(simulator, token):
    day = {**DAY, "pageSize": "7000"}
    everything = get(simulator, "v2/call-records", token, day).json()["data"]
    placed = get(simulator, "v2/call-records", token, {**day, "caller": "1003"}).json()["data"]
    called = get(simulator, "v2/call-records", token, {**day, "callee": "1003"}).json()["data"]
    either = get(simulator, "v2/call-records", token, {**day, "callerOrCallee": "1003,1004"}).json()
    assert placed and all(record["caller"] == "1003" for record in placed)
    assert called and all("1003" in (record["callee"], record["lra"]) for record in called)
    assert either["meta"]["totalRecordCount"] == len(either["data"]) == sum(
        1 for record in everything if {"1003", "1004"} & {record["caller"], record["callee"], record["lra"]}
    )
    outside = next(record["caller"] for record in everything if record["caller"].startswith("+"))
    assert get(simulator, "v2/call-records", token, {**day, "caller": outside}).json()["data"] == [], "extensions only"
    too_many = get(simulator, "v2/call-legs", token, {**day, "callerOrCallee": ",".join(str(n) for n in range(126))})
    assert too_many.status_code == 400 and too_many.json()["messages"] == ["callerOrCallee takes at most 125 values"]


def test_a_call_that_ends_in_voicemail_names_its_owner(simulator, token):
    records = get(simulator, "v2/call-records", token, {**DAY, "pageSize": "7000"}).json()["data"]
    voicemail = [record for record in records if record["lastLegDisposition"] == "Voicemail"]
    assert voicemail and all(record["callee"] == f"Voicemail ({record['lra']})" for record in voicemail)
    vendor = json.loads((FIXTURES / "vendor_call_records.json").read_text())["data"][0]
    assert list(records[0]) == [*vendor][:15] + ["lra"] + [*vendor][15:], "the vendor's fields in its order, and lra"
    legs = get(simulator, "v2/call-legs", token, {**DAY, "pageSize": "1"}).json()["data"]
    assert list(legs[0]) == list(json.loads((FIXTURES / "vendor_call_legs.json").read_text())["data"][0])


def test_the_pbx_list_is_paged_the_hal_way(simulator, token):
    first = get(simulator, "v2/pbxes/", token, {"size": "1"}).json()
    assert [pbx["name"] for pbx in first["_embedded"]["pbxList"]] == ["demo-pbx"]
    assert first["page"] == {"size": 1, "totalElements": 2, "totalPages": 2, "number": 0}
    assert set(first["_links"]) == {"self", "first", "last", "next"}
    second = get(simulator, "v2/pbxes", token, {"page": "1", "size": "1"}).json()
    assert [pbx["name"] for pbx in second["_embedded"]["pbxList"]] == ["demo-pbx2"] and "prev" in second["_links"]
    assert get(simulator, "v2/pbxes", token, {"size": "101"}).status_code == 400
    assert get(simulator, "v2/pbxes", "made-up", {}).status_code == 401


@pytest.mark.parametrize("mode", ["short", "hiccup"])
def test_a_listing_can_end_early_or_pause_once(simulator, token, mode):
    simulator.analytics.scroll_mode, simulator.analytics.short_after = mode, 5
    params = {**DAY, "pageSize": "5"}
    first = get(simulator, "v2/call-records", token, params).json()
    second = get(simulator, "v2/call-records", token, {**params, "scrollId": first["meta"]["scrollId"]}).json()
    assert second["data"] == [] and second["meta"]["scrollId"] != "No Data", "a real page id, before the total"
    again = get(simulator, "v2/call-records", token, {**params, "scrollId": first["meta"]["scrollId"]}).json()
    assert (again["data"] == []) == (mode == "short")
