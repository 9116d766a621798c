"""`wallboard secrets set/delete/status` as scripts and people call them.

Subprocess tests share a keyring with the child through the test-only JSON file backend
(tests/helpers/keyring.py); in-process tests use the in-memory one.
"""

import io
import json
import os
import pty
import select
import subprocess
import sys
import time

import pytest
from keyring.backends import fail

from tests.helpers.keyring import ROOT, subprocess_env, use_keyring
from wallboard.cli import main
from wallboard.credentials.secret import Secret
from wallboard.credentials.store import read_secret, store_secret

TOKEN = "tok-Zx81-secret"
ADVICE_VARIABLES = ("WALLBOARD_REALTIME_TOKEN", "WALLBOARD_ANALYTICS_API_KEY", "WALLBOARD_ANALYTICS_PASSWORD")


def wallboard(*args, env, stdin="", timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "wallboard", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )


@pytest.fixture
def keyring_file(tmp_path):
    return tmp_path / "keyring.json"


def stored(keyring_file):
    return json.loads(keyring_file.read_text()) if keyring_file.exists() else {}


def test_set_from_piped_stdin_status_and_delete(keyring_file):
    env = subprocess_env(keyring_file)
    result = wallboard("secrets", "set", "realtime-token", env=env, stdin=TOKEN + "\n")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "realtime-token saved in the keyring (tests.helpers.keyring.JsonFileKeyring).\n"
    assert stored(keyring_file) == {"wallboard/realtime-token": TOKEN}

    result = wallboard("secrets", "status", env=env)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "Keyring backend: tests.helpers.keyring.JsonFileKeyring (usable; encryption unknown)",
        "NAME                SET  SOURCE   ENVIRONMENT VARIABLE",
        "realtime-token      yes  keyring  WALLBOARD_REALTIME_TOKEN",
        "analytics-api-key   no   missing  WALLBOARD_ANALYTICS_API_KEY",
        "analytics-password  no   missing  WALLBOARD_ANALYTICS_PASSWORD",
        "cc-api-key          no   missing  WALLBOARD_CC_API_KEY",
        "cc-api-secret       no   missing  WALLBOARD_CC_API_SECRET",
        "relay-token         no   missing  WALLBOARD_RELAY_TOKEN",
        "Set a missing one with `wallboard secrets set NAME`, or with its environment variable.",
    ]
    assert TOKEN not in result.stdout + result.stderr

    result = wallboard("secrets", "delete", "realtime-token", env=env)
    assert (result.returncode, result.stdout) == (0, "realtime-token deleted from the keyring (tests.helpers.keyring.JsonFileKeyring).\n")
    assert stored(keyring_file) == {}
    result = wallboard("secrets", "delete", "realtime-token", env=env)
    assert (result.returncode, result.stdout) == (0, "realtime-token was not in the keyring; nothing to delete.\n")


def test_status_shows_environment_over_keyring(keyring_file):
    keyring_file.write_text(json.dumps({"wallboard/analytics-api-key": "in-keyring"}))
    env = subprocess_env(keyring_file, WALLBOARD_ANALYTICS_API_KEY="in-env", WALLBOARD_ANALYTICS_PASSWORD="pw-in-env")
    result = wallboard("secrets", "status", env=env)
    assert result.stdout.splitlines()[1:5] == [
        "NAME                SET  SOURCE                           ENVIRONMENT VARIABLE",
        "realtime-token      no   missing                          WALLBOARD_REALTIME_TOKEN",
        "analytics-api-key   yes  environment (overrides keyring)  WALLBOARD_ANALYTICS_API_KEY",
        "analytics-password  yes  environment                      WALLBOARD_ANALYTICS_PASSWORD",
    ]
    assert "in-env" not in result.stdout and "in-keyring" not in result.stdout


def test_set_notes_that_the_environment_still_wins(keyring_file):
    env = subprocess_env(keyring_file, WALLBOARD_REALTIME_TOKEN="other")
    result = wallboard("secrets", "set", "realtime-token", env=env, stdin=TOKEN)
    assert result.returncode == 0
    assert result.stdout.splitlines()[1] == "Note: WALLBOARD_REALTIME_TOKEN is set here and takes precedence over the keyring."


