"""Work Analytics records: the seeds' examples verbatim, naming, "N/A", "-", hostile input."""

import json
from dataclasses import replace
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.data import FIXTURES
from wallboard.core.model.analytics import (
    CALL_LEGS,
    CALL_RECORDS,
    COMPANY,
    EXTENSIONS,
    REPORT_KINDS,
    RING_GROUP_MEMBERS,
    RING_GROUPS,
    CallLeg,
    CallRecord,
    FetchProgress,
    Pbx,
    involves_extension,
    select_extension,
)
from wallboard.core.model.fields import field_specs
from wallboard.core.wire.analytics import (
    AnalyticsParseError,
    Page,
    PageTooLargeError,
    parse_page,
    parse_pbx_page,
    parse_summary,
    records_from_items,
    snake_case,
)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# --- the seeds, verbatim ------------------------------------------------------------------


def test_company_seed():
    parsed = parse_summary(fixture("seed_company_summary.json"), COMPANY)
    assert parsed.problems == () and parsed.skipped == 0
    first, second = parsed.records
    assert first.pbx_id == "acmecorp"
    assert first.total_calls == 3215  # "totalCall" in v1/compsum
    assert first.total_calls_to_vm == 688  # "totalVm"
    assert (first.inbound_total, first.inbound_answered, first.inbound_missed) == (2252, 987, 1265)
    assert (first.total_answered, first.total_abandoned, first.total_missed) == (1754, 732, 1411)
    assert first.total_talk_time == 573966607  # milliseconds, kept as sent
    assert first.avg_talk_time == 327232
    assert first.percent_external_inbound_answered == 0.0
    assert (first.total_ext_to_ext, first.total_ext_to_ext_missed) == (213, 60)
    assert second.pbx_id == "acmecorp2"
    assert (second.total_calls, second.outbound_answered, second.avg_call_time) == (1, 1, 7429)


def test_extension_seed_with_pascal_snake_keys():
    parsed = parse_summary(fixture("seed_extension_summary.json"), EXTENSIONS)
    assert parsed.problems == () and parsed.skipped == 0
    alice, li = parsed.records
    assert (alice.pbx_id, alice.extension, alice.service_type) == ("acmecorp", "8885", "UE")
    assert alice.name == "Alice Smith"
    assert (alice.branch, alice.department) == ("East Coast", "Marketing")
    assert (alice.inbound_total, alice.inbound_abandoned, alice.total_missed) == (1, 1, 1)
    assert alice.total_call_time == 19048 and alice.avg_ring_time == 1195
    # the seed swaps these two on its first record; they are read as sent, not guessed at
    assert (alice.email, alice.user_name) == ("alice.smith", "user@example.com")
    assert (li.email, li.user_name) == ("user@example.com", "li.chan")
    assert li.percent_external_inbound_answered == 100.0
    assert (li.total_talk_time, li.avg_talk_time, li.total_ring_time) == (2248, 2248, 5160)


def test_ring_group_seed():
    parsed = parse_summary(fixture("seed_ring_group_summary.json"), RING_GROUPS)
    assert parsed.problems == ()
    marketing, sales = parsed.records
    assert (marketing.extension, marketing.name, marketing.site, marketing.pbx_id) == ("100027", "Marketing", "East", "acmecorp")
    assert (marketing.total_rg_time, marketing.avg_ring_time, marketing.total_abandoned_time) == (5475, 283, 5475)
    assert (sales.total_calls, sales.total_missed, sales.total_calls_to_vm) == (12, 12, 12)


def test_one_naming_across_reports():
    """The same figure has the same name in every report that carries it."""
    shared = {"pbx_id", "total_answered", "total_abandoned", "total_missed", "total_talk_time", "avg_talk_time", "total_calls_to_vm"}
    for kind in (COMPANY, EXTENSIONS):
        assert shared <= {spec.name for spec in field_specs(kind.record_type)}
    assert {"pbx_id", "total_answered", "total_calls_to_vm", "avg_talk_time"} <= {spec.name for spec in field_specs(RING_GROUPS.record_type)}


