"""The `wallboard` command as users and scripts call it."""

import math
import os
import re
import subprocess
import sys
import time

import httpx
import pytest
from keyring.backends import fail

from wallboard import __version__
from tests.helpers.keyring import use_keyring
from wallboard.cli import main

CONTRACT_BOARD_OPTIONS = ["--config", "--realtime-url", "--tenant", "--format", "--analytics-url", "--interval", "--theme", "--tv", "--rotate"]


def wallboard(*args, env=None, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "wallboard", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def clean_env(tmp_path, monkeypatch):
    """No config file, no secrets from this machine, no keyring."""
    monkeypatch.setenv("WALLBOARD_CONFIG", "")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("WALLBOARD_REALTIME_TOKEN", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    use_keyring(fail.Keyring())
    return tmp_path


def test_version():
    result = wallboard("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"wallboard {__version__}"


@pytest.mark.parametrize("command", ["run", "demo"])
def test_board_commands_offer_the_contract_options(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for option in CONTRACT_BOARD_OPTIONS:
        assert option in out


def test_demo_and_simulate_offer_the_scenario_options(capsys):
    for command, extra in (("demo", []), ("simulate", ["--host", "--port"])):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        for option in ["--agents", "--queues", "--seed", "--faults", *extra]:
            assert option in out, (command, option)


def test_run_with_nothing_configured_says_what_to_set(clean_env, capsys):
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("wallboard: not configured yet.")
    assert "tenant" in err and "region" in err and "wallboard secrets set realtime-token" in err
    assert "wallboard demo" in err
    assert err.count("\n") == 1


def test_bare_wallboard_means_run(clean_env, capsys):
    assert main([]) == 2
    assert "not configured yet" in capsys.readouterr().err


def test_options_without_a_command_mean_run(clean_env, capsys):
    assert main(["--interval", "abc"]) == 2
    assert capsys.readouterr().err == "wallboard: --interval must be a number of seconds from 1 to 3600; got 'abc'\n"


def test_insecure_url_is_refused_in_one_line(clean_env, capsys):
    assert main(["run", "--tenant", "acme", "--realtime-url", "http://na1.mycontactual.com"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("wallboard: --realtime-url: plain http:// is refused")
    assert "Traceback" not in err


def test_unknown_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["dance"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "unknown command (the first argument)" in err and "dance" not in err, "a first argument may be a pasted token"


def test_bad_faults_spec(clean_env, capsys):
    assert main(["demo", "--faults", "503=2"]) == 2
    assert capsys.readouterr().err.startswith("wallboard: --faults: fault '503=2'")


def test_demo_without_a_terminal_prints_decoded_tables(clean_env):
    process = subprocess.Popen(
        [sys.executable, "-m", "wallboard", "demo", "--agents", "5", "--queues", "2", "--seed", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        deadline = time.monotonic() + 120  # only a hang reaches it: the loop ends at the tables
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if line.startswith("Queue") and len(lines) > 3:
                lines += [process.stdout.readline() for _ in range(3)]
                break
    finally:
        process.terminate()
        process.wait(timeout=60)
    text = "".join(lines)
    assert re.search(r"^Agent\s+State\s+Reason\s+In state\s+Media\s+Line 1\s+Line 2\s+Group", text, re.MULTILINE)
    assert re.search(r"(Available|Busy|On break|Offered|Post-processing|Work offline|Logged out)", text)
    assert re.search(r"^Queue\s+Media\s+Waiting", text, re.MULTILINE)
    assert "Unknown" not in text


def test_simulate_serves_until_stopped():
    process = subprocess.Popen(
        [sys.executable, "-m", "wallboard", "simulate", "--port", "0", "--agents", "3", "--queues", "1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()
        url = re.search(r"listening on (http://\S+)", first).group(1)
        response = httpx.get(f"{url}/api/rtstats/stats/queues.json", auth=("demo", "demo"), timeout=60)
    finally:
        process.terminate()
        process.wait(timeout=60)
    assert response.status_code == 200
    assert len(response.json()["queue"]) == 1


def test_the_live_board_starts_without_the_simulator_or_the_historical_model():
    """`wallboard run` loads what the live board shows first, nothing more: the simulator,
    the Work Analytics model and the Historical tab load when they are used (start-up time
    is measured by `python -m wallboard.bench board`)."""
    script = (
        "import sys, wallboard.cli, wallboard.ui.app; "
        "print(' '.join(sorted(name for name in sys.modules if name.startswith('wallboard.'))))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    loaded = set(result.stdout.split())
    assert {"wallboard.cli.board", "wallboard.ui.app", "wallboard.clients.rtstats"} <= loaded
    late = {
        "wallboard.sim.simulator",
        "wallboard.sim.analytics",
        "wallboard.core.wire.analytics",
        "wallboard.core.views.historical",
        "wallboard.core.reports.table",
        "wallboard.clients.analytics",
        "wallboard.ui.historical.controller",
        "wallboard.ui.historical.pane",
    }
    assert loaded & late == set()


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_wallboard_run_in_a_terminal_shows_every_agent(simulator):
    """The start-up benchmark's own path: the real command in an 80x24 pseudo-terminal with
    the token in the environment, until its screen counts every agent. It asserts that the
    board got there, not how fast (the benchmark prints that)."""
    from wallboard.bench import startup

    [seconds] = startup.measure(simulator.realtime_url, 30, size="80x24", starts=1)
    assert math.isfinite(seconds)
