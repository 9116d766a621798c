"""A paged report read on demand, one page at a time, that survives an interrupted wait.

The Historical tab reads call records a batch at a time, and Escape may stop a batch
while a page is on its way. Cancelling whoever waits for that page must not lose the
listing: the request runs as a task of its own, shielded from the waiter, so the next
:meth:`Listing.next_page` picks up its answer and reading goes on from the same
``scrollId`` instead of starting over or asking twice. An error ends the listing (the
client's page iterator is finished by it); :meth:`Listing.aclose` stops it for good.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncIterator

from wallboard.clients.analytics import AnalyticsClient
from wallboard.core.model.analytics import FetchProgress
from wallboard.core.wire.analytics import Page
from wallboard.core.reports.query import ReportQuery


class Listing:
    """The pages of one paged report, fetched only when asked for."""

    def __init__(self, client: AnalyticsClient, query: ReportQuery, *, page_size: int | None = None) -> None:
        self.query = query
        self.progress: FetchProgress | None = None
        """How far the listing has got, as of the last page read."""
        self.done = False
        self._pages: AsyncIterator[Page] = client.pages(query, page_size=page_size, progress=self._note)
        self._pending: asyncio.Task[Page | None] | None = None

    def _note(self, progress: FetchProgress) -> None:
        self.progress = progress

    async def next_page(self, *, read_ahead: bool = False) -> Page | None:
        """The next page, or ``None`` after the last. Raises the client's typed errors.

        If the caller is cancelled while waiting, the request carries on; the next call
        returns its page. ``read_ahead`` asks for the page after this one at once, so
        the service works on it while the caller draws this one (reading a whole listing
        then takes about as long as the service needs, not that plus the drawing).
        """
        if self.done:
            return None
        if self._pending is None:
            self._pending = asyncio.ensure_future(self._read())
        pending = self._pending
        try:
            page = await asyncio.shield(pending)
        except asyncio.CancelledError:
            if pending.cancelled():  # the request itself was stopped (aclose), not just our wait
                self._pending = None
                self.done = True
            raise
        except BaseException:
            self._pending = None
            self.done = True
            raise
        self._pending = None
        if page is None:
            self.done = True
        elif read_ahead and not (self.progress is not None and self.progress.done):
            self._pending = asyncio.ensure_future(self._read())
        return page

    async def _read(self) -> Page | None:
        try:
            return await self._pages.__anext__()
        except StopAsyncIteration:
            return None

    async def aclose(self) -> None:
        """Stop the listing: cancel a request in flight and close the page iterator."""
        self.done = True
        pending, self._pending = self._pending, None
        if pending is not None:
            if not pending.done():
                pending.cancel()
                await asyncio.wait({pending})
            if not pending.cancelled():
                pending.exception()  # an answer nobody waits for any more: retrieved, dropped
        with contextlib.suppress(Exception):
            await self._pages.aclose()  # type: ignore[attr-defined]