@pytest.mark.parametrize(
    "key, expected",
    [
        ("Total_Missed", "total_missed"),
        ("totalMissed", "total_missed"),
        ("PbxId", "pbx_id"),
        ("pbxId", "pbx_id"),
        ("talkTimeMS", "talk_time_ms"),
        ("startTimeUTC", "start_time_utc"),
        ("Total_Calls_To_VM", "total_calls_to_vm"),
        ("totalCallsToVM", "total_calls_to_vm"),
        ("UserName", "user_name"),
        ("Percent_External_Inbound_Answered", "percent_external_inbound_answered"),
        ("extId", "ext_id"),
        ("lra", "lra"),
        ("total_missed", "total_missed"),
    ],
)
def test_snake_case(key, expected):
    assert snake_case(key) == expected


# --- call records ---------------------------------------------------------------------------


def test_call_records_page():
    page = parse_page(fixture("call_records_page.json"), CALL_RECORDS, ZoneInfo("America/New_York"))
    assert page.problems == () and page.skipped == 0
    assert (page.size, page.total, page.last) == (2, 81, False)
    assert page.scroll_id == "c3VwZXJ0ZW5hbnRjc21fMTYzNTU3MTA0ODQ4Nl8xXzE2NDM5MTIzNTI0NDE"
    voicemail, abandoned = page.records
    assert voicemail.call_id == "1635571048351"
    assert voicemail.start_time == datetime(2022, 2, 3, 14, 27, 27, 493000, tzinfo=timezone.utc)
    assert voicemail.connect_time is None  # "0": never connected
    assert (voicemail.missed, voicemail.abandoned, voicemail.answered) == (True, False, False)
    assert voicemail.result == "Voicemail"
    assert voicemail.call_leg_count == 1  # sent as text "1"
    assert (voicemail.ring_duration, voicemail.call_time, voicemail.talk_time) == (39, 24760, 0)
    assert voicemail.departments == ("Sales Engineering",) and voicemail.branches == ("Central",)
    assert abandoned.result == "Abandoned"
    assert abandoned.wait_time == 1696320  # talkTimeMS/waitTimeMS win over the "00:28:16" text
    assert abandoned.disconnected_time == datetime(2022, 2, 3, 14, 39, 49, 421000, tzinfo=timezone.utc)


def test_text_durations_and_times_are_read_when_numbers_are_missing():
    items = [{"callId": "9", "talkTime": "00:28:16", "startTime": "2022-02-03T09:11:32.897-0500", "connectTime": "2022-02-03 09:11:40"}]
    record = records_from_items(items, CALL_RECORDS, ZoneInfo("America/New_York")).records[0]
    assert record.talk_time == (28 * 60 + 16) * 1000
    assert record.start_time == datetime(2022, 2, 3, 14, 11, 32, 897000, tzinfo=timezone.utc)
    # a time without an offset is read in the query's zone
    assert record.connect_time == datetime(2022, 2, 3, 14, 11, 40, tzinfo=timezone.utc)


def test_no_data_page_ends_paging():
    body = b'{"meta": {"totalRecordCount": 0, "scrollId": "No Data"}, "data": []}'
    page = parse_page(body, CALL_LEGS)
    assert (page.records, page.size, page.total, page.scroll_id, page.last) == ((), 0, 0, "No Data", True)


@pytest.mark.parametrize(
    "body, last",
    [
        (b'{"meta": {"totalRecordCount": 5, "scrollId": "abc"}, "data": []}', True),  # empty page
        (b'{"meta": {"totalRecordCount": 5}, "data": [{"callId": "1"}]}', True),  # no scroll id
        (b'{"meta": {"totalRecordCount": 5, "scrollId": "NO DATA"}, "data": [{"callId": "1"}]}', True),
        (b'{"meta": {"totalRecordCount": 5, "scrollId": "abc"}, "data": [{"callId": "1"}]}', False),
        (b'[{"callId": "1"}]', True),  # a bare list cannot say where the next page is
        (b'{"meta": {"totalRecordCount": 5, "scrollId": "abc"}, "data": [7]}', False),  # unreadable, not empty
    ],
)
def test_when_a_page_is_the_last(body, last):
    assert parse_page(body, CALL_RECORDS).last is last


