"""The Work Analytics client against the simulator over real loopback HTTP."""

import math

import pytest

from tests.helpers.analytics import FAST, PATIENT, Sleeps, client_for, window, yesterday
from tests.helpers.clocks import EPOCH, FakeClock
from wallboard.clients import analytics as analytics_client
from wallboard.clients.analytics import API_KEY_REFUSED, LOGIN_REFUSED, PBX_REFUSED, TOKEN_REFUSED, USER_REFUSED, AnalyticsClient
from wallboard.clients.http import Timeouts
from wallboard.core.model.analytics import (
    CALL_LEGS,
    CALL_RECORDS,
    COMPANY,
    EXTENSIONS,
    RING_GROUP_MEMBERS,
    RING_GROUPS,
    parties,
    select_extension,
)
from wallboard.errors import (
    ApiTimeoutError,
    AuthError,
    BadPayloadError,
    EndlessPagingError,
    InsecureUrlError,
    PbxRefusedError,
    RateLimitedError,
    ServerBusyError,
    ServerError,
)
from wallboard.sim.server import Response, SimServer
from wallboard.sim.simulator import Simulator

# --- every report --------------------------------------------------------------------------


async def test_every_summary_agrees_with_the_scenario_and_the_call_records(simulator):
    agents = {1001 + agent.index: agent for agent in simulator.scenario.agents}
    async with client_for(simulator) as client:
        company = (await client.fetch_report(yesterday("company"))).records
        extensions = (await client.fetch_report(yesterday("extensions"))).records
        groups = (await client.fetch_report(yesterday("ring-groups"))).records
        records = (await client.fetch_report(yesterday("call-records"))).records
    assert [row.pbx_id for row in company] == ["demo-pbx", "demo-pbx2"]
    assert sum(row.total_calls for row in company) == len(records) > 300
    assert sum(row.total_answered for row in company) == sum(1 for record in records if record.answered)
    assert [(int(row.extension), row.name) for row in extensions] == [(number, agent.name) for number, agent in agents.items()]
    assert [group.name for group in groups] == [queue.name for queue in simulator.scenario.queues]
    assert [group.extension for group in groups] == ["7001", "7002", "7003", "7004", "7005", "7006"]
    inbound = [record for record in records if record.direction == "Incoming"]
    assert sum(group.total_calls for group in groups) == len(inbound)
    assert sum(group.total_calls_to_vm for group in groups) == sum(1 for record in inbound if record.result == "Voicemail")
    assert sum(row.external_inbound_answered for row in extensions) == sum(group.total_answered for group in groups)


async def test_ring_group_members_drill_down(simulator):
    async with client_for(simulator) as client:
        group = next(g for g in (await client.ring_groups(yesterday("ring-groups"))).records if g.extension == "7001")
        members = (await client.ring_group_members(yesterday("ring-groups"), "7001")).records
        nobody = (await client.ring_group_members(yesterday("ring-groups"), "9999")).records
    serving = [str(1001 + agent.index) for agent in simulator.scenario.agents if 0 in agent.queues]
    assert [member.extension for member in members] == serving
    assert {member.ring_group_name for member in members} == {group.name}
    assert group.total_members == len(members)
    # every ring of the group's calls is one member's offered call
    assert sum(member.offered for member in members) == group.total_advanced + group.total_answered + group.total_abandoned
    assert sum(member.total_answered for member in members) == group.total_answered
    assert sum(member.total_talk_time for member in members) == group.total_talk_time
    assert nobody == ()


async def test_call_legs_simplified_and_by_connect_time(simulator):
    query = window("call-legs", "2025-11-22 10:00:00", "2025-11-22 12:00:00")
    async with client_for(simulator) as client:
        legs = (await client.fetch_report(query)).records
        simple = (await client.fetch_report(query, simplified=True)).records
        connected = (await client.fetch_report(query, connect_time=True)).records
    assert len(legs) > len(simple) > 0
    assert all(leg.parent_call_id == "" for leg in simple)
    assert {leg.parent_call_id for leg in legs} - {""}  # child legs exist
    assert all(leg.connect_time is not None for leg in connected)
    headers = simulator.server.last_headers["analytics"]
    assert headers["8x8-apikey"] == "demo"


