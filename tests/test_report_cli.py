"""`wallboard report` as users and scripts call it, against the simulator over loopback."""

import csv
import io
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from wallboard.cli import main
from wallboard.clients.analytics import LOGIN_REFUSED
from wallboard.core.analytics import REPORT_KINDS
from wallboard.core.report_table import full_columns
from wallboard.sim.simulator import Simulator

ZONE = "America/New_York"
CONTRACT_OPTIONS = ["--start", "--end", "--tz", "--pbx", "--ext", "--format", "--analytics-url", "--config"]
CREDENTIALS = {"WALLBOARD_ANALYTICS_USERNAME": "demo", "WALLBOARD_ANALYTICS_API_KEY": "demo", "WALLBOARD_ANALYTICS_PASSWORD": "demo"}


@pytest.fixture(scope="module")
def live():
    """A simulator on the real clock, as `wallboard report` computes "yesterday" from it."""
    with Simulator(seed=3, agents=12, queues=3) as sim:
        yield sim


@pytest.fixture
def env(tmp_path, monkeypatch, live):
    monkeypatch.setenv("WALLBOARD_CONFIG", "")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    live.faults = None
    return live


def report(live, *args):
    return main(["report", *args, "--analytics-url", live.analytics_url])


def yesterday_in(zone=ZONE):
    return (datetime.now(ZoneInfo(zone)) - timedelta(days=1)).strftime("%Y-%m-%d")


@pytest.mark.parametrize("kind", list(REPORT_KINDS))
def test_every_kind_as_a_table(env, capsys, kind):
    before = yesterday_in()
    extra = ["--ext", "7001"] if kind == "ring-group-members" else []
    assert report(env, kind, "--tz", ZONE, *extra) == 0
    out, err = capsys.readouterr()
    after = yesterday_in()
    label = REPORT_KINDS[kind].label + (" for 7001" if extra else "")
    titles = {f"{label}, all PBXs, {day} 00:00:00 to {day} 23:59:59 {ZONE}" for day in (before, after)}
    lines = out.splitlines()
    assert lines[0] in titles
    assert lines[1] == ""
    assert set(lines[3]) == {"-", " "}  # the rule under the headers
    assert len(lines) > 5
    assert err == ""


def test_csv_has_every_field_and_json_the_same_rows(env, capsys):
    args = ["ring-groups", "--tz", ZONE, "--start", f"{yesterday_in()} 00:00:00", "--end", f"{yesterday_in()} 23:59:59"]
    assert report(env, *args, "--format", "csv") == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert report(env, *args, "--format", "json") == 0
    document = json.loads(capsys.readouterr().out)
    assert rows[0] == [column.header for column in full_columns(REPORT_KINDS["ring-groups"])]
    assert len(rows) - 1 == document["count"] == len(document["records"]) == 3
    assert [row[0] for row in rows[1:]] == [record["extension"] for record in document["records"]]
    assert [row[5] for row in rows[1:]] == [str(record["total_calls"]) for record in document["records"]]


def test_json_for_scripts(env, capsys):
    day = yesterday_in("Europe/London")
    assert report(env, "call-records", "--tz", "Europe/London", "--pbx", "demo-pbx2", "--start", f"{day} 08:00:00", "--end", f"{day} 18:00:00", "--format", "JSON") == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["pbx"], document["time_zone"], document["start"]) == (["demo-pbx2"], "Europe/London", f"{day} 08:00:00")
    assert document["count"] > 0
    assert {record["pbx_id"] for record in document["records"]} == {"demo-pbx2"}
    assert all(isinstance(record["talk_time"], int) for record in document["records"])
    assert document["totals"]["talk_time"] == sum(record["talk_time"] for record in document["records"])


def test_ext_filters_call_records(env, capsys):
    assert report(env, "call-records", "--tz", ZONE, "--ext", "1003", "--format", "json") == 0
    records = json.loads(capsys.readouterr().out)["records"]
    assert records and all("1003" in (record["caller"], record["callee"]) for record in records)