def test_page_numbers_problems_across_pages():
    body = json.dumps({"meta": {"scrollId": "x"}, "data": [{"callId": "1"}, {"talkTimeMS": 5}, {"callId": "3", "talkTimeMS": "long"}]})
    page = parse_page(body, CALL_RECORDS, first_index=51)
    assert [record.call_id for record in page.records] == ["1", "3"]
    assert page.skipped == 1
    assert page.problems == ("call record #52 has no call_id; skipped", "call record #53: talk_time is not a number")


# --- tolerance ---------------------------------------------------------------------------


def test_n_a_and_dash_mean_no_value():
    items = [{"Extension": "200", "Email": "N/A", "UserName": "n/a", "Total_Missed": "N/A", "Avg_Talk_Time": "-", "Branch": "-"}]
    record = records_from_items(items, EXTENSIONS).records[0]
    assert (record.email, record.user_name, record.branch) == ("", "", "")
    assert record.total_missed is None and record.avg_talk_time is None


@pytest.mark.parametrize(
    "raw, expected",
    [("-", False), ("Missed", True), ("Abandoned", True), ("yes", True), ("No", False), ("", None), ("N/A", None), (None, None), (True, True), (0, False)],
)
def test_flags(raw, expected):
    record = records_from_items([{"callId": "1", "missed": raw}], CALL_RECORDS).records[0]
    assert record.missed is expected


def test_wrong_types_become_none_and_problems_without_dropping_the_record():
    items = [{"pbxId": "p", "totalCall": {"x": 1}, "inboundTotal": True, "avgTalkTime": -5, "totalTalkTime": "12.6", "inboundMissed": "7"}]
    parsed = records_from_items(items, COMPANY)
    record = parsed.records[0]
    assert record.total_calls is None and record.inbound_total is None
    assert record.avg_talk_time is None  # a negative duration is no duration
    assert record.total_talk_time == 13 and record.inbound_missed == 7
    assert parsed.problems == ("PBX #1: total_calls is not a number", "PBX #1: inbound_total is not a number")


def test_records_without_their_key_or_not_objects_are_skipped():
    parsed = parse_summary(b'[{"name": "no extension"}, "junk", {"extension": "5", "name": "ok"}]', RING_GROUPS)
    assert [record.extension for record in parsed.records] == ["5"]
    assert parsed.skipped == 2
    assert parsed.problems == ("ring group #1 has no extension; skipped", "ring group #2 is not a record; skipped")


def test_hostile_text_is_cleaned():
    items = [{"extension": "1", "firstName": "\x1b]0;pwned\x07Eve", "lastName": "[b]Bold[/b] \u202eevil", "ringGroupName": "x" * 1000}]
    record = records_from_items(items, RING_GROUP_MEMBERS).records[0]
    assert record.first_name == "Eve"
    assert record.last_name == "[b]Bold[/b] evil"  # markup stays literal: the UI renders plain text
    assert len(record.ring_group_name) == 256 and record.ring_group_name.endswith("…")


@pytest.mark.parametrize(
    "body, message",
    [
        (b"", "empty response"),
        (b"   ", "empty response"),
        (b"<html>oops</html>", "not valid JSON"),
        (b'"a string"', "not a list"),
        (b'{"error": "x", "status": 1}', "holds no PBX list"),
    ],
)
def test_unreadable_summaries(body, message):
    with pytest.raises(AnalyticsParseError, match=message):
        parse_summary(body, COMPANY)


@pytest.mark.parametrize("body", [b"null", b"[]", b"{}", b'""', b'{"data": null}', b'{"data": []}'])
def test_empty_summaries(body):
    assert parse_summary(body, COMPANY).records == ()


def test_single_object_and_data_envelope():
    assert parse_summary(b'{"pbxId": "a"}', COMPANY).records[0].pbx_id == "a"
    assert parse_summary(b'{"data": [{"pbxId": "b"}]}', COMPANY).records[0].pbx_id == "b"


