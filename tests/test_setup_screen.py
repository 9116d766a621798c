"""The setup screen, driven by keyboard through Pilot, and its snapshots at 80x24 and 160x45.

The board's App is not part of this; a minimal host App pushes the screen and records
what it dismisses with.
"""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from textual.app import App
from textual.widgets import Checkbox, Input, Static

from tests.helpers.known_secrets import TYPED
from wallboard.errors import KeyringError
from wallboard.credentials.secret import Secret
from wallboard.credentials.store import SERVICE, HEADLESS_ADVICE
from wallboard.credentials.needs import SetupNeeds, SetupResult, save_to_keyring
from wallboard.ui.screens.setup import SetupScreen

pytestmark = pytest.mark.virtual_time

TOKEN, API_KEY, PASSWORD = TYPED
CONFIG_PATH = "/home/supervisor/.config/wallboard/config.toml"
NO_KEYRING_ADVICE = "no usable keyring on this machine (keyring found no backend, typical over SSH); " + HEADLESS_ADVICE

FIRST_RUN = SetupNeeds(
    "realtime",
    ("realtime-token",),
    tenant="",
    realtime_url="",
    keyring_usable=True,
    keyring_name="keyring.backends.SecretService.Keyring",
)
ANALYTICS = SetupNeeds(
    "analytics",
    ("analytics-api-key", "analytics-password"),
    username="boss@acme.example",
    keyring_usable=True,
    keyring_name="keyring.backends.SecretService.Keyring",
)
HEADLESS = SetupNeeds(
    "realtime",
    ("realtime-token",),
    tenant="acme",
    realtime_url="https://na1.mycontactual.com/api/rtstats/stats",
    keyring_usable=False,
    keyring_name="keyring.backends.fail.Keyring",
    keyring_advice=NO_KEYRING_ADVICE,
)


class Host(App):
    """Pushes the setup screen on mount and records its result."""

    def __init__(self, needs: SetupNeeds, save=save_to_keyring) -> None:
        super().__init__()
        self.needs = needs
        self.save = save
        self.results: list[SetupResult | None] = []

    def on_mount(self) -> None:
        self.push_screen(SetupScreen(self.needs, config_path=CONFIG_PATH, save=self.save), callback=self.results.append)


async def settle(pilot) -> None:
    """Let the screen mount; stop the cursor blinking so screenshots are stable."""
    await pilot.pause()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


def screen_text(app: App) -> str:
    return app.export_screenshot()


# --- keyboard ------------------------------------------------------------------------------------


async def test_first_run_typed_by_keyboard_saves_and_dismisses(memory_keyring):
    app = Host(FIRST_RUN)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        assert app.focused.id == "field-tenant"
        await type_text(pilot, "acme")
        await pilot.press("tab")
        assert app.focused.id == "field-realtime_url"
        await type_text(pilot, "na2")
        await pilot.press("tab")
        assert app.focused.id == "field-realtime-token"
        assert app.focused.password is True
        await type_text(pilot, TOKEN)
        for secret in TYPED:
            assert secret not in screen_text(app)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.results == [
        SetupResult(
            secrets={"realtime-token": Secret(TOKEN)},
            tenant="acme",
            realtime_url="https://na2.mycontactual.com/api/rtstats/stats",
            username="",
            save_requested=True,
            saved=("realtime-token",),
        )
    ]
    assert memory_keyring.items == {(SERVICE, "realtime-token"): TOKEN}


def burst(app: App, *keys: str) -> None:
    """Queue ``keys`` all at once, as a slow link or a paste delivers them: nothing is
    handled before the next key arrives (Pilot's press waits for each key to be handled)."""
    from textual import events
    from textual.keys import _character_to_key

    for key in keys:
        character = key if len(key) == 1 else {"tab": "\t", "shift+tab": None}.get(key)
        name = _character_to_key(key) if len(key) == 1 else key
        app.post_message(events.Key(name, character))


