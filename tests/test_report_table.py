"""The table model shared by the Historical tab and `wallboard report`: columns, totals,
sorting, and the text, CSV and JSON renderers."""

import csv
import io
import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.helpers.data import FIXTURES
from wallboard.core.model.analytics import (
    CALL_LEGS,
    CALL_RECORDS,
    COMPANY,
    EXTENSIONS,
    REPORT_KINDS,
    RING_GROUP_MEMBERS,
    RING_GROUPS,
    CallRecord,
    CompanySummary,
    Report,
    RingGroupMember,
)
from wallboard.core.model.fields import field_specs
from wallboard.core.wire.analytics import parse_page, parse_summary
from wallboard.core.reports.query import make_query
from wallboard.core.reports.render import CsvStream, JsonStream, csv_cell, render_text, report_csv, to_csv, to_json
from wallboard.core.reports.table import (
    SUM,
    Fmt,
    Ratio,
    build_table,
    compute_totals,
    full_columns,
    header_for,
    screen_columns,
    total_rule,
)

NOW = datetime(2025, 11, 23, 12, 0, tzinfo=timezone.utc)
NEW_YORK = ZoneInfo("America/New_York")


def seed(name, kind):
    return parse_summary((FIXTURES / name).read_bytes(), kind).records


def company():
    return seed("seed_company_summary.json", COMPANY)


def test_company_table_cells_and_totals():
    records = company()
    table = build_table(COMPANY, records)
    assert table.headers == ("PBX", "Calls", "Inbound", "Outbound", "Answered", "Missed", "Abandoned", "Voicemail", "Talk time", "Avg talk", "Ring time")
    assert table.rows[0].cells == ("acmecorp", "3215", "2252", "750", "1754", "1411", "732", "688", "159:26:06", "0:05:27", "3:24:41")
    assert table.rows[0].record is records[0]
    # counts and total times are summed; the average is total talk / answered, not a sum
    assert table.totals.cells == ("Total", "3216", "2252", "751", "1755", "1411", "732", "688", "159:26:08", "0:05:27", "3:24:46")
    assert table.totals.values[9] == round((573966607 + 2248) / (1754 + 1))
    assert table.totals.record is None


def test_averages_and_percentages_are_recomputed_or_blank_never_summed():
    records = company()
    columns = full_columns(COMPANY)
    totals = dict(zip((column.key for column in columns), compute_totals(columns, records)))
    assert totals["avg_call_time"] == round((735627139 + 7429) / (3215 + 1))
    assert totals["avg_ring_time"] is None  # undefined denominator: blank
    assert totals["avg_abandoned_time"] is None
    assert totals["percent_external_inbound_answered"] is None  # 0 of 0
    assert totals["pbx_id"] is None
    extensions = seed("seed_extension_summary.json", EXTENSIONS)
    columns = full_columns(EXTENSIONS)
    totals = dict(zip((column.key for column in columns), compute_totals(columns, extensions)))
    assert totals["percent_external_inbound_answered"] == 50.0  # 1 answered of 2, not 0 + 100
    assert totals["avg_talk_time"] == 2248  # 2248 ms over 1 answered call


def test_the_recomputed_totals_agree_with_the_vendors_own_rows():
    """A rule is used only where every seed row satisfies it (one row's total is itself)."""
    for name, kind in (("seed_company_summary.json", COMPANY), ("seed_extension_summary.json", EXTENSIONS), ("seed_ring_group_summary.json", RING_GROUPS)):
        for record in seed(name, kind):
            columns = full_columns(kind)
            for column, total in zip(columns, compute_totals(columns, [record])):
                if isinstance(column.total, Ratio) and total is not None:
                    assert total == pytest.approx(getattr(record, column.key), abs=1), (kind.name, column.key)


def test_ring_group_totals():
    table = build_table(RING_GROUPS, seed("seed_ring_group_summary.json", RING_GROUPS))
    assert table.totals.cells == ("Total", "", "", "", "13", "0", "13", "1", "12", "0:00:00", "—", "0:00:00")
    assert total_rule(RING_GROUPS, "total_members") is None  # agents in several groups
    assert total_rule(RING_GROUPS, "avg_rg_time") == Ratio("total_rg_time", "total_calls")


def test_call_legs_have_no_totals_and_records_sum_their_times():
    assert all(column.total is None for column in full_columns(CALL_LEGS))
    assert total_rule(CALL_RECORDS, "talk_time") == SUM
    assert total_rule(CALL_RECORDS, "call_leg_count") is None
    page = parse_page((FIXTURES / "call_records_page.json").read_bytes(), CALL_RECORDS)
    table = build_table(CALL_RECORDS, page.records, NEW_YORK)
    assert table.rows[0].cells[:7] == ("2022-02-03 09:27:27", "Incoming", "+15555551220", "MARK SMITH", "120088", "Jane Li", "Voicemail")
    assert table.totals.cells == ("Total", "", "", "", "", "", "", "0:00:00", "0:28:16", "0:00:00", "")


