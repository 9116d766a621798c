"""A paged report does not trust the server (issue 11 #6): hostile loopback servers.

Each server logs in anyone and answers ``v2/call-records`` its own way; the client must
stop with one line, having asked for as little as possible, at a pace that does not
hammer the server.
"""

import itertools
from datetime import datetime, timezone

import pytest

from tests.helpers.clocks import EPOCH, FakeClock
from tests.helpers.hostile import serve_call_records
from wallboard.clients.analytics import AnalyticsClient
from wallboard.clients.http import Timeouts
from wallboard.core.reports.query import make_query
from wallboard.errors import EndlessPagingError
from wallboard.sim.server import SimServer

PATIENT = Timeouts(connect=10.0, read=20.0, total=30.0)  # long: a busy machine is slow, never a timeout
NOW = datetime.fromtimestamp(EPOCH, timezone.utc)
QUERY = make_query("call-records", "2025-11-22 00:00:00", "2025-11-22 23:59:59", "UTC", NOW)
def hostile(pages):
    return serve_call_records(pages)


ENOUGH = 20
"""Each hostile server ends after this many pages, so a client without the guards finishes
(and its test fails) instead of reading for minutes."""
END = {"meta": {"totalRecordCount": 0, "scrollId": "No Data"}, "data": []}


def record(number: int) -> dict:
    return {"callId": str(number), "caller": "1001", "callee": "+15550100", "talkTimeMS": 1000}


class Pace:
    """A clock and a sleep that moves it: the waits the client made, without waiting."""

    def __init__(self) -> None:
        self.clock = FakeClock(0.0)
        self.waits: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(seconds)


def client_for(server: SimServer, pace: Pace | None = None, **kwargs) -> AnalyticsClient:
    pace = pace or Pace()
    return AnalyticsClient(f"{server.url}/w", "k", "u", "p", timeouts=PATIENT, clock=pace.clock, sleep=pace.sleep, **kwargs)


async def stopped_by(pages, pace: Pace | None = None, **kwargs) -> tuple[str, int]:
    """The one line a listing from ``pages`` was stopped with, and the pages asked for."""
    with hostile(pages) as server:
        async with client_for(server, pace, **kwargs) as client:
            with pytest.raises(EndlessPagingError) as caught:
                await client.fetch_report(QUERY)
        return str(caught.value), server.requests["analytics"]


async def test_a_page_far_larger_than_asked_is_refused_before_it_is_read():
    """The server ignores pageSize: 20,000 records a page, a new scrollId each time, 10 announced."""
    counter = itertools.count()

    def pages(request):
        number = next(counter)
        if number >= 3:
            return END
        return {"meta": {"totalRecordCount": 10, "scrollId": f"s{number}"}, "data": [record(n) for n in range(20_000)]}

    assert await stopped_by(pages) == (
        "Work Analytics sent 20,000 call records on page 1, more than the 1,000 asked for: "
        "stopped, as the listing cannot be trusted",
        1,
    )


async def test_more_records_than_announced_stop_the_listing():
    counter = itertools.count()

    def pages(request):
        size = int(request.arg("pageSize"))
        number = next(counter)
        if number >= ENOUGH:
            return END
        start = number * size
        return {"meta": {"totalRecordCount": 10, "scrollId": f"s{start}"}, "data": [record(n) for n in range(start, start + size)]}

    assert await stopped_by(pages, page_size=4) == (
        "Work Analytics sent more call records than it announced (12 by page 3; it announced 10): "
        "stopped, as the listing cannot be trusted",
        3,
    )


async def test_endless_one_record_pages_are_paced_and_stopped():
    """No total announced: only the page limit ends it, and requests keep to the pace."""
    counter = itertools.count()

    def pages(request):
        number = next(counter)
        return {"meta": {"scrollId": f"s{number}"}, "data": [record(number)]}

    pace = Pace()
    message, asked = await stopped_by(pages, pace, max_pages=40)
    assert message.startswith("Work Analytics was still sending call records after 40 pages") and asked == 40
    assert len(pace.waits) == 30, "a burst of ten, then a wait before each page"
    assert pace.clock() == pytest.approx(30 * 0.2), "at most five page requests a second after the burst"


async def test_one_record_pages_past_the_announced_total_are_stopped():
    counter = itertools.count()

    def pages(request):
        number = next(counter)
        if number >= ENOUGH:
            return END
        return {"meta": {"totalRecordCount": 5, "scrollId": f"s{number}"}, "data": [record(number)]}

    message, asked = await stopped_by(pages)
    assert "(6 by page 6; it announced 5)" in message and asked == 6


async def test_a_healthy_listing_is_not_slowed():
    def pages(request):
        offset = int(request.arg("scrollId") or 0)
        if offset >= 5000:
            return {"meta": {"totalRecordCount": 0, "scrollId": "No Data"}, "data": []}
        return {"meta": {"totalRecordCount": 5000, "scrollId": str(offset + 1000)}, "data": [record(n) for n in range(offset, offset + 1000)]}

    pace = Pace()
    with hostile(pages) as server:
        async with client_for(server, pace) as client:
            report = await client.fetch_report(QUERY)
    assert len(report.records) == 5000 and report.pages == 6
    assert pace.waits == []
