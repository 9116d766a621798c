"""The v5 client against the simulator over real loopback HTTP (and, for the paging edges
no healthy server shows, against scripted answers)."""

from __future__ import annotations

import json

import httpx
import pytest

from wallboard.clients.ccrealtime import CcRealtimeClient
from wallboard.core.wire.ccrealtime import QUEUE_METRIC_KEYS
from wallboard.errors import AuthError, BadPayloadError, BadRequestError
from wallboard.sim.simulator import Simulator


@pytest.fixture
def sim():
    with Simulator(seed=5, agents=12, queues=8, cycle=5.0) as simulator:
        yield simulator


async def test_logs_in_once_and_reuses_the_token(sim):
    async with CcRealtimeClient(sim.cc_realtime_url, "demo", "demo") as client:
        queues = await client.queues()
        agents = await client.agents()
        await client.queues()
    assert len(queues.result.records) == 8 and len(agents.result.records) == 12
    assert sim.cc_realtime.logins == 1 and sim.requests["cc-token"] == 1


async def test_renews_the_token_shortly_before_it_expires(sim):
    now = [0.0]
    async with CcRealtimeClient(sim.cc_realtime_url, "demo", "demo", clock=lambda: now[0]) as client:
        await client.queues()
        now[0] = 1799 - 61  # within a minute of expires_in ("1799", a string)
        await client.queues()
        assert sim.cc_realtime.logins == 1
        now[0] = 1799 - 59
        await client.queues()
    assert sim.cc_realtime.logins == 2


async def test_a_token_refused_with_401_earns_one_new_login(sim):
    async with CcRealtimeClient(sim.cc_realtime_url, "demo", "demo") as client:
        await client.queues()
        sim.cc_realtime.expire_tokens()
        fetched = await client.queues()
    assert len(fetched.result.records) == 8 and sim.cc_realtime.logins == 2


async def test_a_data_endpoint_that_keeps_refusing_is_an_auth_error_after_one_retry(sim):
    sim.faults = "401=1@cc-queues"
    async with CcRealtimeClient(sim.cc_realtime_url, "demo", "demo") as client:
        with pytest.raises(AuthError) as caught:
            await client.queues()
    assert sim.cc_realtime.logins == 2 and sim.requests["cc-queues"] == 2
    assert "refused the access token even after logging in again" in str(caught.value)


async def test_refused_key_or_secret_says_which_secrets_to_set_and_never_shows_them(sim):
    async with CcRealtimeClient(sim.cc_realtime_url, "demo", "Wrong-Secret-123") as client:
        with pytest.raises(AuthError) as caught:
            await client.queues()
    message = str(caught.value)
    assert "cc-api-key" in message and "cc-api-secret" in message
    assert "Wrong-Secret-123" not in message and "Client credentials are invalid" in message


async def test_pages_are_read_to_the_last_with_the_x_page_headers(sim):
    async with CcRealtimeClient(sim.cc_realtime_url, "demo", "demo", page_size=3) as client:
        fetched = await client.queues()
    assert len(fetched.result.records) == 8 and len({q.queue_id for q in fetched.result.records}) == 8
    assert sim.requests["cc-queues"] == 3  # 3 + 3 + 2


async def test_the_servers_message_is_shown_and_tenant_info_advice_given():
    with Simulator(seed=5, agents=4, queues=2, tenant_info="acme") as sim:
        async with CcRealtimeClient(sim.cc_realtime_url, "demo", "demo") as client:
            with pytest.raises(BadRequestError) as caught:
                await client.queues()
        assert "X-Tenant-Info header is missing" in str(caught.value) and "tenant_info" in str(caught.value)
        async with CcRealtimeClient(sim.cc_realtime_url, "demo", "demo", tenant_info="acme") as client:
            assert len((await client.queues()).result.records) == 2
        async with CcRealtimeClient(sim.cc_realtime_url, "demo", "demo", tenant_info="other") as client:
            with pytest.raises(BadRequestError, match="Invalid value for X-Tenant-Info"):
                await client.queues()


async def test_a_bad_timezone_is_the_servers_400_with_its_words(sim):
    async with CcRealtimeClient(sim.cc_realtime_url, "demo", "demo", timezone="Mars/Olympus") as client:
        with pytest.raises(BadRequestError, match="Invalid value for timezone"):
            await client.queues()