def test_every_kind_has_screen_and_full_columns_that_read_its_records():
    for kind in REPORT_KINDS.values():
        record = kind.record_type(**{next(s.name for s in field_specs(kind.record_type)): "1"})
        for columns in (screen_columns(kind), full_columns(kind)):
            table = build_table(kind, [record], columns=columns)
            assert len(table.rows[0].cells) == len(columns)
        assert [column.key for column in full_columns(kind)] == [spec.name for spec in field_specs(kind.record_type)]


def test_headers_for_people():
    assert header_for("total_calls_to_vm") == "Total calls to VM"
    assert header_for("pbx_id") == "PBX ID"
    assert header_for("callee_svc_name") == "Callee service name"
    assert header_for("avg_rg_time") == "Avg RG time"


def test_empty_report_has_no_totals():
    table = build_table(COMPANY, [])
    assert table.empty and table.totals is None
    assert render_text(table, "Company summary") == "Company summary\n\nNo data for this range.\n"


# --- sorting -------------------------------------------------------------------------------


def members():
    return [
        RingGroupMember(extension="1001", first_name="zoë", offered=5, total_talk_time=1000),
        RingGroupMember(extension="1002", first_name="Ann", offered=None, total_talk_time=3000),
        RingGroupMember(extension="1003", first_name="bob", offered=9, total_talk_time=2000),
        RingGroupMember(extension="1004", first_name="Cy", offered=5, total_talk_time=None),
    ]


def test_sorting_numbers_text_and_missing_values():
    table = build_table(RING_GROUP_MEMBERS, members())
    offered = [column.key for column in table.columns].index("offered")
    assert [row.record.extension for row in table.sorted_by(offered).rows] == ["1001", "1004", "1003", "1002"]
    assert [row.record.extension for row in table.sorted_by(0, descending=True).rows] == ["1004", "1003", "1002", "1001"]
    assert [row.record.extension for row in table.sorted_by(offered, descending=True).rows] == ["1003", "1001", "1004", "1002"]
    assert [row.record.extension for row in table.sorted_by(1).rows] == ["1002", "1003", "1004", "1001"]  # case-insensitive names
    talk = [column.key for column in table.columns].index("total_talk_time")
    assert [row.record.extension for row in table.sorted_by(talk, descending=True).rows] == ["1002", "1003", "1001", "1004"]
    assert table.sorted_by(offered).totals == table.totals


def test_numbers_inside_text_sort_as_numbers():
    records = [RingGroupMember(extension=number) for number in ("1001", "999", "10001", "A2", "A10")]
    table = build_table(RING_GROUP_MEMBERS, records)
    assert [row.record.extension for row in table.sorted_by(0).rows] == ["999", "1001", "10001", "A2", "A10"]


@pytest.mark.parametrize(
    "names, expected",
    [
        (["demo-pbx2", "demo-pbx"], ["demo-pbx", "demo-pbx2"]),
        (["demo-pbx", "demo-pbx2"], ["demo-pbx", "demo-pbx2"]),
        (["acme10", "acme", "acme2", "acme1"], ["acme", "acme1", "acme2", "acme10"]),
        (["Line 2b", "Line 2", "Line 10", "Line"], ["Line", "Line 2", "Line 2b", "Line 10"]),
        (["pbx-2-b", "pbx-2", "pbx-10", "pbx-2-a"], ["pbx-2", "pbx-2-a", "pbx-2-b", "pbx-10"]),
    ],
)
def test_a_name_sorts_before_the_same_name_with_a_number_after_it(names, expected):
    """The end of a text ranks before anything that could follow it (issue 12 item 9)."""
    table = build_table(COMPANY, [CompanySummary(pbx_id=name) for name in names])
    assert [row.record.pbx_id for row in table.sorted_by(0).rows] == expected
    assert [row.record.pbx_id for row in table.sorted_by(0, descending=True).rows] == expected[::-1]


# --- text ----------------------------------------------------------------------------------


def test_text_table_aligns_numbers_right():
    text = render_text(build_table(COMPANY, company()), "Company summary")
    lines = text.splitlines()
    assert lines[0] == "Company summary" and lines[1] == ""
    assert lines[2].startswith("PBX        Calls  Inbound")
    assert lines[4] == "acmecorp    3215     2252       750      1754    1411        732        688  159:26:06   0:05:27    3:24:41"
    assert lines[5] == "acmecorp2      1        0         1         1       0          0          0    0:00:02   0:00:02    0:00:05"
    assert lines[7] == "Total       3216     2252       751      1755    1411        732        688  159:26:08   0:05:27    3:24:46"