@pytest.mark.parametrize("back", [False, True], ids=["tab", "shift+tab"])
async def test_keys_typed_ahead_across_a_tab_land_in_the_next_field(back):
    """Tenant, Tab, region, Tab, token typed in one burst (over SSH a line's worth of keys
    arrives at once): each lands in its own field. Tab used to move the focus only after
    the keys behind it had already gone to the field it was leaving."""
    app = Host(FIRST_RUN)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        if back:
            app.screen.query_one("#field-realtime-token", Input).focus()
            await pilot.pause()
            burst(app, *TOKEN, "shift+tab", *"na2", "shift+tab", *"acme")
        else:
            burst(app, *"acme", "tab", *"na2", "tab", *TOKEN)
        await pilot.pause()
        values = {field.id: field.value for field in app.screen.query(Input)}
    assert values == {"field-tenant": "acme", "field-realtime_url": "na2", "field-realtime-token": TOKEN}


async def test_tab_order_reaches_the_checkbox_and_buttons():
    app = Host(ANALYTICS)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.focused.id == "field-analytics-api-key"  # the first empty field
        order = []
        for _ in range(5):
            await pilot.press("tab")
            order.append(app.focused.id)
    assert order == ["field-analytics-password", "save", "continue", "cancel", "field-username"]


async def test_unticking_save_keeps_secrets_for_the_session_only(memory_keyring):
    app = Host(ANALYTICS)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, API_KEY)
        await pilot.press("tab")
        await type_text(pilot, PASSWORD)
        await pilot.press("tab")
        assert app.focused.id == "save"
        await pilot.press("space")
        assert app.screen.query_one("#save", Checkbox).value is False
        await pilot.press("tab", "enter")  # Continue
        await pilot.pause()
    assert app.results == [
        SetupResult(
            secrets={"analytics-api-key": Secret(API_KEY), "analytics-password": Secret(PASSWORD)},
            username="boss@acme.example",
            save_requested=False,
        )
    ]
    assert memory_keyring.items == {}


@pytest.mark.parametrize("first_key", [[], ["a", "b"]])
async def test_escape_cancels_even_while_typing(first_key, memory_keyring):
    app = Host(FIRST_RUN)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*first_key, "escape")
        await pilot.pause()
    assert app.results == [None]
    assert memory_keyring.items == {}


async def test_cancel_button_cancels():
    app = Host(HEADLESS)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab", "tab")  # token -> (disabled checkbox skipped) Continue -> Cancel
        assert app.focused.id == "cancel"
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [None]


async def test_empty_required_fields_are_named_and_focused():
    app = Host(FIRST_RUN)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        problem = app.screen.query_one("#problem", Static)
        tenant = app.screen.query_one("#field-tenant", Input)
        assert str(problem.render()) == "Tenant is required."
        assert app.focused is tenant and tenant.has_class("-invalid")
        await type_text(pilot, "acme")
        assert not tenant.has_class("-invalid")
        await pilot.press("enter")
        await pilot.pause()
        assert str(problem.render()) == "Region or URL is required."
        assert app.focused.id == "field-realtime_url"
        await type_text(pilot, "mars")
        await pilot.press("enter")
        await pilot.pause()
        assert str(problem.render()).startswith("Region or URL: unknown region 'mars'; use na1, na2, na3, ca, uk")
        await pilot.press(*["backspace"] * 4)
        await type_text(pilot, "uk")
        await pilot.press("enter")
        await pilot.pause()
        assert str(problem.render()) == "Data-request token is required."
        assert app.focused.id == "field-realtime-token"
        assert app.results == []