def test_no_usable_keyring_exits_2_with_the_advice_before_reading_anything():
    env = subprocess_env(None)
    result = wallboard("secrets", "set", "realtime-token", env=env, stdin=TOKEN)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("wallboard: no usable keyring on this machine (keyring found no backend, typical over SSH); ")
    assert result.stderr.count("\n") == 1
    for variable in ADVICE_VARIABLES:
        assert variable in result.stderr
    assert "pip install keyrings.cryptfile" in result.stderr and "pip install keyrings.alt" in result.stderr
    assert TOKEN not in result.stderr
    assert "Traceback" not in result.stderr


def test_status_without_a_keyring_names_the_backend_and_the_advice():
    result = wallboard("secrets", "status", env=subprocess_env(None, WALLBOARD_REALTIME_TOKEN=TOKEN))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Keyring backend: keyring.backends.fail.Keyring (not usable)"
    assert lines[2] == "realtime-token      yes  environment  WALLBOARD_REALTIME_TOKEN"
    assert lines[7] == "relay-token         no   missing      WALLBOARD_RELAY_TOKEN"
    assert lines[8].startswith("no usable keyring on this machine")
    assert TOKEN not in result.stdout


def test_a_slow_backend_does_not_hang_status(keyring_file, tmp_path):
    (tmp_path / "slowring.py").write_text(
        "import time\n"
        "from keyring.backend import KeyringBackend\n"
        "from keyring.compat import properties\n"
        "class Keyring(KeyringBackend):\n"
        "    @properties.classproperty\n"
        "    def priority(cls):\n"
        "        time.sleep(600)\n"
        "        return 1\n"
        "    def get_password(self, service, username):\n"
        "        return None\n"
        "    set_password = delete_password = get_password\n"
    )
    env = subprocess_env(None, PYTHON_KEYRING_BACKEND="slowring.Keyring")
    env["PYTHONPATH"] += os.pathsep + str(tmp_path)
    result = wallboard("secrets", "status", env=env, timeout=60)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "Keyring backend: unknown (not usable)"
    assert "(finding a keyring backend took longer than 3 s; D-Bus may be unreachable)" in result.stdout


@pytest.mark.parametrize(
    "stdin, message",
    [
        ("", "wallboard: realtime-token: the value is empty; nothing was stored\n"),
        ("\n", "wallboard: realtime-token: the value is empty; nothing was stored\n"),
        ("abc\ndef\n", "wallboard: realtime-token: the value has line breaks or control characters; give one line. Nothing was stored\n"),
        ("x" * 5000, "wallboard: realtime-token: the value is longer than 4096 characters; is that the right file? Nothing was stored\n"),
    ],
)
def test_bad_values_are_refused_in_one_line(stdin, message, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    assert main(["secrets", "set", "realtime-token"]) == 2
    assert capsys.readouterr().err == message
    assert read_secret("realtime-token") is None


def test_crlf_line_ending_is_dropped(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(TOKEN + "\r\n"))
    assert main(["secrets", "set", "analytics-password"]) == 0
    assert read_secret("analytics-password") == Secret(TOKEN)


def test_unknown_name_is_one_line_listing_the_names(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(TOKEN))
    assert main(["secrets", "set", "tok-typed-by-mistake"]) == 2
    err = capsys.readouterr().err
    assert err == "wallboard: unknown secret name; use one of realtime-token, analytics-api-key, analytics-password, cc-api-key, cc-api-secret, relay-token\n"
    assert main(["secrets", "delete", "token"]) == 2
    assert capsys.readouterr().err == err


def test_bare_secrets_means_status(capsys):
    store_secret("analytics-password", Secret(TOKEN))
    assert main(["secrets"]) == 0
    out = capsys.readouterr().out
    assert "analytics-password  yes  keyring" in out
    assert TOKEN not in out


def test_delete_without_a_keyring_is_the_same_advice(capsys):
    use_keyring(fail.Keyring())
    assert main(["secrets", "delete", "realtime-token"]) == 2
    assert capsys.readouterr().err.startswith("wallboard: no usable keyring on this machine")


def test_no_argument_carries_a_value():
    """`set` takes no value option: a secret on the command line is impossible."""
    with pytest.raises(SystemExit) as caught:
        main(["secrets", "set", "realtime-token", TOKEN])
    assert caught.value.code == 2


def test_on_a_terminal_the_value_is_typed_without_echo(keyring_file):
    """A real pseudo-terminal: the prompt shows, the typed value is not echoed."""
    env = subprocess_env(keyring_file)
    pid, fd = pty.fork()
    if pid == 0:  # child: the pty is its controlling terminal and stdin
        try:
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, "-m", "wallboard", "secrets", "set", "realtime-token"], env)
        finally:
            os._exit(127)
    output = b""
    try:
        output += _read_until(fd, b"(realtime-token): ")
        os.write(fd, TOKEN.encode() + b"\r")
        output += _read_until(fd, b"saved in the keyring")
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert output.startswith(b"Data-request token (realtime-token): ")
    assert TOKEN.encode() not in output
    assert stored(keyring_file) == {"wallboard/realtime-token": TOKEN}