def test_text_table_of_one_row_has_no_totals_row():
    text = render_text(build_table(COMPANY, company()[:1]))
    assert "Total " not in text
    assert len(text.splitlines()) == 3


# --- CSV -----------------------------------------------------------------------------------


def read_csv(text):
    return list(csv.reader(io.StringIO(text)))


def test_csv_is_for_spreadsheets():
    records = seed("seed_extension_summary.json", EXTENSIONS)
    rows = read_csv(to_csv(build_table(EXTENSIONS, records, columns=full_columns(EXTENSIONS))))
    header = rows[0]
    assert header[:3] == ["Extension", "PBX ID", "First name"]
    assert len(rows) == 3  # header and two rows; no totals row
    alice = dict(zip(header, rows[1]))
    assert alice["Total call time"] == "0:00:19"  # 19048 ms
    assert alice["Percent external inbound answered"] == "0"
    assert dict(zip(header, rows[2]))["Percent external inbound answered"] == "100"


def test_csv_cells():
    assert csv_cell(None, Fmt.COUNT) == ""
    assert csv_cell(66.666, Fmt.PERCENT) == "66.67"
    assert csv_cell(327232, Fmt.DURATION) == "0:05:27"
    assert csv_cell(datetime(2022, 2, 3, 14, 27, 27, tzinfo=timezone.utc), Fmt.TIME, NEW_YORK) == "2022-02-03 09:27:27"
    assert csv_cell(("East", "West"), Fmt.LIST) == "East; West"
    assert csv_cell(False, Fmt.FLAG) == "No"


@pytest.mark.parametrize(
    "text, cell",
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+15555551220", "+15555551220"),  # a phone number stays as it is
        ("Jane Li", "Jane Li"),
    ],
)
def test_csv_defuses_formulas(text, cell):
    assert csv_cell(text, Fmt.TEXT) == cell


def test_csv_quoting_and_excel_mark():
    records = [CallRecord(call_id="1", caller_name='Smith, "Jo"\nnext', callee_name="Zoë")]
    text = to_csv(build_table(CALL_RECORDS, records), excel_bom=True)
    assert text.startswith("\ufeffStart,")
    assert read_csv(text.lstrip("\ufeff"))[1][3] == 'Smith, "Jo"\nnext'
    assert text.endswith("\r\n")


# --- JSON ----------------------------------------------------------------------------------


def test_json_keeps_raw_typed_values():
    page = parse_page((FIXTURES / "call_records_page.json").read_bytes(), CALL_RECORDS, NEW_YORK)
    query = make_query("call-records", "2022-02-03 00:00:00", "2022-02-03 23:59:59", "America/New_York", datetime(2023, 1, 1, tzinfo=timezone.utc))
    document = json.loads(to_json(Report(CALL_RECORDS, page.records, (), 0, 1, 81), query))
    assert document["report"] == "call-records"
    assert (document["start"], document["end"], document["time_zone"], document["pbx"]) == ("2022-02-03 00:00:00", "2022-02-03 23:59:59", "America/New_York", ["allpbxes"])
    assert document["count"] == 2
    first = document["records"][0]
    assert first["call_id"] == "1635571048351"
    assert first["start_time"] == "2022-02-03T09:27:27.493000-05:00"
    assert first["connect_time"] is None
    assert first["ring_duration"] == 39  # milliseconds, as a number
    assert first["missed"] is True and first["answered"] is False
    assert first["departments"] == ["Sales Engineering"]
    assert document["totals"]["talk_time"] == 0
    assert document["totals"]["wait_time"] == 1696320
    assert "call_id" not in document["totals"]


def test_json_of_summaries_and_nothing():
    query = make_query("company", "2025-11-20 00:00:00", "2025-11-20 23:59:59", "UTC", NOW)
    document = json.loads(to_json(Report(COMPANY, company()), query))
    assert document["totals"]["total_calls"] == 3216
    assert "avg_ring_time" not in document["totals"]  # only fields that total are there
    assert document["totals"]["avg_talk_time"] == round((573966607 + 2248) / 1755)
    assert set(document["records"][0]) == {spec.name for spec in field_specs(COMPANY.record_type)}
    empty = json.loads(to_json(Report(COMPANY, ()), query))
    assert (empty["count"], empty["records"], empty["totals"]) == (0, [], None)


# --- drill-downs and exports ---------------------------------------------------------------