async def test_extension_filter(simulator):
    async with client_for(simulator) as client:
        everything = (await client.fetch_report(yesterday("call-records"))).records
        mine = (await client.fetch_report(yesterday("call-records", ext="1003"))).records
        extension = (await client.fetch_report(yesterday("extensions", ext="1003"))).records
    assert mine == tuple(record for record in everything if "1003" in (record.caller, record.callee, record.lra))
    assert 0 < len(mine) < len(everything)
    assert [row.extension for row in extension] == ["1003"]


async def test_filtering_by_pbx(simulator):
    async with client_for(simulator) as client:
        groups = (await client.fetch_report(yesterday("ring-groups", pbx="demo-pbx2"))).records
        records = (await client.fetch_report(yesterday("call-records", pbx="demo-pbx2"))).records
    assert [group.name for group in groups] == [simulator.scenario.queues[2].name, simulator.scenario.queues[5].name]
    assert {record.pbx_id for record in records} == {"demo-pbx2"}


async def test_same_seed_same_figures_in_another_simulator(simulator):
    async with client_for(simulator) as client:
        first = (await client.fetch_report(yesterday("extensions"))).records
    with Simulator(seed=7, agents=30, queues=6, clock=FakeClock(EPOCH + 3600), phase=0.0) as other:
        async with client_for(other) as client:
            again = (await client.fetch_report(yesterday("extensions"))).records
    assert again == first


async def test_older_than_two_years_is_empty_at_the_server(simulator):
    """The client refuses such ranges; the simulator still behaves like the service."""
    query = window("company", "2025-11-22 00:00:00", "2025-11-22 01:00:00")
    async with client_for(simulator) as client:
        simulator.scenario.clock.advance(3 * 365 * 86400)
        try:
            assert (await client.fetch_report(query)).records == ()
        finally:
            simulator.scenario.clock.advance(-3 * 365 * 86400)


async def test_hostile_names_arrive_clean(clock):
    with Simulator(seed=7, agents=12, queues=3, clock=clock, phase=0.0, hostile=True) as sim:
        async with client_for(sim) as client:
            extensions = (await client.fetch_report(yesterday("extensions"))).records
            groups = (await client.fetch_report(yesterday("ring-groups"))).records
    names = [row.name for row in extensions] + [group.name for group in groups]
    assert not any(ch in name for name in names for ch in "\x1b\x07\x9b\u202e")
    assert extensions[0].name == "[b red]Mallory[/]"  # markup stays literal text
    assert extensions[1].first_name == "Eve"  # the OSC title sequence is gone
    assert groups[-1].name == "[reverse]Fraud[/] Queue"
    assert max(len(row.first_name) for row in extensions) == 256  # "Verylonglong..." cut with an ellipsis


# --- paging --------------------------------------------------------------------------------


async def test_paging_through_more_than_two_pages_to_no_data(simulator):
    query = window("call-records", "2025-11-22 09:00:00", "2025-11-22 11:00:00")
    seen = []
    async with client_for(simulator, page_size=10) as client:
        report = await client.fetch_report(query, progress=seen.append)
    total = report.total
    assert total > 20
    pages = math.ceil(total / 10) + 1  # the last page says "No Data"
    assert report.pages == pages
    assert len(report.records) == total
    assert len({record.call_id for record in report.records}) == total
    starts = [record.start_time for record in report.records]
    assert starts == sorted(starts)
    assert simulator.analytics.reports["call-records"] == pages
    assert [p.pages for p in seen] == list(range(1, pages + 1))
    assert [p.records for p in seen] == [min(10 * n, total) for n in range(1, pages + 1)]
    assert {p.total for p in seen} == {total}
    assert [p.done for p in seen] == [False] * (pages - 1) + [True]
    assert {(p.page_size, p.total_pages) for p in seen} == {(10, pages)}


async def test_pages_can_be_read_on_demand_and_abandoned(simulator):
    query = window("call-records", "2025-11-22 09:00:00", "2025-11-22 11:00:00")
    async with client_for(simulator, page_size=10) as client:
        pages = client.pages(query)
        first = await pages.__anext__()
        second = await pages.__anext__()
        await pages.aclose()
    assert len(first.records) == len(second.records) == 10
    assert first.records[0].call_id != second.records[0].call_id
    assert simulator.analytics.reports["call-records"] == 2