def _read_until(fd, marker, timeout=120):
    """Read ``fd`` until ``marker``; the timeout only catches a hang (it ends at the marker)."""
    data = b""
    deadline = time.monotonic() + timeout
    while marker not in data and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
    assert marker in data, data
    return data


@pytest.fixture
def nothing_configured(tmp_path, monkeypatch):
    monkeypatch.setenv("WALLBOARD_CONFIG", "")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    from wallboard.config import default_config_path

    return default_config_path()


def test_run_without_a_keyring_says_to_use_the_environment(nothing_configured, capsys):
    use_keyring(fail.Keyring())
    assert main(["run"]) == 2
    assert capsys.readouterr().err == (
        "wallboard: not configured yet. Set `tenant` (the 8x8 tenant name) in the config file or --tenant; "
        "`region` or `realtime_url` in the config file, or --realtime-url; "
        "the data-request token in WALLBOARD_REALTIME_TOKEN (this machine has no usable keyring for "
        "`wallboard secrets set realtime-token`; `wallboard secrets status` says how to install one). "
        f"Config file: {nothing_configured}. To look around without an account: `wallboard demo`.\n"
    )


def test_run_with_a_keyring_names_the_secrets_command(nothing_configured, capsys):
    assert main(["run", "--tenant", "acme", "--realtime-url", "na1"]) == 2
    assert capsys.readouterr().err == (
        "wallboard: not configured yet. Set the data-request token: `wallboard secrets set realtime-token` "
        f"or WALLBOARD_REALTIME_TOKEN. Config file: {nothing_configured}. To look around without an account: `wallboard demo`.\n"
    )


def test_run_with_a_locked_keyring_says_why(nothing_configured, capsys):
    from tests.helpers.keyring import LockedKeyring

    use_keyring(LockedKeyring())
    assert main(["run", "--tenant", "acme", "--realtime-url", "na1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "wallboard: not configured yet. Set the data-request token: `wallboard secrets set realtime-token` or "
        "WALLBOARD_REALTIME_TOKEN (could not read realtime-token: the keyring (tests.helpers.keyring.LockedKeyring) "
        "said: Failed to unlock the collection!). Config file:"
    )
    assert err.count("\n") == 1


def test_run_finds_the_token_in_the_keyring(nothing_configured, monkeypatch):
    """No "not configured" once the keyring has the token: run goes on to launch."""
    store_secret("realtime-token", Secret(TOKEN))
    launched = []
    monkeypatch.setattr("wallboard.cli.board.launch", lambda settings, token: launched.append((settings.tenant, token)) or 0)
    assert main(["run", "--tenant", "acme", "--realtime-url", "na1"]) == 0
    assert launched == [("acme", Secret(TOKEN))]
