"""Shared fixtures: the seed examples, a controllable clock and a running simulator."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests: a moderate number of examples by default so the suite stays fast;
# WALLBOARD_HYPOTHESIS_PROFILE=thorough for a long local run.
settings.register_profile("wallboard", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("WALLBOARD_HYPOTHESIS_PROFILE", "wallboard"))

from tests.keyring_memory import MEMORY, MemoryKeyring, use_keyring
from wallboard.credentials.store import ENV_VARS, forget_keyring
from wallboard.sim.simulator import Simulator

FIXTURES = Path(__file__).parent / "fixtures"
EPOCH = 1_763_900_000.0  # 2025-11-23 12:13:20 UTC: a fixed "now" for deterministic data


class FakeClock:
    """A clock tests move by hand; callable like ``time.time``."""

    def __init__(self, now: float = EPOCH) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


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
