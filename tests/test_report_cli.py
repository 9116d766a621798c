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
from tests.helpers.hostile import VENDOR_RECORDS, numbered_pages, serve_call_records
from wallboard.clients.analytics import API_KEY_REFUSED, USER_REFUSED
from wallboard.core.model.analytics import REPORT_KINDS
from wallboard.core.reports.table import full_columns
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
    # the README's rule: the caller, the callee, the last routed agent (lra), or the number in
    # a callee such as "Voicemail (1003)" (the lra case depends on the day's calls)
    assert records and all(
        "1003" in (record["caller"], record["callee"], record["lra"]) or "(1003)" in record["callee"] for record in records
    )


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


def test_a_start_older_than_two_years_is_clamped_and_said_on_stderr(env, capsys):
    """As the service does (it answers the most recent two years), not refused (issue 13 #10)."""
    end = (datetime.now(timezone.utc) - timedelta(days=600)).strftime("%Y-%m-%d 00:00:00")
    args = ["extensions", "--tz", "UTC", "--start", two_years_ago(), "--end", end]
    assert report(env, *args) == 0
    out, err = capsys.readouterr()
    title = out.splitlines()[0]
    start = title.split(", all PBXs, ")[1].split(" to ")[0]
    assert err == (
        f"wallboard: note: Work Analytics keeps only the last 2 years: the report starts at {start}, "
        f"not {two_years_ago()}\n"
    )
    assert datetime.strptime(start, "%Y-%m-%d %H:%M:%S") > datetime.strptime(two_years_ago(), "%Y-%m-%d %H:%M:%S")
    assert report(env, *args, "--format", "json") == 0
    document = json.loads(capsys.readouterr().out)
    assert document["problems"][0] == (
        f"Work Analytics keeps only the last 2 years: the report starts at {document['start']}, not {two_years_ago()}"
    )


def test_a_range_wholly_older_than_two_years_is_refused(env, capsys):
    sent = env.requests["analytics"] + env.requests["token"]
    end = (datetime.now(timezone.utc) - timedelta(days=2 * 365 + 2)).strftime("%Y-%m-%d 00:00:00")
    assert report(env, "extensions", "--tz", "UTC", "--start", two_years_ago(), "--end", end) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"wallboard: --end {end} is more than 2 years ago: Work Analytics keeps only the last 2 years")
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
    assert result.stderr == f'wallboard: {USER_REFUSED.format(user="demo")} (HTTP 400; the server said: "Bad credentials" (invalid_grant))\n'
    assert "Traceback" not in result.stderr and "hunter2" not in result.stderr


# --- names that do not exist (issue 12 #11, issue 13 #12) -----------------------------------


def test_an_unknown_pbx_is_refused_naming_those_that_exist(env, capsys):
    assert report(env, "company", "--pbx", "demo-pbx,nosuchpbx") == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "wallboard: --pbx: no PBX named 'nosuchpbx'; the PBXs this user can see: demo-pbx, demo-pbx2\n"


def test_a_pbx_list_that_cannot_be_read_leaves_it_to_the_report(env, capsys):
    env.faults = "404=1@pbxes"
    try:
        assert report(env, "company", "--pbx", "nosuchpbx") == 2
    finally:
        env.faults = None
    err = capsys.readouterr().err
    assert err.startswith("wallboard: Work Analytics refused PBX 'nosuchpbx' to this user: no such PBX, or no access to it")
    assert err.endswith('(HTTP 403; the server said: "user [demo] does not have access to pbxId [nosuchpbx]")\n')


def test_an_unknown_ring_group_is_refused_naming_those_that_exist(env, capsys):
    assert report(env, "ring-group-members", "--ext", "9999") == 2
    out, err = capsys.readouterr()
    groups = ", ".join(f"{7001 + queue.index} {queue.name}" for queue in env.scenario.queues)
    assert out == ""
    assert err == f"wallboard: --ext: no ring group 9999 on any PBX; ring groups: {groups}\n"
    assert report(env, "ring-group-members", "--ext", "7001", "--tz", ZONE) == 0