# --- scripted answers: what the request carries, and the paging edges ----------------------


def _record(i: int) -> dict:
    return {"id": str(i), "name": f"Q{i}", "metrics": [{"key": "entered.today", "value": i}]}


def _scripted(pages: dict[int, tuple[int, list, dict]], seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/oauth/v2/token"):
            return httpx.Response(200, stream=httpx.ByteStream(b'{"access_token":"tok","expires_in":"1799"}'))
        page = int(request.url.params.get("page", "0"))
        status, body, headers = pages.get(page, (400, {"message": "Bad request: Field 'page' must be greater than or equal to 0 and less than the total number of pages, which is 1 for this request"}, {}))
        return httpx.Response(status, stream=httpx.ByteStream(json.dumps(body).encode()), headers=headers)

    return httpx.MockTransport(handle)  # streamed bodies: the client reads them as it reads a socket


def _client(transport: httpx.MockTransport, size: int = 2) -> CcRealtimeClient:
    return CcRealtimeClient("https://api.8x8.com/analytics/cc/v5/realtime-metrics", "k", "s", page_size=size, transport=transport, timezone="Europe/Helsinki")


async def test_the_request_asks_only_for_the_metrics_shown_with_bearer_and_timezone():
    seen: list[httpx.Request] = []
    async with _client(_scripted({0: (200, [_record(1)], {"X-Total-Pages": "1"})}, seen)) as client:
        await client.queues()
    login, data = seen
    assert login.method == "POST" and login.headers["authorization"].startswith("Basic ")
    assert login.content == b"grant_type=client_credentials"
    assert data.headers["authorization"] == "Bearer tok"
    assert data.url.params["metrics"].split(",") == list(QUEUE_METRIC_KEYS)
    assert data.url.params["timezone"] == "Europe/Helsinki" and data.url.params["page"] == "0"


async def test_without_page_headers_a_short_page_is_the_last():
    seen: list[httpx.Request] = []
    pages = {0: (200, [_record(1), _record(2)], {}), 1: (200, [_record(3)], {})}
    async with _client(_scripted(pages, seen)) as client:
        fetched = await client.queues()
    assert [q.queue_id for q in fetched.result.records] == ["1", "2", "3"] and len(seen) == 3


async def test_a_listing_that_shrank_while_paged_ends_at_the_400_past_the_end():
    seen: list[httpx.Request] = []
    pages = {0: (200, [_record(1), _record(2)], {"X-Total-Pages": "2"})}  # page 1 is gone by the time we ask
    async with _client(_scripted(pages, seen)) as client:
        fetched = await client.queues()
    assert [q.queue_id for q in fetched.result.records] == ["1", "2"]


async def test_a_record_that_moved_to_the_next_page_is_kept_once_and_reported():
    seen: list[httpx.Request] = []
    pages = {
        0: (200, [_record(1), _record(2)], {"X-Total-Pages": "2"}),
        1: (200, [_record(2), _record(3)], {"X-Total-Pages": "2"}),
    }
    async with _client(_scripted(pages, seen)) as client:
        fetched = await client.queues()
    assert [q.queue_id for q in fetched.result.records] == ["1", "2", "3"]
    assert any("repeats id '2'" in p for p in fetched.result.problems)


async def test_empty_tenant_is_an_empty_listing():
    seen: list[httpx.Request] = []
    async with _client(_scripted({0: (200, [], {"X-Total-Pages": "0", "X-Total-Elements": "0"})}, seen)) as client:
        fetched = await client.queues()
    assert fetched.result.records == ()


async def test_endless_paging_is_refused():
    seen: list[httpx.Request] = []
    pages = {n: (200, [_record(2 * n), _record(2 * n + 1)], {"X-Total-Pages": "1000000"}) for n in range(60)}
    async with _client(_scripted(pages, seen)) as client:
        with pytest.raises(BadPayloadError, match="more than 50 pages"):
            await client.queues()


async def test_a_garbage_page_is_a_bad_payload_naming_the_listing():
    seen: list[httpx.Request] = []
    async with _client(_scripted({0: (200, {"fault": {"faultstring": "x"}}, {})}, seen)) as client:
        with pytest.raises(BadPayloadError, match="queues"):
            await client.queues()