def test_deep_nesting_is_refused():
    with pytest.raises(AnalyticsParseError, match="nested too deeply|not valid JSON"):
        parse_summary(b"[" * 100000, COMPANY)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=30,
)
keys = st.sampled_from(["callId", "extension", "pbxId", "talkTimeMS", "startTimeUTC", "missed", "departments", "Total_Missed", "scrollId", "meta", "data"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.dictionaries(keys | st.text(max_size=8), json_values, max_size=8) | json_values, max_size=5))
def test_any_json_reads_or_fails_cleanly(items):
    body = json.dumps(items)
    for kind in REPORT_KINDS.values():
        summary = parse_summary(body, kind)
        assert len(summary.records) + summary.skipped == len(items)
        try:
            parse_page(json.dumps({"meta": {"scrollId": "x"}, "data": items}), kind)
        except AnalyticsParseError:
            pytest.fail("a page of any list must read")


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_any_document_never_crashes_the_page_parser(document):
    try:
        page = parse_page(json.dumps(document), CALL_LEGS)
    except AnalyticsParseError:
        return
    assert isinstance(page, Page)


# --- selection and progress ----------------------------------------------------------------


def test_involves_extension():
    call = CallRecord(call_id="1", caller="+15550001", callee="1003")
    assert involves_extension(call, "1003") and not involves_extension(call, "1004")
    leg = CallLeg(call_id="1", caller="+1555", callee="7001", lra="1004")
    assert involves_extension(leg, "1004")
    summaries = parse_summary(fixture("seed_extension_summary.json"), EXTENSIONS).records
    assert [record.extension for record in select_extension(summaries, "441001")] == ["441001"]
    assert select_extension(summaries, "") == summaries


def test_fetch_progress():
    assert FetchProgress("call-records", 3, 150, 812).describe() == "page 3, 150 of 812 records"
    assert FetchProgress("call-records", 3, 150, 812).fraction == pytest.approx(150 / 812)
    assert FetchProgress("company", 1, 2, None).fraction is None
    assert FetchProgress("call-records", 9, 812, 812, done=True).fraction == 1.0
    assert FetchProgress("call-records", 2, 100, None).describe() == "page 2, 100 records"


def test_progress_knows_the_number_of_pages():
    assert FetchProgress("call-records", 1, 50, 81, page_size=50).total_pages == 3  # two pages and "No Data"
    assert FetchProgress("call-records", 1, 50, None, page_size=50).total_pages is None


# --- every field the service sends (issue 13 #5, #9) ----------------------------------------


def test_the_vendors_call_legs_example_reads_every_field():
    page = parse_page(fixture("vendor_call_legs.json"), CALL_LEGS, ZoneInfo("America/New_York"))
    assert page.problems == () and page.skipped == 0
    voicemail, queue = page.records
    assert (voicemail.callee, voicemail.lra, voicemail.lra_type) == ("120088", "120088", "1")
    assert (voicemail.callee_svc_name, voicemail.result) == ("VMadvanced", "Voicemail")
    assert (queue.callee, queue.lra, queue.lra_type, queue.callee_svc_name) == ("CallQueue", "110081", "4", "ACDOperatorService")
    assert voicemail.caller_id == "MARK SMITH,+15555551220" and voicemail.sip_call_id == "user@example.com"
    assert voicemail.callee_hold_duration == 0 and voicemail.caller_disconnect_on_hold == ""
    assert (voicemail.caller_device_id, voicemail.callee_device_model, voicemail.account_code, voicemail.aa_path) == ("", "", "", "")
    assert voicemail.extras == (), "every field of the vendor's example is a known one"


def test_the_vendors_call_records_example_reads_every_field():
    page = parse_page(fixture("vendor_call_records.json"), CALL_RECORDS, ZoneInfo("America/New_York"))
    assert page.problems == () and page.skipped == 0
    first, second = page.records
    assert first.answered_time == 0 and first.callee_hold_duration == 0
    assert (first.caller_id, first.sip_call_id, first.aa_destination) == ("MARK SMITH,+15555551220", "user@example.com", "")
    assert (second.callee, second.wait_time, second.abandoned_time) == ("CallQueue", 1696320, 1696524)
    assert first.extras == () and second.extras == ()