async def test_a_server_that_never_ends_is_stopped(simulator):
    simulator.analytics.scroll_mode = "endless"
    query = window("call-records", "2025-11-22 09:00:00", "2025-11-22 11:00:00")
    async with client_for(simulator, page_size=10, max_pages=5) as client:
        with pytest.raises(EndlessPagingError) as caught:
            await client.fetch_report(query)
    assert simulator.analytics.reports["call-records"] == 5
    total = await _count(simulator, query)
    assert str(caught.value) == (
        f"Work Analytics was still sending call records after 5 pages (50 records; it announced {total}): "
        "stopped; ask for a shorter range"
    )


async def _count(simulator, query):
    simulator.analytics.scroll_mode = "normal"
    async with client_for(simulator) as client:
        return (await client.fetch_report(query)).total


async def test_a_repeated_page_id_is_stopped(simulator):
    simulator.analytics.scroll_mode = "stuck"
    async with client_for(simulator, page_size=10) as client:
        with pytest.raises(EndlessPagingError, match=r"^Work Analytics sent the same page id twice for call legs \(page 2\)"):
            await client.fetch_report(window("call-legs", "2025-11-22 09:00:00", "2025-11-22 11:00:00"))
    assert simulator.analytics.reports["call-legs"] == 2


async def test_a_fetch_can_be_cancelled_and_the_client_used_again(simulator):
    """Escape in the Historical tab cancels the worker running the fetch."""
    import asyncio

    simulator.faults = "slow=1@analytics,slow-seconds=5"
    seen = []
    async with AnalyticsClient(simulator.analytics_url, "demo", "demo", "demo", timeouts=Timeouts(1.0, 10.0, 10.0)) as client:
        task = asyncio.create_task(client.fetch_report(yesterday("call-records"), progress=seen.append))
        while simulator.requests["analytics"] == 0:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert seen == []
        simulator.faults = None
        assert len((await client.fetch_report(yesterday("company"))).records) == 2
    assert simulator.analytics.logins == 1


# --- tokens --------------------------------------------------------------------------------


async def test_token_is_reused_then_renewed_ahead_of_expiry():
    sim_clock, client_clock = FakeClock(EPOCH), FakeClock(1000.0)
    with Simulator(seed=7, agents=10, queues=2, clock=sim_clock, phase=0.0, token_expiry=600) as sim:
        async with client_for(sim, clock=client_clock) as client:
            query = yesterday("company")
            await client.fetch_report(query)
            for seconds in (300, 239):  # 539 s: still inside 600 - 60
                sim_clock.advance(seconds)
                client_clock.advance(seconds)
                await client.fetch_report(query)
            assert sim.analytics.logins == 1
            sim_clock.advance(2)
            client_clock.advance(2)  # 541 s: renewed before the server would refuse it
            await client.fetch_report(query)
            assert sim.analytics.logins == 2
            sim_clock.advance(700)
            client_clock.advance(700)  # well past the first token's life
            await client.fetch_report(query)
        assert sim.analytics.logins == 3
        assert sim.requests["token"] == 3
        assert sim.requests["analytics"] == 5  # never a 401 and a retry


async def test_a_401_logs_in_once_more_and_retries_once(simulator):
    async with client_for(simulator) as client:
        await client.fetch_report(yesterday("company"))
        simulator.scenario.clock.advance(1801)  # the server's clock: the token died early
        report = await client.fetch_report(yesterday("company"))
    assert len(report.records) == 2
    assert simulator.analytics.logins == 2
    assert simulator.requests["analytics"] == 3


async def test_a_second_401_is_a_clear_failure(simulator):
    simulator.faults = "401=1@analytics"
    async with client_for(simulator) as client:
        with pytest.raises(AuthError) as caught:
            await client.fetch_report(yesterday("extensions"))
    assert str(caught.value) == TOKEN_REFUSED
    assert caught.value.retryable is False
    assert simulator.analytics.logins == 2
    assert simulator.requests["analytics"] == 2


@pytest.mark.parametrize(
    "key, user, password, expected",
    [
        ("demo", "demo", "hunter2", USER_REFUSED.format(user="demo") + ' (HTTP 400; the server said: "Bad credentials" (invalid_grant))'),
        ("wrong-key", "demo", "demo", API_KEY_REFUSED + ' (HTTP 400; the server said: "Invalid 8x8-apikey" (SHA001))'),
        ("demo", "someone", "demo", USER_REFUSED.format(user="someone") + ' (HTTP 400; the server said: "USER_NOTFOUND_ERROR" (invalid_grant))'),
    ],
)
async def test_refused_login(simulator, key, user, password, expected):
    """The simulator answers with the vendor's documented bodies; each gets its own advice."""
    async with client_for(simulator, key=key, user=user, password=password) as client:
        with pytest.raises(AuthError) as caught:
            await client.fetch_report(yesterday("company"))
    message = str(caught.value)
    assert message == expected
    assert "hunter2" not in message and "wrong-key" not in message
    assert simulator.requests["token"] == 1 and simulator.requests["analytics"] == 0


