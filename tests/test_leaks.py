"""A known secret must never come out: not in output, files, logs, errors, reprs or snapshots.

Each test puts known secrets where the program will find them (environment, keyring,
the simulator's expected token), runs real commands, and then greps every artefact of
the run: standard output and error, every file under the run's config/data/state/cache
directories and working directory, and the committed snapshot SVGs. The Basic-auth
header form (base64 of ``tenant:token``) is searched for as well.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import logging
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pytest

from tests.helpers.keyring import subprocess_env
from tests.helpers.known_secrets import LEAKCHECK, TYPED
from wallboard.cli import build_parser
from wallboard.clients.rtstats import RealtimeClient
from wallboard.errors import AuthError
from wallboard.credentials.secret import Secret
from wallboard.credentials.store import Resolved, resolve, store_secret
from wallboard.credentials.needs import SetupResult
from wallboard.sim.simulator import Simulator

TOKEN, API_KEY, PASSWORD = LEAKCHECK
SNAPSHOTS = Path(__file__).parent / "__snapshots__"


def forms(secret: str, tenant: str = "demo") -> list[str]:
    """The secret and the ways it could travel encoded."""
    return [secret, base64.b64encode(f"{tenant}:{secret}".encode()).decode(), base64.b64encode(secret.encode()).decode()]


def assert_absent(text: str, *secrets: str, where: str) -> None:
    for secret in secrets:
        for form in forms(secret):
            assert form not in text, f"a secret leaked into {where}"


@dataclasses.dataclass
class Run:
    """One sandbox for CLI runs: its own XDG dirs, working dir and test keyring file."""

    root: Path

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def workdir(self) -> Path:
        return self.root / "work"

    @property
    def keyring_file(self) -> Path:
        return self.root / "keyring" / "keyring.json"

    def env(self, **extra: str) -> dict[str, str]:
        dirs = {name: str(self.home / name.lower()) for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")}
        return subprocess_env(self.keyring_file, HOME=str(self.home), WALLBOARD_CONFIG="", **dirs, **extra)

    def call(self, *args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "wallboard", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            env=self.env(**env),
            cwd=self.workdir,
        )

    def stream(self, *args: str, until: str, seconds: float = 120, **env: str) -> str:
        """Run a long-lived command with output to log files until ``until`` shows, then stop it."""
        out_path, err_path = self.workdir / "out.log", self.workdir / "err.log"
        with out_path.open("w") as out, err_path.open("w") as err:
            process = subprocess.Popen(
                [sys.executable, "-m", "wallboard", *args], stdout=out, stderr=err, env=self.env(**env), cwd=self.workdir
            )
            try:
                deadline = time.monotonic() + seconds
                while time.monotonic() < deadline and until not in out_path.read_text() + err_path.read_text():
                    time.sleep(0.1)
            finally:
                process.terminate()
                process.wait(timeout=60)
        return out_path.read_text() + err_path.read_text()

    def write_config(self, text: str) -> Path:
        path = self.home / "xdg_config_home" / "wallboard" / "config.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def files(self) -> list[Path]:
        """Every file the runs could have written, the keyring file excepted (it is the keyring)."""
        return [path for base in (self.home, self.workdir) for path in base.rglob("*") if path.is_file()]


@pytest.fixture
def run(tmp_path) -> Run:
    sandbox = Run(tmp_path)
    sandbox.workdir.mkdir(parents=True)
    sandbox.keyring_file.parent.mkdir(parents=True)
    return sandbox


def test_cli_runs_leak_nothing(run):
    """secrets set/status/delete, run with a bad URL, run against the simulator with a
    refused token and with the right one from the keyring, and demo: grep everything."""
    config = run.write_config('tenant = "demo"\nregion = "na1"\n[analytics]\nusername = "boss"\n')
    outputs: list[str] = []

    result = run.call("secrets", "set", "realtime-token", stdin=TOKEN + "\n")
    assert result.returncode == 0, result.stderr
    outputs += [result.stdout, result.stderr]
    result = run.call("secrets", "set", "analytics-api-key", stdin=API_KEY)
    assert result.returncode == 0, result.stderr
    outputs += [result.stdout, result.stderr]
    assert json.loads(run.keyring_file.read_text()) == {"wallboard/realtime-token": TOKEN, "wallboard/analytics-api-key": API_KEY}

    result = run.call("secrets", "status", WALLBOARD_ANALYTICS_PASSWORD=PASSWORD)
    assert result.returncode == 0 and "analytics-password  yes  environment" in result.stdout
    outputs += [result.stdout, result.stderr]
    result = run.call("secrets", "delete", "analytics-api-key")
    assert result.returncode == 0
    outputs += [result.stdout, result.stderr]

    result = run.call("run", "--realtime-url", "http://example.com/api", WALLBOARD_ANALYTICS_PASSWORD=PASSWORD)
    assert result.returncode == 2 and result.stderr.startswith("wallboard: --realtime-url: plain http:// is refused")
    outputs += [result.stdout, result.stderr]

    with Simulator(seed=3, agents=4, queues=2, token="the-right-token") as refusing:
        text = run.stream("run", "--realtime-url", refusing.realtime_url, "--interval", "1", until="was refused")
        assert "the tenant name or data-request token was refused" in text
        assert refusing.requests["agents"] >= 1
    outputs.append(text)

    with Simulator(seed=3, agents=4, queues=2, token=TOKEN) as accepting:
        text = run.stream("run", "--realtime-url", accepting.realtime_url, until="Abandoned")
        assert "Abandoned" in text and "refused" not in text
    outputs.append(text)

    text = run.stream("demo", "--agents", "3", "--queues", "1", until="Abandoned", WALLBOARD_REALTIME_TOKEN=TOKEN, WALLBOARD_ANALYTICS_API_KEY=API_KEY)
    assert "Abandoned" in text
    outputs.append(text)

    for index, output in enumerate(outputs):
        assert_absent(output, TOKEN, API_KEY, PASSWORD, where=f"output #{index}")
    files = run.files()
    assert config in files and (run.workdir / "out.log") in files
    for path in files:
        assert_absent(path.read_text(errors="replace"), TOKEN, API_KEY, PASSWORD, where=str(path))


def test_no_command_line_option_takes_a_secret():
    parser = build_parser()
    seen = []

    def walk(p):
        for action in p._actions:
            seen.extend(action.option_strings)
            for sub in getattr(action, "choices", None) or {}:
                if isinstance(action.choices, dict):
                    walk(action.choices[sub])

    walk(parser)
    assert "--realtime-url" in seen and "--tenant" in seen
    # --token-expiry sets how long the simulator's tokens live: a number, not a secret;
    # --keyfile (relay, serve) is the path of the TLS key's file: the key stays in the file
    not_secrets = {"--token-expiry", "--keyfile"}
    suspicious = [
        option
        for option in seen
        if option not in not_secrets and any(word in option for word in ("token", "password", "key", "secret"))
    ]
    assert suspicious == []


def test_snapshot_svgs_hold_no_typed_secret():
    svgs = sorted(SNAPSHOTS.rglob("*.svg"))
    assert len(svgs) >= 7
    for svg in svgs:
        assert_absent(svg.read_text(encoding="utf-8"), *TYPED, where=svg.name)
    # the typed secrets are there, masked: one bullet per character of the token
    first_run = (SNAPSHOTS / "test_setup_screen" / "test_snapshot_first_run_with_the_token_typed[80x24].svg").read_text()
    assert "•" * len(TYPED[0]) in first_run


def test_every_printable_form_of_a_secret_is_redacted(caplog):
    secret = Secret(TOKEN)
    holders = [
        secret,
        Resolved("realtime-token", secret, "keyring"),
        SetupResult(secrets={"realtime-token": secret}, tenant="acme"),
        [secret],
        {"token": secret},
    ]
    logger = logging.getLogger("wallboard.test")
    with caplog.at_level(logging.DEBUG):
        for holder in holders:
            texts = [repr(holder), str(holder), f"{holder}", f"{holder!r}", "{}".format(holder), "%s" % (holder,)]
            logger.debug("holder %s %r", holder, holder)
            logger.info(f"holder {holder}")
            for text in texts:
                assert_absent(text, TOKEN, where=f"a form of {type(holder).__name__}")
        logger.warning("secret=%s", secret)
    assert_absent(caplog.text, TOKEN, where="the log")
    assert f"{secret:>30}" == "******"
    with pytest.raises(TypeError):
        json.dumps({"token": secret})


def test_the_client_keeps_the_token_out_of_reprs_logs_and_errors(caplog):
    with Simulator(seed=3, agents=2, queues=1, token="the-right-token") as sim, caplog.at_level(logging.DEBUG):
        import asyncio

        async def attempt():
            async with RealtimeClient(sim.realtime_url, "demo", Secret(TOKEN)) as client:
                reprs = [repr(client), repr(client._client), repr(client._client.auth), str(vars(client))]
                with pytest.raises(AuthError) as caught:
                    await client.agents()
                return reprs, caught.value

        reprs, error = asyncio.run(attempt())
    assert error.status == 403
    chain = "".join(traceback.format_exception(error))
    context = error.__context__
    while context is not None:
        chain += repr(context) + str(context)
        context = context.__context__
    for text in [*reprs, str(error), repr(error), repr(error.args), chain, caplog.text]:
        assert_absent(text, TOKEN, where="the client's reprs, errors or logs")
    assert "tenant name or data-request token was refused" in str(error)


def test_a_keyring_error_from_resolution_holds_no_secret():
    from tests.helpers.keyring import MemoryKeyring, use_keyring

    class EchoOnRead(MemoryKeyring):
        def get_password(self, service, username):
            raise RuntimeError("backend failed")

    store_secret("realtime-token", Secret(TOKEN))
    use_keyring(EchoOnRead())
    resolved = resolve("realtime-token", env={})
    assert resolved.source == "missing"
    assert resolved.problem == "could not read realtime-token: the keyring (tests.test_leaks.EchoOnRead) said: backend failed"
    assert_absent(repr(resolved), TOKEN, where="resolve")


def test_httpx_debug_logging_has_no_auth_header(caplog):
    """httpx/httpcore at DEBUG while a request with our auth goes out and succeeds."""
    with Simulator(seed=3, agents=2, queues=1, token=TOKEN) as sim, caplog.at_level(logging.DEBUG):
        import asyncio

        async def fetch():
            async with RealtimeClient(sim.realtime_url, "demo", Secret(TOKEN)) as client:
                return await client.queues()

        fetched = asyncio.run(fetch())
    assert len(fetched.result.records) == 1
    assert any(record.name.startswith(("httpx", "httpcore")) for record in caplog.records)
    assert_absent(caplog.text, TOKEN, where="httpx logs")