def test_start_alone_runs_until_now(env, capsys):
    start = (datetime.now(ZoneInfo(ZONE)) - timedelta(hours=30)).strftime("%Y-%m-%d %H:%M:%S")
    assert report(env, "company", "--tz", ZONE, "--start", start, "--format", "json") == 0
    document = json.loads(capsys.readouterr().out)
    assert document["start"] == start
    end = datetime.strptime(document["end"], "%Y-%m-%d %H:%M:%S")
    assert abs((datetime.now(ZoneInfo(ZONE)).replace(tzinfo=None) - end).total_seconds()) < 60


def test_a_date_without_a_time_is_the_whole_day(env, capsys):
    day = yesterday_in()
    assert report(env, "company", "--tz", ZONE, "--start", day, "--end", day, "--format", "json") == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["start"], document["end"]) == (f"{day} 00:00:00", f"{day} 23:59:59")


def test_a_start_in_the_future_is_named_not_the_end_nobody_gave(env, capsys):
    tomorrow = (datetime.now(ZoneInfo(ZONE)) + timedelta(days=1)).strftime("%Y-%m-%d")
    assert report(env, "company", "--tz", ZONE, "--start", f"{tomorrow} 09:00:00") == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"wallboard: --start {tomorrow} 09:00:00 is in the future (it is ")
    assert err.endswith(f" in {ZONE}): there is no data yet\n")
    assert "--end" not in err


def test_defaults_come_from_the_config(env, capsys, tmp_path):
    config = tmp_path / "wallboard.toml"
    config.write_text('timezone = "Asia/Tokyo"\n[analytics]\npbx = ["demo-pbx2"]\n', encoding="utf-8")
    assert report(env, "company", "--config", str(config), "--format", "json") == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["time_zone"], document["pbx"]) == ("Asia/Tokyo", ["demo-pbx2"])
    assert [record["pbx_id"] for record in document["records"]] == ["demo-pbx2"]


def two_years_ago():
    return (datetime.now(timezone.utc) - timedelta(days=2 * 365 + 5)).strftime("%Y-%m-%d 00:00:00")