@pytest.mark.parametrize("fault", ["400", "403"])
async def test_a_login_refused_with_other_codes(simulator, fault):
    simulator.faults = f"{fault}=1@token"
    async with client_for(simulator) as client:
        with pytest.raises(AuthError, match=rf"^Work Analytics refused the API key, user name or password: .* \(HTTP {fault}\)$"):
            await client.login()


async def test_the_login_sends_the_key_and_a_form(simulator):
    async with client_for(simulator) as client:
        await client.fetch_report(yesterday("company"))
    token_headers = simulator.server.last_headers["token"]
    assert token_headers["8x8-apikey"] == "demo"
    assert token_headers["content-type"] == "application/x-www-form-urlencoded"
    report_headers = simulator.server.last_headers["analytics"]
    assert report_headers["authorization"].startswith("Bearer simtoken.")
    assert report_headers["8x8-apikey"] == "demo"


def test_secrets_do_not_show():
    client = AnalyticsClient("https://api.8x8.com/analytics/work", "key-s3cret", "someone", "pass-s3cret")
    shown = repr(client) + str(client) + repr(vars(client) if hasattr(client, "__dict__") else "")
    assert "s3cret" not in shown
    assert "someone" in repr(client)


def test_plain_http_to_a_remote_host_is_refused():
    with pytest.raises(InsecureUrlError, match=r"^analytics.url: plain http:// is refused for api.8x8.com"):
        AnalyticsClient("http://api.8x8.com/analytics/work", "k", "u", "p")


# --- faults --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault, error_type, waits",
    [("503", ServerBusyError, [7.0, 7.0]), ("429", RateLimitedError, [7.0, 7.0]), ("500", ServerError, [1.0, 3.0])],
)
async def test_transient_faults_are_retried_a_little_then_reported(simulator, fault, error_type, waits):
    simulator.faults = f"{fault}=1@analytics,retry-after=7"
    sleep = Sleeps()
    async with client_for(simulator, sleep=sleep) as client:
        with pytest.raises(error_type) as caught:
            await client.fetch_report(yesterday("ring-groups"))
    message = str(caught.value)
    assert f"(HTTP {fault})" in message
    assert message.endswith("; gave up after 3 attempts")
    assert "retrying" not in message
    assert sleep.waits == waits
    assert simulator.requests["analytics"] == 3


async def test_a_transient_fault_that_clears_is_not_noticed(simulator):
    simulator.faults = "503=1@analytics,retry-after=2"
    sleep = Sleeps(then=lambda: setattr(simulator, "faults", None))
    async with client_for(simulator, sleep=sleep) as client:
        report = await client.fetch_report(yesterday("company"))
    assert len(report.records) == 2
    assert sleep.waits == [2.0]
    assert simulator.requests["analytics"] == 2


async def test_a_timeout_is_not_retried(simulator):
    simulator.faults = "slow=1@analytics,slow-seconds=4"
    sleep = Sleeps()
    async with client_for(simulator, sleep=sleep, timeouts=FAST) as client:
        with pytest.raises(ApiTimeoutError) as caught:
            await client.fetch_report(yesterday("company"))
    assert str(caught.value) == (
        f"no answer for the company summary from 127.0.0.1:{simulator.server.port} within 2s; "
        "try again later or ask for a shorter range"
    )
    assert sleep.waits == []
    assert simulator.requests["analytics"] == 1


async def test_retry_after_is_capped(simulator):
    simulator.faults = "503=1@token,retry-after=3600"
    sleep = Sleeps()
    async with client_for(simulator, sleep=sleep, retries=1) as client:
        with pytest.raises(ServerBusyError, match="gave up after 2 attempts$"):
            await client.login()
    assert sleep.waits == [30.0]