def test_drill_downs_keep_the_range_and_narrow_to_the_row():
    from wallboard.core.reports.query import drill_down

    query = make_query("ring-groups", "2025-11-20 00:00:00", "2025-11-20 23:59:59", "Europe/London", NOW)
    group = seed("seed_ring_group_summary.json", RING_GROUPS)[1]
    members = drill_down(query, group)
    assert (members.kind, members.ext, members.pbx) == (RING_GROUP_MEMBERS, "100055", ("acmecorp2",))
    assert (members.start, members.end, members.zone) == (query.start, query.end, query.zone)
    assert members.params()["extId"] == "100055"
    member = RingGroupMember(extension="441001", pbx_id="acmecorp2")
    calls = drill_down(members, member)
    assert (calls.kind, calls.ext, calls.pbx) == (CALL_RECORDS, "441001", ("acmecorp2",))
    alice = seed("seed_extension_summary.json", EXTENSIONS)[0]
    assert drill_down(query, alice).ext == "8885"
    assert drill_down(query, company()[0]) is None
    assert drill_down(calls, CallRecord(call_id="1")) is None


def test_export_writes_every_field_in_the_order_shown_and_never_overwrites(tmp_path):
    from wallboard.export import export_name, export_table

    query = make_query("extensions", "2025-11-20 00:00:00", "2025-11-20 23:59:59", "Europe/London", NOW)
    table = build_table(EXTENSIONS, seed("seed_extension_summary.json", EXTENSIONS)).sorted_by(0, descending=True)
    first = export_table(table, query, tmp_path / "exports")
    second = export_table(table, query, tmp_path / "exports")
    assert first.name == export_name(query) == "extensions-20251120-000000-to-20251120-235959.csv"
    assert second.name == "extensions-20251120-000000-to-20251120-235959-2.csv"
    text = first.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = read_csv(text.lstrip("\ufeff"))
    assert rows[0] == [column.header for column in full_columns(EXTENSIONS)], "every field, as `report --format csv`"
    assert [row[rows[0].index("Extension")] for row in rows[1:]] == ["441001", "8885"]  # the order on screen


def test_export_failure_is_one_line(tmp_path):
    from wallboard.errors import ConfigError
    from wallboard.export import write_export

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match=r"^cannot write the export to .*/file/sub \(.*\): set export_dir in the config"):
        write_export("a,b\r\n", blocker / "sub", "x.csv")


def test_the_boards_export_carries_fields_we_do_not_know_too(tmp_path):
    """Issue 13 #9: as `wallboard report --format csv` does, after the known fields."""
    from dataclasses import replace

    from wallboard.export import export_table

    query = make_query("call-records", "2025-11-20 00:00:00", "2025-11-20 23:59:59", "Europe/London", NOW)
    records = parse_page((FIXTURES / "vendor_call_records.json").read_bytes(), CALL_RECORDS).records
    records = (replace(records[0], extras=(("newMetric", 7),)), records[1])
    rows = read_csv(export_table(build_table(CALL_RECORDS, records), query, tmp_path).read_text(encoding="utf-8").lstrip("\ufeff"))
    assert rows[0] == [column.header for column in full_columns(CALL_RECORDS)] + ["newMetric"]
    assert [row[-1] for row in rows[1:]] == ["7", ""]


def test_streamed_json_and_csv_are_the_texts_of_the_whole_report():
    """JsonStream/CsvStream write page by page what to_json/report_csv write at once."""
    query = make_query("call-records", "2025-11-20 00:00:00", "2025-11-20 23:59:59", "Europe/London", NOW)
    records = parse_page((FIXTURES / "vendor_call_records.json").read_bytes(), CALL_RECORDS).records * 3
    report = Report(CALL_RECORDS, records, ("a problem",), 1, 2, 6, ("a note",))
    out = io.StringIO()
    stream = JsonStream(CALL_RECORDS, query, out)
    for start in range(0, 6, 4):
        stream.write(records[start : start + 4])
    stream.finish(problems=("a note", "a problem"), skipped=1)
    assert out.getvalue() == to_json(report, query)
    assert json.loads(out.getvalue())["totals"]["call_time"] == 3 * (24760 + 1696524)
    out = io.StringIO()
    stream = CsvStream(CALL_RECORDS, ZoneInfo("Europe/London"), out)
    stream.write(records[:2])
    stream.write(records[2:])
    stream.finish()
    assert out.getvalue() == report_csv(report, ZoneInfo("Europe/London"))


def test_an_export_is_readable_by_its_owner_only(tmp_path):
    """Call records carry phone numbers: not world-readable, whatever the umask allows."""
    import os
    import stat

    from wallboard.export import write_export

    old = os.umask(0o022)
    try:
        path = write_export("a,b\r\n", tmp_path / "new" / "exports", "x.csv")
        again = write_export("c,d\r\n", tmp_path / "new" / "exports", "x.csv")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(again.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "new" / "exports").stat().st_mode) == 0o700
    assert path.read_bytes() == b"a,b\r\n" and again.name == "x-2.csv"