def test_a_call_to_an_extensions_voicemail_is_one_of_its_calls():
    """The vendor's reference shows the callee as ``Voicemail (120088)`` with ``lra`` 120088."""
    item = json.loads(fixture("vendor_call_records.json"))["data"][0]
    item.update(callee="Voicemail (120088)", calleeName="Voicemail", lra="120088")
    record = records_from_items([item], CALL_RECORDS).records[0]
    assert record.lra == "120088"
    assert involves_extension(record, "120088")
    assert involves_extension(replace(record, lra=""), "120088"), "the number in the callee text counts too"
    assert not involves_extension(record, "12008")
    leg = parse_page(fixture("vendor_call_legs.json"), CALL_LEGS).records[1]
    assert involves_extension(leg, "110081"), "a leg's lra: the queue call ended with 110081"
    assert select_extension([record, leg], "110081,120088") == (record, leg), "a comma list of extensions"


def test_fields_we_do_not_know_are_kept_after_the_known_ones():
    item = json.loads(fixture("vendor_call_records.json"))["data"][0]
    item.update({"newMetricMS": 1200, "flagged": True, "tags": ["a", {"b": 1}], "\x1b[31mnote": "x\x1b]0;pwned\x07y", "nan": float("nan")})
    record = records_from_items([item], CALL_RECORDS).records[0]
    assert record.extras == (("newMetricMS", 1200), ("flagged", True), ('tags', '["a",{"b":1}]'), ("note", "xy"), ("nan", None))
    crowded = {"callId": "1", **{f"field{n}": n for n in range(100)}}
    parsed = records_from_items([crowded], CALL_RECORDS)
    assert len(parsed.records[0].extras) == 64
    assert parsed.problems == ("call record #1 has more than 64 unknown fields; the rest were dropped",)


# --- a time out of range (issue 11 #7) --------------------------------------------------------


@pytest.mark.parametrize(
    "raw, problem",
    [
        ("0001-01-01T00:00:00+05:00", "call record #2: start_time is out of range (0001-01-01T00:00:00+05:00)"),
        ("9999-12-31T23:59:59-05:00", "call record #2: start_time is out of range (9999-12-31T23:59:59-05:00)"),
        ("0001-01-01T05:00:00+00:00", "call record #2: start_time is out of range (0001-01-01)"),
        (1e20, "call record #2: start_time is out of range"),
    ],
)
def test_a_time_out_of_range_is_a_problem_of_that_record_alone(raw, problem):
    items = json.loads(fixture("vendor_call_records.json"))["data"]
    items[1] = {**items[1], "startTime": raw, "startTimeUTC": None}
    parsed = records_from_items(items, CALL_RECORDS, ZoneInfo("America/New_York"))
    assert [record.call_id for record in parsed.records] == ["1635571048351", "1635571048345"]
    assert parsed.records[1].start_time is None and parsed.records[0].start_time is not None
    assert parsed.problems == (problem,)


def test_a_page_larger_than_asked_for_is_refused_before_its_records_are_read():
    body = json.dumps({"meta": {"totalRecordCount": 10, "scrollId": "x"}, "data": [{"callId": str(n)} for n in range(51)]})
    with pytest.raises(PageTooLargeError, match=r"^the page holds 51 records, more than the 50 asked for$"):
        parse_page(body, CALL_RECORDS, max_items=50)
    assert len(parse_page(body, CALL_RECORDS, max_items=51).records) == 51


# --- the PBX list (issue 13 #12) ---------------------------------------------------------------

PBX_PAGE = (  # NEWER-APIS.md section 4.2, with the schema's top-level _links and page
    '{"_embedded":{"pbxList":[{"id":"rXp_aBcDeFgHiJkLmNoPq","name":"aPbx","deleted":false}]},'
    '"_links":{"self":{"href":"x"},"first":{"href":"x"},"last":{"href":"x"}},'
    '"page":{"size":50,"totalElements":1,"totalPages":1,"number":0}}'
)


def test_the_pbx_list_is_read_from_its_hal_page():
    assert parse_pbx_page(PBX_PAGE) == ((Pbx("aPbx", "rXp_aBcDeFgHiJkLmNoPq", False),), 1)
    nested = '{"_embedded":{"pbxList":[{"id":"1","name":"b"},{"name":5},"x"],"page":{"totalPages":3}}}'  # the doc's own defect
    assert parse_pbx_page(nested) == ((Pbx("b", "1"),), 3)
    assert parse_pbx_page("{}") == ((), None)
    with pytest.raises(AnalyticsParseError):
        parse_pbx_page("[]")