@pytest.mark.parametrize("fault, fragment", [("garbage", "not valid JSON"), ("empty", "empty response"), ("truncate", "not valid JSON")])
async def test_unreadable_answers_are_not_retried(simulator, fault, fragment):
    simulator.faults = f"{fault}=1@analytics"
    sleep = Sleeps()
    async with client_for(simulator, sleep=sleep) as client:
        with pytest.raises(BadPayloadError) as caught:
            await client.fetch_report(yesterday("extensions"))
    assert str(caught.value).startswith(f"the answer for the extension summary from 127.0.0.1:{simulator.server.port} could not be read")
    assert fragment in str(caught.value)
    assert sleep.waits == []
    assert simulator.requests["analytics"] == 1


async def test_an_unreadable_page_names_its_page(simulator):
    simulator.faults = "garbage=1@analytics"
    async with client_for(simulator) as client:
        with pytest.raises(BadPayloadError, match=r"^the answer for call records \(page 1\) from .* could not be read"):
            await client.fetch_report(yesterday("call-records"))


async def test_an_unreadable_token_answer(simulator):
    simulator.faults = "garbage=1@token"
    async with client_for(simulator) as client:
        with pytest.raises(BadPayloadError, match="could not be read: it is not JSON$"):
            await client.login()


async def test_kinds_and_methods_must_match(simulator):
    async with client_for(simulator) as client:
        with pytest.raises(ValueError, match="paged"):
            await client.summary(yesterday("call-records"))
        with pytest.raises(ValueError, match="not paged"):
            await client.pages(yesterday("company")).__anext__()


def test_query_kinds_cover_every_report_path():
    from wallboard.clients.analytics import REPORT_PATHS

    assert set(REPORT_PATHS) == {kind.name for kind in (COMPANY, EXTENSIONS, RING_GROUPS, RING_GROUP_MEMBERS, CALL_RECORDS, CALL_LEGS)}


# --- the service filters an extension's calls (issue 13 #6) ---------------------------------


async def test_the_service_filters_an_extensions_calls_and_the_local_check_stays(simulator):
    async with client_for(simulator) as client:
        everything = await client.fetch_report(yesterday("call-records"))
        asked = simulator.analytics.reports["call-records"]
        mine = await client.fetch_report(yesterday("call-records", ext="1003"))
        legs = await client.fetch_report(yesterday("call-legs", ext="1003,1004"))
    assert mine.records == select_extension(everything.records, "1003") and 0 < len(mine.records) < len(everything.records)
    assert mine.total == len(mine.records), "the service announced 1003's calls only"
    assert simulator.analytics.reports["call-records"] - asked == 2, "one page and the end, not every call of the day"
    assert legs.total == len(legs.records) > 0
    assert all({"1003", "1004"} & parties(leg) for leg in legs.records)


async def test_an_outside_number_is_filtered_here_only(simulator):
    async with client_for(simulator) as client:
        everything = (await client.fetch_report(yesterday("call-records"))).records
        number = next(record.caller for record in everything if record.caller.startswith("+"))
        theirs = await client.fetch_report(yesterday("call-records", ext=number))
    assert theirs.total == len(everything), "not sent to the service, which filters extensions only"
    assert theirs.records and all(record.caller == number for record in theirs.records)


async def test_calls_that_end_in_voicemail_are_the_extensions_calls(simulator):
    """Issue 13 #5: the callee reads ``Voicemail (1007)``; ``lra`` names the extension."""
    async with client_for(simulator) as client:
        everything = (await client.fetch_report(yesterday("call-records"))).records
        voicemail = next(r for r in everything if r.direction == "Internal" and r.result == "Voicemail")
        owner = voicemail.lra
        assert voicemail.callee == f"Voicemail ({owner})"
        theirs = (await client.fetch_report(yesterday("call-records", ext=owner))).records
    assert voicemail in theirs
    legs = [leg for leg in (await _legs(simulator, owner)) if leg.call_id != voicemail.call_id]
    assert all(leg.lra_type in ("1", "4") for leg in legs)


async def _legs(simulator, ext):
    async with client_for(simulator) as client:
        return (await client.fetch_report(yesterday("call-legs", ext=ext))).records


# --- page size (issue 13 #7) -----------------------------------------------------------------


