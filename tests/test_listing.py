"""A listing read on demand (wallboard.clients.listing) against the simulator, served
in-process on the virtual clock: its waits (a slow page, a read-ahead) are exact, and none
depends on the machine's pace. The client over loopback is tested in test_analytics_client."""

import asyncio

import pytest

from tests.helpers.analytics import client_for, yesterday
from tests.helpers.waiting import until

pytestmark = pytest.mark.virtual_time


async def wait_for(condition, seconds=5.0):
    """Whether ``condition`` came true within ``seconds`` of the loop's (virtual) clock."""
    try:
        await until(None, condition, timeout=seconds, step=0.02)
    except AssertionError:
        return False
    return True


async def test_pages_arrive_one_request_each_until_the_end(simulator):
    from wallboard.clients.listing import Listing

    async with client_for(simulator) as client:
        everything = (await client.fetch_report(yesterday("call-records"))).records
        before = simulator.analytics.reports["call-records"]
        listing = Listing(client, yesterday("call-records"), page_size=100)
        first = await listing.next_page()
        assert simulator.analytics.reports["call-records"] == before + 1, "one page, one request"
        assert first.records == everything[:100]
        assert (listing.progress.pages, listing.progress.records, listing.progress.total) == (1, 100, len(everything))
        read = list(first.records)
        while (page := await listing.next_page()) is not None:
            read.extend(page.records)
        assert tuple(read) == everything
        assert listing.done and listing.progress.done
        assert await listing.next_page() is None
        assert simulator.analytics.reports["call-records"] == before + -(-len(everything) // 100) + 1  # + the "No Data" page


async def test_a_cancelled_wait_keeps_the_page_for_the_next_call(simulator):
    from wallboard.clients.listing import Listing

    async with client_for(simulator) as client:
        await client.login()
        simulator.faults = "slow=1@analytics,slow-seconds=0.5"
        listing = Listing(client, yesterday("call-records"), page_size=50)
        waiter = asyncio.ensure_future(listing.next_page())
        assert await wait_for(lambda: simulator.requests["analytics"] == 1)
        waiter.cancel()
        await asyncio.gather(waiter, return_exceptions=True)
        assert waiter.cancelled()
        simulator.faults = None
        page = await listing.next_page()
        assert len(page.records) == 50 and listing.progress.pages == 1
        assert simulator.requests["analytics"] == 1, "the page in flight was not asked for again"
        second = await listing.next_page()
        assert listing.progress.pages == 2 and second.records[0] != page.records[0]
        await listing.aclose()


async def test_aclose_stops_a_request_in_flight(simulator):
    from wallboard.clients.listing import Listing

    async with client_for(simulator) as client:
        await client.login()
        simulator.faults = "slow=1@analytics,slow-seconds=30"
        listing = Listing(client, yesterday("call-records"))
        waiter = asyncio.ensure_future(listing.next_page())
        assert await wait_for(lambda: simulator.requests["analytics"] == 1)
        await asyncio.wait_for(listing.aclose(), 2)
        await asyncio.gather(waiter, return_exceptions=True)
        assert waiter.cancelled() and listing.done
        assert await listing.next_page() is None


async def test_an_error_ends_the_listing(simulator):
    from wallboard.clients.listing import Listing
    from wallboard.errors import BadRequestError

    async with client_for(simulator) as client:
        simulator.faults = "400=1@analytics"
        listing = Listing(client, yesterday("call-records"))
        try:
            await listing.next_page()
        except BadRequestError as error:
            assert "HTTP 400" in str(error)
        else:
            raise AssertionError("the 400 was not raised")
        assert listing.done
        assert await listing.next_page() is None


async def test_read_ahead_asks_for_the_next_page_while_the_caller_draws_this_one(simulator):
    from wallboard.clients.listing import Listing

    async with client_for(simulator) as client:
        everything = (await client.fetch_report(yesterday("call-records"))).records
        before = simulator.analytics.reports["call-records"]
        listing = Listing(client, yesterday("call-records"), page_size=100)
        first = await listing.next_page(read_ahead=True)
        assert await wait_for(lambda: simulator.analytics.reports["call-records"] == before + 2), "the next page was asked for"
        assert first.records == everything[:100]
        second = await listing.next_page()
        assert second.records == everything[100:200]
        assert simulator.analytics.reports["call-records"] == before + 2, "and not asked for twice"
        await asyncio.sleep(0.1)
        assert simulator.analytics.reports["call-records"] == before + 2, "no read-ahead unless asked"
        read = list(first.records + second.records)
        while (page := await listing.next_page(read_ahead=True)) is not None:
            read.extend(page.records)
        assert tuple(read) == everything
        await listing.aclose()
