"""The Historical tab under test: a board with Work Analytics on a simulator, and readers of the tab.

On the virtual-time loop every client made here reaches the simulator in-process
(:mod:`tests.helpers.sim_transport`); on a real loop, over loopback (start the simulator).
"""

from __future__ import annotations

from textual.widgets import Select

from tests.helpers.board import board_ready, make_app
from tests.helpers.clocks import Clocks
from tests.helpers.data import fixed_settings, fixed_snapshot
from tests.helpers.sim_transport import transport_for
from tests.helpers.waiting import until
from wallboard.clients.analytics import USER_REFUSED, AnalyticsClient
from wallboard.clients.http import Timeouts
from wallboard.config import AnalyticsSettings
from wallboard.core.views import historical as core
from wallboard.core.reports.table import build_table
from wallboard.credentials.secret import Secret
from wallboard.credentials.store import ANALYTICS_API_KEY, ANALYTICS_PASSWORD
from wallboard.ui.historical.pane import HistoricalPane
from wallboard.ui.historical.report_grid import ReportGrid

DEMO_SECRETS = {ANALYTICS_API_KEY: Secret("demo"), ANALYTICS_PASSWORD: Secret("demo")}
PATIENT = Timeouts(connect=1.0, read=60.0, total=60.0)
"""For tests that hold an answer in the simulator: the hold must never meet a read timeout."""
KIND_INDEX = {kind.name: index for index, kind in enumerate(core.FORM_KINDS)}
BAD_PASSWORD = USER_REFUSED.format(user="demo") + ' (HTTP 400; the server said: "Bad credentials" (invalid_grant))'


def connector(page_size: int = 50, timeouts: Timeouts = Timeouts(), transport=None):
    def connect(url, api_key, username, password):
        return AnalyticsClient(url, api_key, username, password, timeouts=timeouts, page_size=page_size, transport=transport)

    return connect


def history_app(
    sim, *, secrets=DEMO_SECRETS, username="demo", page_size=50, source=None, snapshot=True, timeouts=Timeouts(), **settings
):
    """The board (fixed data, fixed clocks unless it has a ``source``) with Work Analytics on ``sim``."""
    return make_app(
        settings=fixed_settings(analytics=AnalyticsSettings(url=sim.analytics_url, username=username), **settings),
        source=source,
        snapshot=fixed_snapshot() if snapshot else None,
        clocks=Clocks(),
        analytics_secrets=secrets,
        analytics_connector=connector(page_size, timeouts, transport_for(sim)),
    )


def pane(app) -> HistoricalPane:
    return app.board.history_pane


def grid(app) -> ReportGrid:
    return pane(app).grid


def state(app) -> core.HistoricalState:
    return app.board.history.state


def status_text(app) -> str:
    return str(pane(app).query_one("#hist-status").render())


def grid_rows(app) -> list[list[str]]:
    """The data rows as drawn (without the totals row)."""
    table = grid(app)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.data_rows)]


async def fetched(pilot, app) -> None:
    """Wait until the fetch under way is over."""
    await until(pilot, lambda: state(app).fetch is None, what=f"the fetch to end ({status_text(app)})")
    await pilot.pause()


async def open_tab(app, pilot) -> None:
    await board_ready(app, pilot)
    await pilot.press("3")
    await pilot.pause()


async def enter_fetches_the_company_summary(app, pilot) -> None:
    """Enter on the freshly opened tab (focus on Fetch) fetches the default report."""
    await pilot.press("enter")
    await fetched(pilot, app)
    assert [row[0] for row in grid_rows(app)] == ["demo-pbx", "demo-pbx2"]


async def choose_kind(app, pilot, name: str) -> None:
    """Pick a report in the form by keyboard: Shift+Tab back to it, open it, move, Enter."""
    select = pane(app).query_one("#hist-kind", Select)
    while app.focused is not select:
        await pilot.press("shift+tab")
    steps = KIND_INDEX[name] - KIND_INDEX[str(select.value)]
    await pilot.press("enter", *(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
    assert select.value == name
    await pilot.press(*["tab"] * 6)  # range, from, to, zone, pbx, Fetch
    assert app.focused.id == "hist-fetch"


async def fetch_report(app, pilot, name: str) -> None:
    """Pick a report (as a click would) and press Enter on Fetch."""
    pane(app).query_one("#hist-kind", Select).value = name
    pane(app).query_one("#hist-fetch").focus()
    await pilot.pause()
    assert state(app).form.kind == name
    before = state(app)
    await pilot.press("enter")
    # The Enter reaches the pane's controller through a message: wait for the state it
    # makes (a fetch under way, or already a finished one), then for the fetch to end.
    await until(pilot, lambda: state(app) is not before, what="the fetch to start")
    await fetched(pilot, app)


async def reference_report(sim, query):
    """The report as the Work Analytics client itself fetches it."""
    async with AnalyticsClient(sim.analytics_url, "demo", "demo", "demo", transport=transport_for(sim)) as client:
        return await client.fetch_report(query)


async def reference(sim, query):
    return (await reference_report(sim, query)).records


def screen_cells(records, query):
    return [list(row.cells) for row in build_table(query.kind, records, query.tz()).rows]


