"""Shared fixtures: the seed examples, a controllable clock, a running simulator, a clean
keyring for every test, and the virtual clock for tests marked ``virtual_time``.

Helpers shared between test modules live in :mod:`tests.helpers`, never in test modules.
"""

from __future__ import annotations

import asyncio
import os

import pytest
from hypothesis import HealthCheck, settings

# Property tests: a moderate number of examples by default so the suite stays fast;
# WALLBOARD_HYPOTHESIS_PROFILE=thorough for a long local run.
settings.register_profile("wallboard", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("WALLBOARD_HYPOTHESIS_PROFILE", "wallboard"))

from tests.helpers.clocks import VIRTUAL_START, FakeClock
from tests.helpers.data import FIXTURES
from tests.helpers.keyring import MEMORY, MemoryKeyring, use_keyring
from tests.helpers.virtual_time import VirtualTimeLoop
from wallboard.credentials.store import ENV_VARS, forget_keyring
from wallboard.sim.simulator import Simulator


def pytest_asyncio_loop_factories(config, item):
    """Tests marked ``virtual_time`` run on the virtual clock (:mod:`tests.helpers.virtual_time`);
    ``real_time`` on a test overrides a module's ``virtual_time`` (the closer mark wins)."""
    for mark in item.iter_markers():
        if mark.name == "virtual_time":
            return {"virtual": lambda: VirtualTimeLoop(VIRTUAL_START)}
        if mark.name == "real_time":
            break
    return {"real": asyncio.new_event_loop}


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch) -> MemoryKeyring:
    """Every test starts with an empty in-memory keyring and no secrets in the
    environment, so no test reads or writes this machine's real keyring."""
    for variable in ENV_VARS.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", MEMORY)
    backend = MemoryKeyring()
    use_keyring(backend)
    yield backend
    forget_keyring()


@pytest.fixture(autouse=True)
def no_inherited_terminal_size(monkeypatch) -> None:
    """pytest-xdist's workers run with COLUMNS=80 and LINES=24 set; a board started in a
    subprocess (under tmux) would believe them over its terminal and draw at 80x24. Every
    test sees the environment a plain ``pytest`` run gives it."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


@pytest.fixture(autouse=True)
def truecolor_terminal(monkeypatch) -> None:
    """Boards in tests think the terminal shows every colour, whatever TERM the machine
    running them has: on a 16-colour terminal (TERM=xterm, linux, screen) the board uses
    other state colours (wallboard.themes.SIXTEEN_DARK), and snapshots must not vary."""
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.setenv("WALLBOARD_ASCII", "0")  # nor on whether its locale is UTF-8 (tests/test_ascii.py sets it)


@pytest.fixture
def seed_agents_xml() -> bytes:
    return (FIXTURES / "seed_agents.xml").read_bytes()


@pytest.fixture
def seed_queues_xml() -> bytes:
    return (FIXTURES / "seed_queues.xml").read_bytes()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def simulator(clock: FakeClock):
    """A simulator on a free loopback port, on the fixed clock, phase 0."""
    with Simulator(seed=7, agents=30, queues=6, clock=clock, phase=0.0) as sim:
        yield sim