# --- page size (issue 13 #7) -----------------------------------------------------------------


def test_page_size_comes_from_the_option_or_the_config(env, capsys, tmp_path):
    day = ["--tz", ZONE, "--start", f"{yesterday_in()} 00:00:00", "--end", f"{yesterday_in()} 23:59:59", "--format", "json"]
    before = env.analytics.reports["call-records"]
    assert report(env, "call-records", *day) == 0
    count = json.loads(capsys.readouterr().out)["count"]
    assert 100 < count < 1000 and env.analytics.reports["call-records"] - before == 2, "one page of 1,000, then the end"
    before = env.analytics.reports["call-records"]
    assert report(env, "call-records", *day, "--page-size", "10") == 0
    assert json.loads(capsys.readouterr().out)["count"] == count
    assert env.analytics.reports["call-records"] - before == -(-count // 10) + 1
    config = tmp_path / "config.toml"
    config.write_text("[analytics]\npage_size = 7000\n")
    assert report(env, "call-records", *day, "--config", str(config)) == 0
    for size, message in (("0", "--page-size must be from 1 to 7000 records; got 0"), ("7001", "--page-size must be from 1 to 7000 records; got 7001")):
        assert report(env, "call-records", *day, "--page-size", size) == 2
        assert capsys.readouterr().err.endswith(f"wallboard: {message}\n")


# --- every field, streamed (issue 13 #9, issue 11 #6) -------------------------------------------


def test_csv_of_call_records_carries_every_documented_field(env, capsys):
    assert report(env, "call-records", "--tz", ZONE, "--format", "csv") == 0
    header = next(csv.reader(io.StringIO(capsys.readouterr().out)))
    for name in ("LRA", "Answered time", "Callee hold duration", "AA destination", "Caller ID", "SIP call ID", "Caller disconnect on hold"):
        assert name in header
    assert report(env, "call-legs", "--tz", ZONE, "--format", "csv", "--ext", "1001") == 0
    header = next(csv.reader(io.StringIO(capsys.readouterr().out)))
    for name in ("LRA type", "Caller service name", "Account code", "AA path", "Record service on", "Barge service on", "Master slave exts", "Caller device ID", "Callee device model"):
        assert name in header


def hostile(records_for_page, total=None):
    return serve_call_records(numbered_pages(records_for_page, total))


def run_against(server, *args):
    return main(["report", "call-records", "--tz", "UTC", *args, "--analytics-url", f"{server.url}/w"])


def test_fields_we_do_not_know_are_exported_after_the_known_ones(env, capsys):
    def pages(number):
        if number == 0:
            return [{**VENDOR_RECORDS[0], "newMetricMS": 42}, VENDOR_RECORDS[1]]
        return [{**VENDOR_RECORDS[1], "callId": "3", "lateField": "x"}] if number == 1 else []

    with hostile(pages) as server:
        assert run_against(server, "--format", "csv") == 0
        out, err = capsys.readouterr()
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0][-1] == "newMetricMS" and rows[0][:-1] == [c.header for c in full_columns(REPORT_KINDS["call-records"])]
        assert [row[-1] for row in rows[1:]] == ["42", "", ""]
        assert err == "wallboard: note: fields first sent after the first page are not in the CSV: lateField (--format json carries every field)\n"
        assert run_against(server, "--format", "json") == 0
        records = json.loads(capsys.readouterr().out)["records"]
    assert list(records[0])[-1] == "newMetricMS" and records[0]["newMetricMS"] == 42
    assert records[2]["lateField"] == "x" and "newMetricMS" not in records[1]