async def test_pages_hold_a_thousand_records_by_default(simulator):
    query = window("call-legs", "2025-11-20 00:00:00", "2025-11-22 23:59:59")
    async with client_for(simulator) as client:
        assert client.page_size == 1000
        report = await client.fetch_report(query)
    assert report.total > 2000
    assert report.pages == -(-report.total // 1000) + 1
    with pytest.raises(ValueError, match="page_size must be 1 to 7000"):
        client_for(simulator, page_size=7001)


# --- a listing that ends short (issue 13 #11) -------------------------------------------------


async def test_a_listing_that_stops_early_is_asked_once_more_then_noted(simulator):
    simulator.analytics.scroll_mode = "short"
    simulator.analytics.short_after = 30
    seen = []
    async with client_for(simulator, page_size=10) as client:
        report = await client.fetch_report(yesterday("call-records"), progress=seen.append)
    assert len(report.records) == 30 and report.total > 30
    assert report.notes == (f"30 of {report.total:,} records: the service stopped early",)
    assert simulator.analytics.reports["call-records"] == 5, "three pages, the empty one, and it once more"
    assert seen[-1].done and seen[-1].note == report.notes[0]


async def test_an_empty_page_that_was_a_hiccup_is_read_again_and_the_listing_goes_on(simulator):
    simulator.analytics.scroll_mode = "hiccup"
    simulator.analytics.short_after = 30
    async with client_for(simulator, page_size=10) as client:
        report = await client.fetch_report(yesterday("call-records"))
    assert len(report.records) == report.total > 30
    assert report.notes == ()


# --- refusals explained (issue 13 #8) ---------------------------------------------------------


async def test_a_pbx_the_user_cannot_see_is_named_with_those_that_exist(simulator):
    async with client_for(simulator) as client:
        with pytest.raises(PbxRefusedError) as before:
            await client.fetch_report(yesterday("company", pbx="nosuchpbx"))
        assert [pbx.name for pbx in await client.pbxes()] == ["demo-pbx", "demo-pbx2"]
        with pytest.raises(PbxRefusedError) as after:
            await client.fetch_report(yesterday("company", pbx="nosuchpbx"))
    said = ' (HTTP 403; the server said: "user [demo] does not have access to pbxId [nosuchpbx]")'
    assert str(before.value) == PBX_REFUSED.format(pbx="nosuchpbx", known="") + said
    assert str(after.value) == PBX_REFUSED.format(pbx="nosuchpbx", known="; PBXs this user can see: demo-pbx, demo-pbx2") + said
    assert before.value.retryable is False


async def test_a_key_refused_on_a_report_points_at_the_key(simulator):
    async with client_for(simulator) as client:
        await client.login()
        simulator.analytics.api_key = "rotated"
        with pytest.raises(AuthError) as caught:
            await client.fetch_report(yesterday("company"))
    assert str(caught.value) == API_KEY_REFUSED + ' (HTTP 400; the server said: "Invalid 8x8-apikey" (SHA001))'


async def test_a_refusal_without_a_known_code_keeps_the_general_advice(simulator):
    simulator.faults = "401=1@token"
    async with client_for(simulator) as client:
        with pytest.raises(AuthError) as caught:
            await client.login()
    assert str(caught.value) == f"{LOGIN_REFUSED} (HTTP 401)"


async def test_a_server_echoing_our_secret_never_shows_it():
    server = SimServer()
    server.add_route(
        "POST", r"/w/v1/oauth/token", "token",
        lambda request: Response(400, b'{"error":"invalid_grant","error_description":"password hunter2-s3cret-pw wrong"}'),
    )
    with server:
        async with AnalyticsClient(f"{server.url}/w", "k", "someone", "hunter2-s3cret-pw", timeouts=PATIENT) as client:
            with pytest.raises(AuthError) as caught:
                await client.login()
    assert "hunter2" not in str(caught.value) and str(caught.value).endswith('the server said: "password … wrong" (invalid_grant))')


# --- the PBX list (issue 13 #12) ---------------------------------------------------------------


async def test_the_pbx_list_is_read_page_by_page_once(simulator, monkeypatch):
    monkeypatch.setattr(analytics_client, "PBX_PAGE_SIZE", 1)
    async with client_for(simulator) as client:
        assert client.known_pbxes is None
        first = await client.pbxes()
        again = await client.pbxes()
    assert [pbx.name for pbx in first] == ["demo-pbx", "demo-pbx2"] and again is first
    assert all(len(pbx.id) == 22 and not pbx.deleted for pbx in first)
    assert simulator.requests["pbxes"] == 2, "two pages of one, then cached"
