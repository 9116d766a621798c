"""The Historical tab at SSH size (80x24) and TV size (160x45): the form, results, a
ring group's members and an error, on the simulator's fixed data and a fixed clock.

The committed SVGs are the product: look at them when they change.
"""

import pytest

from tests.helpers.history import fetch_report, fetched, history_app, open_tab
from tests.helpers.known_secrets import LEAKCHECK
from wallboard.credentials.secret import Secret
from wallboard.credentials.store import ANALYTICS_API_KEY, ANALYTICS_PASSWORD

SIZES = {"80x24": (80, 24), "160x45": (160, 45)}


@pytest.mark.parametrize("size", SIZES)
def test_form(snap_compare, simulator, size):
    app = history_app(simulator)

    async def run_before(pilot):
        await open_tab(app, pilot)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_results(snap_compare, simulator, size):
    app = history_app(simulator)

    async def run_before(pilot):
        await open_tab(app, pilot)
        await fetch_report(app, pilot, "ring-groups")

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_members_drill_down(snap_compare, simulator, size):
    app = history_app(simulator)

    async def run_before(pilot):
        await open_tab(app, pilot)
        await fetch_report(app, pilot, "ring-groups")
        await pilot.press("enter")
        await fetched(pilot, app)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_error(snap_compare, simulator, size):
    """A refused login; test_leaks checks that neither typed secret is in the SVG."""
    wrong = {ANALYTICS_API_KEY: Secret(LEAKCHECK[1]), ANALYTICS_PASSWORD: Secret(LEAKCHECK[2])}
    app = history_app(simulator, secrets=wrong)

    async def run_before(pilot):
        await open_tab(app, pilot)
        await pilot.press("enter")
        await fetched(pilot, app)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