@pytest.mark.parametrize(
    "args, message",
    [
        (["queues"], "unknown report 'queues'; choose from company, extensions, ring-groups, ring-group-members, call-records, call-legs"),
        (["company", "--format", "xml"], "--format must be one of table, csv, json; got 'xml'"),
        (["company", "--tz", "Mars/Olympus"], "--tz: 'Mars/Olympus' is not an IANA time zone (e.g. Europe/London, America/New_York)"),
        (["company", "--tz", "UTC", "--start", "2025-11-20 10:00:00", "--end", "2025-11-20 09:00:00"], "--end 2025-11-20 09:00:00 is not after --start 2025-11-20 10:00:00: the end must come after the start"),
        (["company", "--start", "yesterday"], '--start: \'yesterday\' is not a time in the form YYYY-MM-DD HH:MM:SS (or YYYY-MM-DD for the whole day), e.g. "2025-11-20 08:30:00"'),
        (["company", "--end", "2025-11-20 09:00:00"], "--end needs --start too (without both, the report covers yesterday)"),
        (["company", "--ext", "1001"], "--ext does not apply to the company report"),
        (["ring-group-members"], "--ext: the ring-group-members report needs the ring group's extension"),
        (["company", "--pbx", "a b"], "--pbx: 'a b' is not a PBX name"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(env, capsys, args, message):
    assert report(env, *args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"wallboard: {message}\n"


def test_a_range_older_than_two_years_is_refused_with_the_reason(env, capsys):
    sent = env.requests["analytics"] + env.requests["token"]
    assert report(env, "extensions", "--tz", "UTC", "--start", two_years_ago(), "--end", (datetime.now(timezone.utc) - timedelta(days=600)).strftime("%Y-%m-%d 00:00:00")) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"wallboard: --start {two_years_ago()} is more than 2 years ago: Work Analytics keeps only the last 2 years")
    assert err.count("\n") == 1
    assert env.requests["analytics"] + env.requests["token"] == sent  # nothing was sent


def test_missing_credentials_say_what_to_set(env, capsys, monkeypatch):
    for name in CREDENTIALS:
        monkeypatch.delenv(name)
    assert report(env, "company") == 2
    err = capsys.readouterr().err
    assert err == (
        "wallboard: Work Analytics is not configured yet. Set the user name: analytics.username in the config file "
        "or WALLBOARD_ANALYTICS_USERNAME; the API key: `wallboard secrets set analytics-api-key` or "
        "WALLBOARD_ANALYTICS_API_KEY; the password: `wallboard secrets set analytics-password` or "
        "WALLBOARD_ANALYTICS_PASSWORD.\n"
    )


def test_a_failing_server_is_one_line(env, capsys):
    env.faults = "503=1@analytics,retry-after=0"
    assert report(env, "company", "--tz", "UTC") == 2
    err = capsys.readouterr().err
    assert err.startswith("wallboard: the server is busy (HTTP 503) answering the company summary from 127.0.0.1:")
    assert err.endswith("; gave up after 3 attempts\n")


def test_plain_http_elsewhere_is_refused(env, capsys):
    assert main(["report", "company", "--analytics-url", "http://api.8x8.com/analytics/work"]) == 2
    assert capsys.readouterr().err.startswith("wallboard: --analytics-url: plain http:// is refused for api.8x8.com")


def test_help_offers_the_contract_options(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for option in CONTRACT_OPTIONS:
        assert option in out
    for kind in REPORT_KINDS:
        assert kind in out


# --- the real command, in its own process ---------------------------------------------------


def wallboard(*args, env_vars):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WALLBOARD_")}
    environment.update(env_vars)
    return subprocess.run([sys.executable, "-m", "wallboard", *args], capture_output=True, text=True, timeout=60, env=environment)


def base_env(tmp_path):
    return {"WALLBOARD_CONFIG": "", "XDG_CONFIG_HOME": str(tmp_path), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def test_the_command_writes_the_report_to_stdout(live, tmp_path):
    live.faults = None
    result = wallboard("report", "extensions", "--tz", ZONE, "--format", "csv", "--analytics-url", live.analytics_url, env_vars={**base_env(tmp_path), **CREDENTIALS})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:3] == ["Extension", "PBX ID", "First name"]
    assert len(rows) == 13


def test_a_console_that_cannot_show_a_name_gets_a_replacement_not_a_traceback(live, tmp_path):
    live.faults = None
    environment = {**base_env(tmp_path), **CREDENTIALS, "PYTHONIOENCODING": "ascii"}
    result = wallboard("report", "extensions", "--tz", ZONE, "--analytics-url", live.analytics_url, env_vars=environment)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    names = [agent.name for agent in live.scenario.agents]
    assert any(not name.isascii() for name in names)  # the seed has names such as Zoë or José
    assert all(name.encode("ascii", "replace").decode() in result.stdout for name in names)


def test_refused_credentials_exit_2_without_traceback_or_secret(live, tmp_path):
    live.faults = None
    secrets = {**CREDENTIALS, "WALLBOARD_ANALYTICS_PASSWORD": "hunter2-s3cret", "WALLBOARD_ANALYTICS_API_KEY": "demo"}
    result = wallboard("report", "company", "--analytics-url", live.analytics_url, env_vars={**base_env(tmp_path), **secrets})
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"wallboard: {LOGIN_REFUSED} (HTTP 401)\n"
    assert "Traceback" not in result.stderr and "hunter2" not in result.stderr


def test_a_keyring_that_does_not_answer_is_named_not_called_unconfigured(env, capsys, monkeypatch):
    """The issue: a keyring that timed out was reported as "not configured yet"."""
    import wallboard.secrets as secrets
    from tests.keyring_memory import use_keyring
    from tests.test_secrets import BlockingKeyring

    for name in ("WALLBOARD_ANALYTICS_API_KEY", "WALLBOARD_ANALYTICS_PASSWORD"):
        monkeypatch.delenv(name)
    backend = BlockingKeyring()
    use_keyring(backend)
    monkeypatch.setattr(secrets, "OPERATION_TIMEOUT", 0.05)
    try:
        assert report(env, "company") == 2
    finally:
        backend.release.set()
    err = capsys.readouterr().err
    assert err.startswith("wallboard: could not read analytics-api-key: the keyring (tests.test_secrets.BlockingKeyring) did not answer within 0.05 s")
    assert "not configured" not in err and err.count("\n") == 1
