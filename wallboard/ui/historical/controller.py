"""Runs the Historical tab: its state, its fetches, its Work Analytics client.

The tab's pane owns one :class:`HistoricalController`. It keeps the tab's
:class:`~wallboard.core.views.historical.HistoricalState`, handles the pane's requests by
the pure transitions of :mod:`wallboard.core.views.historical`, runs every fetch in a
worker of the pane (so the board keeps refreshing, and the work ends with the pane) and
pushes each new state into the pane.

The :class:`~wallboard.clients.analytics.AnalyticsClient` is made on first use, from
``analytics.url``, the user name and the two analytics secrets. ``wallboard demo`` hands
the secrets over; otherwise they are looked up (environment, then keyring, off the event
loop) and the setup screen asks for whatever is missing, the first time a report is
fetched. Cancelling the setup screen leaves the form with a line saying so. A refused
login drops the client, so the next fetch looks the credentials up again.

Once a client exists, the PBX list (``GET v2/pbxes``) is read once in the background and
offered in the PBX field; if it cannot be read, the field simply offers nothing. Call
records and legs are read in pages of at most
:data:`~wallboard.core.views.historical.BOARD_PAGE_SIZE`.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from textual.worker import Worker

from wallboard.clients.analytics import AnalyticsClient
from wallboard.clients.listing import Listing
from wallboard.config import default_config_path
from wallboard.core.views import historical as core
from wallboard.errors import AuthError, WallboardError
from wallboard.export import export_table
from wallboard.localzone import local_zone_name
from wallboard.credentials.secret import Secret
from wallboard.credentials.store import ANALYTICS_API_KEY, ANALYTICS_PASSWORD
from wallboard.credentials.needs import gather
from wallboard.ui.context import BoardContext
from wallboard.ui.historical import requests
from wallboard.ui.screens.setup import SetupScreen

if TYPE_CHECKING:
    from wallboard.ui.historical.pane import HistoricalPane

AnalyticsConnector = Callable[[str, Secret, str, Secret], AnalyticsClient]
"""Makes the Work Analytics client: ``(url, api_key, username, password)``."""

FETCH_GROUP = "historical-fetch"
EXPORT_GROUP = "historical-export"
PBX_GROUP = "historical-pbxes"


def analytics_client(url: str, api_key: Secret, username: str, password: Secret) -> AnalyticsClient:
    return AnalyticsClient(url, api_key, username, password, setting="analytics.url")


class HistoricalController:
    """The Historical tab's logic runner; see the module doc."""

    def __init__(self, pane: HistoricalPane, context: BoardContext) -> None:
        self.pane = pane
        self.settings = context.settings
        self.now = context.now
        self.connector: AnalyticsConnector = context.analytics_connector or analytics_client
        self._secrets = dict(context.analytics_secrets)
        zone = self.settings.timezone or local_zone_name()
        self.state = core.HistoricalState(form=core.new_form(zone, self.settings.analytics.pbx, self.now()))
        self.client: AnalyticsClient | None = None
        self._client_lock = asyncio.Lock()
        self._listings: dict[int, Listing] = {}
        self._token: object | None = None
        self._worker: Worker | None = None
        self._closing: set[asyncio.Task] = set()
        self._pbxes_asked = False
        self.page_size = min(self.settings.analytics.page_size, core.BOARD_PAGE_SIZE)

    # --- drawing -----------------------------------------------------------------------------

    def render(self) -> None:
        if self.pane.is_attached:
            self.pane.show(self.state)

    def _set(self, state: core.HistoricalState) -> None:
        self.state = state
        self._prune_listings()
        self.render()

    # --- the pane's requests -----------------------------------------------------------------

    def handle(self, request: requests.Request) -> None:
        state = self.state
        if isinstance(request, requests.Ready):
            self.render()
        elif isinstance(request, requests.FormChanged):
            self._set(core.with_form(state, request.form, request.field, self.now()))
        elif isinstance(request, requests.FetchRequested):
            state = core.request_report(replace(state, form=request.form), self.now())
            self._start(state)
            if state.invalid:
                self.pane.focus_field(state.invalid)
        elif isinstance(request, requests.OpenRequested):
            self._start(core.request_open(state, request.row))
        elif isinstance(request, requests.MoreRequested):
            self._start(core.request_more(state, request.everything))
        elif isinstance(request, requests.CursorMoved):
            self.state = core.moved(state, request.row)
            if request.by_key and core.near_end(self.state, request.row):
                self._start(core.request_more(self.state))
        elif isinstance(request, requests.SortRequested):
            if request.reverse:
                self._set(core.sort_reverse(state))
            elif request.column is None:
                self._set(core.sort_next(state))
            else:
                self._set(core.sort_by(state, request.column))
        elif isinstance(request, requests.EscapePressed):
            self.escape()
        elif isinstance(request, requests.ExportRequested):
            self.pane.run_worker(self._export(), group=EXPORT_GROUP, exclusive=True, exit_on_error=False)

    def escape(self) -> None:
        """Cancel the fetch; else walk back a table; else leave a text field."""
        action = core.escape_action(self.state)
        if action == "cancel":
            self._stop_worker()
            self._set(core.fetch_cancelled(self.state))
        elif action == "back":
            self._set(core.back(self.state))
        else:
            self.pane.leave_field()

    # --- fetching ------------------------------------------------------------------------------

    def _start(self, state: core.HistoricalState) -> None:
        """Show ``state``; if it holds a new fetch, run it (stopping the one before)."""
        fetch = state.fetch
        if fetch is not None and fetch is not self.state.fetch:
            self._stop_worker()
            token = object()
            self._token = token
            self._set(state)
            self._worker = self.pane.run_worker(
                self._run(token), name="historical fetch", group=FETCH_GROUP, exclusive=True, exit_on_error=False
            )
        else:
            self._set(state)

    def _stop_worker(self) -> None:
        self._token = None
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None

    def _current(self, token: object) -> bool:
        return self._token is token and self.state.fetch is not None

    async def _run(self, token: object) -> None:
        try:
            client = await self._ensure_client()
            if not self._current(token):
                return
            if client is None:
                self._set(core.sign_in_cancelled(self.state))
                return
            self._ask_pbxes(client)
            fetch = self.state.fetch
            assert fetch is not None
            if fetch.query.kind.paged:
                await self._read_listing(token, client, fetch)
            else:
                parsed = await client.summary(fetch.query)
                if self._current(token):
                    self._set(core.summary_arrived(self.state, parsed.records, parsed.problems, parsed.skipped))
        except WallboardError as error:
            if isinstance(error, AuthError):
                await self._drop_client()
            if self._current(token):
                self._set(core.fetch_failed(self.state, str(error)))
        except Exception as error:  # never a traceback on the board: name it in one line
            if self._current(token):
                self._set(core.fetch_failed(self.state, f"the report could not be fetched ({type(error).__name__})"))
        finally:
            if self._token is token:
                self._token = None
                self._worker = None

    async def _read_listing(self, token: object, client: AnalyticsClient, fetch: core.Fetch) -> None:
        listing = self._listings.get(fetch.serial)
        if listing is None and fetch.purpose == core.MORE:
            # its listing was closed (a refused sign-in drops them all): starting over would repeat rows
            self._set(core.fetch_failed(self.state, core.LISTING_LOST))
            return
        if listing is None:
            listing = Listing(client, fetch.query, page_size=min(client.page_size, self.page_size))
            self._listings[fetch.serial] = listing
        while core.wants_page(self.state):
            page = await listing.next_page(read_ahead=fetch.everything)
            if not self._current(token):
                return
            if page is None or listing.progress is None:
                break
            self._set(core.page_arrived(self.state, page.records, page.problems, page.skipped, listing.progress))
        if self._current(token):
            self._set(core.fetch_finished(self.state))

    def _ask_pbxes(self, client: AnalyticsClient) -> None:
        """Read the PBX list once per client, in the background, for the PBX field."""
        if self._pbxes_asked:
            return
        self._pbxes_asked = True
        self.pane.run_worker(self._load_pbxes(client), name="historical pbxes", group=PBX_GROUP, exclusive=True, exit_on_error=False)

    async def _load_pbxes(self, client: AnalyticsClient) -> None:
        try:
            pbxes = await client.pbxes()
        except WallboardError:
            return  # an aid, not a need: the field just offers nothing
        if client is self.client and pbxes:
            self._set(core.with_pbxes(self.state, [pbx.name for pbx in pbxes]))

    def _prune_listings(self) -> None:
        """Close the listings of tables no longer on the stack (nor being filled)."""
        alive = {frame.serial for frame in self.state.frames}
        if self.state.fetch is not None:
            alive.add(self.state.fetch.serial)
        for serial in [serial for serial in self._listings if serial not in alive]:
            listing = self._listings.pop(serial)
            task = asyncio.ensure_future(listing.aclose())
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    # --- the client ----------------------------------------------------------------------------

    async def _ensure_client(self) -> AnalyticsClient | None:
        """The Work Analytics client, made on first use; ``None`` when setup was cancelled."""
        async with self._client_lock:
            if self.client is not None:
                return self.client
            settings = self.settings
            username = settings.analytics.username
            secrets = dict(self._secrets)
            if not (username and ANALYTICS_API_KEY in secrets and ANALYTICS_PASSWORD in secrets):
                found, needs = await asyncio.to_thread(gather, "analytics", settings)
                found.update(secrets)
                needs = replace(needs, missing=tuple(name for name in needs.missing if name not in found))
                if needs.needed:
                    config_path = str(settings.source or default_config_path())
                    result = await self.pane.app.push_screen_wait(SetupScreen(needs, config_path=config_path))
                    if result is None:
                        return None
                    found.update(result.secrets)
                    username = result.username or username
                    self.settings = replace(settings, analytics=replace(settings.analytics, username=username))
                secrets = found
            self.client = self.connector(
                self.settings.analytics.url, secrets[ANALYTICS_API_KEY], username, secrets[ANALYTICS_PASSWORD]
            )
            return self.client

    async def _drop_client(self) -> None:
        client, self.client = self.client, None
        self._pbxes_asked = False
        listings, self._listings = self._listings, {}
        for listing in listings.values():
            await listing.aclose()
        if client is not None:
            await client.aclose()

    # --- export --------------------------------------------------------------------------------

    async def _export(self) -> None:
        frame = self.state.frame
        if frame is None:
            self._set(replace(self.state, note=core.Note(core.NOTHING_TO_EXPORT)))
            return
        table = frame.table
        if table.empty:
            self._set(replace(self.state, note=core.Note("Nothing to export: the table is empty.")))
            return
        directory = self.settings.export_path()
        try:
            where = await asyncio.to_thread(export_table, table, frame.query, directory)
        except WallboardError as error:
            self._set(core.export_failed(self.state, str(error)))
            self.pane.notify(str(error), title="Export failed", severity="error", markup=False)
            return
        self._set(core.exported(self.state, len(table.rows), str(where)))
        self.pane.notify(core.saved_text(frame, len(table.rows), str(where)), title="Export", markup=False)

    # --- shutdown ------------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Stop the fetch and close the listings and the client (the pane is going)."""
        self._stop_worker()
        await self._drop_client()
        if self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)