async def test_without_a_keyring_the_box_is_disabled_and_the_advice_shown(memory_keyring):
    app = Host(HEADLESS)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        save = app.screen.query_one("#save", Checkbox)
        assert (save.value, save.disabled) == (False, True)
        advice = app.screen.query_one(".advice", Static)
        assert str(advice.render()) == NO_KEYRING_ADVICE
        text = screen_text(app)
        for variable in ("WALLBOARD_REALTIME_TOKEN", "WALLBOARD_ANALYTICS_API_KEY", "WALLBOARD_ANALYTICS_PASSWORD"):
            assert variable in text
        assert app.focused.id == "field-realtime-token"
        await type_text(pilot, TOKEN)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [
        SetupResult(
            secrets={"realtime-token": Secret(TOKEN)},
            tenant="acme",
            realtime_url="https://na1.mycontactual.com/api/rtstats/stats",
            save_requested=False,
        )
    ]
    assert memory_keyring.items == {}


async def test_a_failed_save_is_shown_and_the_user_can_go_on_without_saving():
    def locked(result):
        raise KeyringError("could not store realtime-token: the keyring (x) said: Failed to unlock the collection!")

    app = Host(replace(FIRST_RUN, tenant="acme", realtime_url="https://x.example"), save=locked)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, TOKEN)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.results == []
        problem = str(app.screen.query_one("#problem", Static).render())
        assert problem == (
            "could not store realtime-token: the keyring (x) said: Failed to unlock the collection!. "
            "Untick 'Save to keyring' to continue without saving."
        )
        assert app.focused.id == "save"
        await pilot.press("space", "tab", "enter")
        await pilot.pause()
    assert [result.save_requested for result in app.results] == [False]


@pytest.mark.real_time  # it holds the save's thread while the screen must go on: no virtual clock for that
async def test_the_save_runs_off_the_event_loop():
    started, release = threading.Event(), threading.Event()
    threads = []

    def slow_save(result):
        threads.append(threading.current_thread())
        started.set()
        release.wait(120)  # released by the test (a hang guard only: at any pace the test releases it first)
        return result

    app = Host(replace(FIRST_RUN, tenant="acme", realtime_url="https://x.example"), save=slow_save)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, TOKEN)
        await pilot.press("enter")
        await pilot.pause()
        try:
            assert started.wait(120)
            assert str(app.screen.query_one("#problem", Static).render()) == "Saving to the keyring..."
            await pilot.press("escape")  # ignored while saving
            await pilot.pause()
            assert app.results == []
        finally:
            release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert threads[0] is not threading.main_thread()
    assert len(app.results) == 1 and app.results[0].tenant == "acme"


async def test_outside_text_is_shown_literally_never_as_markup():
    needs = SetupNeeds(
        "realtime",
        ("realtime-token",),
        tenant="[b]acme[/b]",
        realtime_url="",
        keyring_usable=True,
        keyring_name="evil.[red]Keyring[/red]",
    )
    app = Host(needs)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        text = screen_text(app)
    assert "[b]acme[/b]" in text.replace("&#160;", " ")
    assert "Save&#160;to&#160;keyring&#160;(evil.[red]Keyring[/red])" in text


# --- snapshots (secrets typed, shown masked) -------------------------------------------------------


def _typing(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            if len(key) > 1 and key not in ("tab", "enter", "space"):
                await type_text(pilot, key)
            else:
                await pilot.press(key)
        await pilot.pause()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        text = screen_text(pilot.app)
        for secret in TYPED:
            assert secret not in text

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
def test_snapshot_first_run_with_the_token_typed(snap_compare, size):
    assert snap_compare(Host(FIRST_RUN), terminal_size=size, run_before=_typing("acme", "tab", "na1", "tab", TOKEN))


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
def test_snapshot_analytics_with_secrets_typed(snap_compare, size):
    assert snap_compare(Host(ANALYTICS), terminal_size=size, run_before=_typing(API_KEY, "tab", PASSWORD))


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
def test_snapshot_without_a_keyring(snap_compare, size):
    assert snap_compare(Host(HEADLESS), terminal_size=size, run_before=_typing(TOKEN))


def test_snapshot_validation_message(snap_compare):
    assert snap_compare(Host(FIRST_RUN), terminal_size=(80, 24), run_before=_typing("acme", "enter"))
