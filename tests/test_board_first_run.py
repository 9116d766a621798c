"""`wallboard run` on a first start: the board asks for what is missing, then polls.

On the virtual clock, with the simulator in-process: the setup screen's keyring work runs
in threads as always (the clock waits for them), the first poll follows the last key.
"""

import pytest

from tests.helpers.board import agent_rows, make_app
from tests.helpers.clocks import Clocks
from tests.helpers.data import fixed_settings
from tests.helpers.live import virtual_simulator
from tests.helpers.sim_transport import SimTransport
from tests.helpers.waiting import until
from wallboard.clients.rtstats import RealtimeClient
from wallboard.config import Settings
from wallboard.credentials.store import SERVICE
from wallboard.ui.screens.setup import SetupScreen

pytestmark = pytest.mark.virtual_time


def connector_to(sim):
    def connector(settings, token):
        return RealtimeClient(settings.realtime_url, settings.tenant, token, transport=SimTransport(sim.server))

    return connector


def asking(app) -> bool:
    return isinstance(app.screen, SetupScreen) and app.focused is not None


async def test_missing_token_opens_setup_then_the_board_polls(memory_keyring):
    sim = virtual_simulator(seed=4, agents=12, queues=3)
    settings = fixed_settings(tenant="demo", realtime_url=sim.realtime_url)
    app = make_app(settings=settings, connector=connector_to(sim))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: asking(app), what="the setup screen")
        assert sim.requests["agents"] == 0, "nothing is fetched before the token is known"
        assert [field.id for field in app.screen.query("Input")] == ["field-tenant", "field-realtime-token"]
        assert app.screen.query_one("#field-tenant").value == "demo"
        assert app.focused.id == "field-realtime-token", "the cursor starts in the first empty field"
        await pilot.press(*"demo")
        await pilot.press("enter")
        await until(pilot, lambda: len(agent_rows(app)) == 12, timeout=1.0, what="the first answers")
        assert app.screen is app.board
    assert memory_keyring.items == {(SERVICE, "realtime-token"): "demo"}


async def test_nothing_configured_asks_for_tenant_region_and_token(memory_keyring):
    sim = virtual_simulator(seed=4, agents=5, queues=2)
    app = make_app(settings=Settings(), connector=connector_to(sim))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: asking(app), what="the setup screen")
        fields = [field.id for field in app.screen.query("Input")]
        assert fields == ["field-tenant", "field-realtime_url", "field-realtime-token"]
        await pilot.press(*"demo", "tab", *sim.realtime_url, "tab", *"demo", "enter")
        await until(pilot, lambda: len(agent_rows(app)) == 5, timeout=1.0, what="the first answers")
        assert app.settings.tenant == "demo"
        assert "demo" in str(app.board.header.render())


async def test_a_known_token_skips_the_setup_screen(memory_keyring, monkeypatch):
    monkeypatch.setenv("WALLBOARD_REALTIME_TOKEN", "demo")
    sim = virtual_simulator(seed=4, agents=7, queues=2)
    settings = fixed_settings(tenant="demo", realtime_url=sim.realtime_url)
    app = make_app(settings=settings, connector=connector_to(sim))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: len(agent_rows(app)) == 7, timeout=1.0, what="the first answers")
        assert not isinstance(app.screen, SetupScreen)


async def test_the_header_clock_keeps_ticking_under_the_setup_dialog(memory_keyring):
    sim = virtual_simulator(seed=4, agents=5, queues=2)
    clocks = Clocks()
    app = make_app(settings=Settings(), connector=connector_to(sim), clocks=clocks)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: asking(app), what="the setup screen")
        await until(pilot, lambda: "12:13:23" in str(app.board.header.render()), timeout=1.0, what="the board's header, dimmed behind")
        clocks.advance(60)
        # the header's clock ticks every second: within one second of board time
        await until(pilot, lambda: "12:14:23" in str(app.board.header.render()), timeout=1.0, what="the clock to tick", app=app)
        assert isinstance(app.screen, SetupScreen)


async def test_escape_on_setup_quits_with_advice(memory_keyring):
    sim = virtual_simulator(seed=4, agents=5, queues=2)
    app = make_app(settings=Settings(), connector=connector_to(sim))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: asking(app), what="the setup screen")
        await pilot.press("escape")
        await pilot.pause(0.2)
    assert app.return_code == 2