def test_a_listing_that_fails_midway_leaves_valid_json_and_the_rows_read(env, capsys):
    def pages(number):
        if number < 2:
            return [{**VENDOR_RECORDS[0], "callId": f"{number}-{n}"} for n in range(3)]
        raise RuntimeError("the server broke")  # a 500 from the simulator's handler

    with hostile(pages) as server:
        assert run_against(server, "--format", "json") == 2
        out, err = capsys.readouterr()
        document = json.loads(out)
        assert document["count"] == 6 and len(document["records"]) == 6
        assert document["problems"][0] == err.removeprefix("wallboard: ").rstrip("\n")
        assert run_against(server, "--format", "csv") == 2
        out, err = capsys.readouterr()
    assert len(list(csv.reader(io.StringIO(out)))) == 7, "the header and the rows of the pages read"
    assert "HTTP 500" in err


def test_a_table_holds_at_most_so_many_records(env, capsys, monkeypatch):
    from wallboard.cli import report as report_command

    monkeypatch.setattr(report_command, "MAX_TABLE_RECORDS", 4)
    with hostile(lambda number: [{**VENDOR_RECORDS[0], "callId": f"{number}-{n}"} for n in range(3)] if number < 3 else []) as server:
        assert run_against(server) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert err == (
            "wallboard: the call records hold more than 4 records, too many to hold for a table: "
            "ask for --format csv or json (written as they arrive) or a shorter range\n"
        )
        assert run_against(server, "--format", "csv") == 0


# --- a listing that ends short (issue 13 #11) ---------------------------------------------------


def test_a_listing_that_stops_early_is_said_on_stderr_and_in_json(env, capsys):
    env.analytics.scroll_mode, env.analytics.short_after = "short", 200
    try:
        args = ["call-legs", "--tz", ZONE, "--start", f"{yesterday_in()} 00:00:00", "--end", f"{yesterday_in()} 23:59:59", "--page-size", "100"]
        assert report(env, *args, "--format", "json") == 0
        out, err = capsys.readouterr()
        assert report(env, *args) == 0
        table_err = capsys.readouterr().err
    finally:
        env.analytics.scroll_mode = "normal"
    document = json.loads(out)
    assert document["count"] == 200
    note = document["problems"][0]
    assert note.startswith("200 of ") and note.endswith(" records: the service stopped early")
    assert err == table_err == f"wallboard: note: {note}\n"


# --- a time out of range (issue 11 #7) -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_one_impossible_time_does_not_kill_the_report(env, capsys, fmt):
    bad = {**VENDOR_RECORDS[1], "startTime": "0001-01-01T00:00:00+05:00", "startTimeUTC": None}
    with hostile(lambda number: [VENDOR_RECORDS[0], bad] if number == 0 else []) as server:
        assert run_against(server, "--format", fmt) == 0
    out, err = capsys.readouterr()
    assert "1635571048351" in out or fmt == "table"
    assert "Traceback" not in err
    assert err == (
        "wallboard: note: part of the report could not be read: "
        "call record #2: start_time is out of range (0001-01-01T00:00:00+05:00)\n"
    )
    if fmt == "json":
        records = json.loads(out)["records"]
        assert [r["start_time"] for r in records] == ["2022-02-03T14:27:27.493000+00:00", None]
    elif fmt == "table":
        assert len(out.splitlines()) == 8  # title, blank, headers, rule, two rows, rule, totals


# --- the server's words (issue 13 #8) ------------------------------------------------------------


def test_a_refused_api_key_says_so_with_the_servers_words(env, capsys, monkeypatch):
    monkeypatch.setenv("WALLBOARD_ANALYTICS_API_KEY", "old-key")
    assert report(env, "company") == 2
    assert capsys.readouterr().err == f'wallboard: {API_KEY_REFUSED} (HTTP 400; the server said: "Invalid 8x8-apikey" (SHA001))\n'


def test_a_keyring_that_does_not_answer_is_named_not_called_unconfigured(env, capsys, monkeypatch):
    """The issue: a keyring that timed out was reported as "not configured yet"."""
    import wallboard.credentials.store as secrets
    from tests.helpers.keyring import use_keyring
    from tests.helpers.keyring import BlockingKeyring

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
    assert err.startswith("wallboard: could not read analytics-api-key: the keyring (tests.helpers.keyring.BlockingKeyring) did not answer within 0.05 s")
    assert "not configured" not in err and err.count("\n") == 1
