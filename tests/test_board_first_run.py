"""`wallboard run` on a first start: the board asks for what is missing, then polls."""


from tests.helpers.data import fixed_settings
from tests.helpers.board import agent_rows
from wallboard.clients.http import Timeouts
from wallboard.clients.rtstats import RealtimeClient
from wallboard.config import Settings
from wallboard.secrets import SERVICE
from wallboard.sim.simulator import Simulator
from wallboard.themes import bundled_themes_dir
from wallboard.ui.app import WallboardApp
from wallboard.ui.screens.setup import SetupScreen


def connector(settings, token):
    return RealtimeClient(settings.realtime_url, settings.tenant, token, timeouts=Timeouts(1, 1, 2))


async def wait_until(pilot, condition, seconds=8.0):
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


async def test_missing_token_opens_setup_then_the_board_polls(memory_keyring):
    with Simulator(seed=4, agents=12, queues=3) as sim:
        settings = fixed_settings(tenant="demo", realtime_url=sim.realtime_url)
        app = WallboardApp(settings, connector=connector, theme_dirs=[bundled_themes_dir()])
        async with app.run_test(size=(100, 30)) as pilot:
            assert await wait_until(pilot, lambda: isinstance(app.screen, SetupScreen) and app.focused is not None)
            assert sim.requests["agents"] == 0, "nothing is fetched before the token is known"
            assert [field.id for field in app.screen.query("Input")] == ["field-tenant", "field-realtime-token"]
            assert app.screen.query_one("#field-tenant").value == "demo"
            assert app.focused.id == "field-realtime-token", "the cursor starts in the first empty field"
            await pilot.press(*"demo")
            await pilot.press("enter")
            assert await wait_until(pilot, lambda: len(agent_rows(app)) == 12)
            assert app.screen is app.board
    assert memory_keyring.items == {(SERVICE, "realtime-token"): "demo"}


async def test_nothing_configured_asks_for_tenant_region_and_token(memory_keyring):
    with Simulator(seed=4, agents=5, queues=2) as sim:
        app = WallboardApp(Settings(), connector=connector, theme_dirs=[bundled_themes_dir()])
        async with app.run_test(size=(100, 30)) as pilot:
            assert await wait_until(pilot, lambda: isinstance(app.screen, SetupScreen) and app.focused is not None)
            fields = [field.id for field in app.screen.query("Input")]
            assert fields == ["field-tenant", "field-realtime_url", "field-realtime-token"]
            await pilot.press(*"demo", "tab", *sim.realtime_url, "tab", *"demo", "enter")
            assert await wait_until(pilot, lambda: len(agent_rows(app)) == 5)
            assert app.settings.tenant == "demo"
            assert "demo" in str(app.board.header.render())


async def test_a_known_token_skips_the_setup_screen(memory_keyring, monkeypatch):
    monkeypatch.setenv("WALLBOARD_REALTIME_TOKEN", "demo")
    with Simulator(seed=4, agents=7, queues=2) as sim:
        settings = fixed_settings(tenant="demo", realtime_url=sim.realtime_url)
        app = WallboardApp(settings, connector=connector, theme_dirs=[bundled_themes_dir()])
        async with app.run_test(size=(100, 30)) as pilot:
            assert await wait_until(pilot, lambda: len(agent_rows(app)) == 7)
            assert not isinstance(app.screen, SetupScreen)


async def test_escape_on_setup_quits_with_advice(memory_keyring):
    app = WallboardApp(Settings(), connector=connector, theme_dirs=[bundled_themes_dir()])
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_until(pilot, lambda: isinstance(app.screen, SetupScreen) and app.focused is not None)
        await pilot.press("escape")
        await pilot.pause(0.2)
    assert app.return_code == 2
