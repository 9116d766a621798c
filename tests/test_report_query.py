"""Report queries: every validation rule, presets in a zone, the two-year limit."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from wallboard.core.model.analytics import CALL_RECORDS, RING_GROUP_MEMBERS
from wallboard.core.reports.query import (
    check_pbx,
    default_range,
    earliest_start,
    make_query,
    preset_range,
)
from wallboard.errors import ConfigError

NOW = datetime(2025, 11, 23, 12, 13, 20, tzinfo=timezone.utc)  # 07:13:20 in New York


def query(**overrides):
    args = dict(kind="extensions", start="2025-11-20 08:30:00", end="2025-11-20 19:00:00", zone="America/New_York", now=NOW)
    args.update(overrides)
    kind, start, end, zone, now = (args.pop(name) for name in ("kind", "start", "end", "zone", "now"))
    if end is None:  # as `wallboard report --start` alone: until now
        end = now.astimezone(ZoneInfo(zone))
    return make_query(kind, start, end, zone, now, **args)


def test_a_good_query_and_its_parameters():
    q = query(pbx="acmecorp, acmecorp2")
    assert q.params() == {
        "pbxId": "acmecorp,acmecorp2",
        "startTime": "2025-11-20 08:30:00",
        "endTime": "2025-11-20 19:00:00",
        "timeZone": "America/New_York",
    }
    assert q.describe() == "Extension summary, acmecorp, acmecorp2, 2025-11-20 08:30:00 to 2025-11-20 19:00:00 America/New_York"


def test_members_send_the_ring_group_as_ext_id():
    q = query(kind="ring-group-members", ext="100027")
    assert q.kind is RING_GROUP_MEMBERS
    assert q.params()["extId"] == "100027"
    assert "extId" not in query(kind="call-records", ext="1003").params()  # a client-side filter there


@pytest.mark.parametrize(
    "overrides, message",
    [
        (dict(kind="queues"), "report: unknown report 'queues'; choose from company, extensions, ring-groups, ring-group-members, call-records, call-legs"),
        (dict(zone="Mars/Olympus"), "--tz: 'Mars/Olympus' is not an IANA time zone (e.g. Europe/London, America/New_York)"),
        (dict(zone="../../etc/passwd"), "--tz: '../../etc/passwd' is not an IANA time zone (e.g. Europe/London, America/New_York)"),
        (dict(zone=""), "--tz: give an IANA time zone such as Europe/London or America/New_York"),
        (dict(start="2025-11-20 8:30"), '--start: \'2025-11-20 8:30\' is not a time in the form YYYY-MM-DD HH:MM:SS (or YYYY-MM-DD for the whole day), e.g. "2025-11-20 08:30:00"'),
        (dict(start="2025-11-20T08:30:00"), '--start: \'2025-11-20T08:30:00\' is not a time in the form YYYY-MM-DD HH:MM:SS (or YYYY-MM-DD for the whole day), e.g. "2025-11-20 08:30:00"'),
        (dict(end="2025-02-30 10:00:00"), "--end: '2025-02-30 10:00:00' is not a real date and time"),
        (dict(end="2025-02-30"), "--end: '2025-02-30' is not a real date and time"),
        (dict(start="2025-11-24", end=None), "--start 2025-11-24 00:00:00 is in the future (it is 2025-11-23 07:13:20 in America/New_York): there is no data yet"),
        (dict(end="2025-11-20 08:30:00"), "--end 2025-11-20 08:30:00 is not after --start 2025-11-20 08:30:00: the end must come after the start"),
        (dict(end="2025-11-19 08:30:00"), "--end 2025-11-19 08:30:00 is not after --start 2025-11-20 08:30:00: the end must come after the start"),
        (dict(start="2025-11-23 08:00:00", end="2025-11-23 09:00:00"), "--start 2025-11-23 08:00:00 is in the future (it is 2025-11-23 07:13:20 in America/New_York): there is no data yet"),
        (
            dict(start="2023-11-20 00:00:00", end="2023-11-23 07:13:20"),
            "--end 2023-11-23 07:13:20 is more than 2 years ago: Work Analytics keeps only the last 2 years "
            "and returns nothing for this range; ask for 2023-11-23 07:13:20 or later",
        ),
        (dict(ext="1001,10 02"), "--ext: '10 02' is not an extension number"),
        (dict(kind="call-records", ext=",".join(str(n) for n in range(1000, 1126))), "--ext: at most 125 extensions at once; got 126"),
        (dict(pbx=""), "--pbx: name at least one PBX, or allpbxes"),
        (dict(pbx="acme,allpbxes"), "--pbx: allpbxes already means every PBX; list no others beside it"),
        (dict(pbx="acme corp"), "--pbx: 'acme corp' is not a PBX name"),
        (dict(pbx="acme&x=1"), "--pbx: 'acme&x=1' is not a PBX name"),
        (dict(kind="ring-group-members"), "--ext: the ring-group-members report needs the ring group's extension"),
        (dict(ext="10 01"), "--ext: '10 01' is not an extension number"),
        (dict(kind="company", ext="1001"), "--ext does not apply to the company report"),
    ],
)
def test_each_validation_error_is_one_line(overrides, message):
    with pytest.raises(ConfigError) as caught:
        query(**overrides)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "start, end, expected",
    [
        ("2025-11-20", "2025-11-20", ("2025-11-20 00:00:00", "2025-11-20 23:59:59")),
        ("2025-11-20", "2025-11-21", ("2025-11-20 00:00:00", "2025-11-21 23:59:59")),
        ("2025-11-20 08:30", "2025-11-20 17:00", ("2025-11-20 08:30:00", "2025-11-20 17:00:00")),
        (" 2025-11-20 ", "2025-11-22 12:00:00", ("2025-11-20 00:00:00", "2025-11-22 12:00:00")),
    ],
)
def test_a_date_without_a_time_is_its_start_or_its_end(start, end, expected):
    q = query(start=start, end=end)
    assert (q.start_text, q.end_text) == expected


def test_a_start_in_the_future_is_named_before_an_end_before_it():
    """The start's fault comes first: the end may be one the user never gave."""
    with pytest.raises(ConfigError, match=r"^--start 2025-11-24 00:00:00 is in the future"):
        query(start="2025-11-24", end="2025-11-23 07:00:00")


def test_option_names_can_be_renamed_for_a_form():
    with pytest.raises(ConfigError, match=r"^Time zone: 'Nowhere' is not"):
        query(zone="Nowhere", options={"tz": "Time zone"})


def test_two_year_limit_is_exact_to_the_second():
    assert earliest_start(NOW, "America/New_York") == datetime(2023, 11, 23, 7, 13, 20)
    q = query(start="2023-11-23 07:13:20", end="2023-11-24 00:00:00")
    assert q.start == datetime(2023, 11, 23, 7, 13, 20)


def test_a_start_older_than_two_years_is_moved_to_the_limit_and_says_so():
    """The service answers the most recent two years of such a range: so do we (issue 13 #10)."""
    q = query(start="2023-11-23 07:13:19", end="2023-11-24 00:00:00")
    assert q.start == datetime(2023, 11, 23, 7, 13, 20)
    assert q.asked_start == datetime(2023, 11, 23, 7, 13, 19)
    assert q.notes == (
        "Work Analytics keeps only the last 2 years: the report starts at 2023-11-23 07:13:20, not 2023-11-23 07:13:19",
    )
    assert q.params()["startTime"] == "2023-11-23 07:13:20"
    assert query(start="2023-11-23 07:13:20", end="2023-11-24 00:00:00").notes == ()
    fractional = datetime(2025, 11, 23, 12, 13, 20, 500_000, tzinfo=timezone.utc)
    assert earliest_start(fractional, "America/New_York") == datetime(2023, 11, 23, 7, 13, 21), "never a moment already gone"


def test_two_years_back_from_29_february():
    leap = datetime(2024, 2, 29, 12, 0, tzinfo=timezone.utc)
    assert earliest_start(leap, "UTC") == datetime(2022, 2, 28, 12, 0)


def test_pbx_lists():
    assert check_pbx("ALLPBXES") == ("allpbxes",)
    assert check_pbx(["a", " b ", "a"]) == ("a", "b")
    assert check_pbx("acme-corp.2,east_1") == ("acme-corp.2", "east_1")


def test_datetimes_are_accepted_as_wall_clock_times():
    q = make_query(CALL_RECORDS, datetime(2025, 11, 22, 0, 0, 0, 999), datetime(2025, 11, 22, 23, 59, 59), "Europe/London", NOW)
    assert (q.start_text, q.end_text) == ("2025-11-22 00:00:00", "2025-11-22 23:59:59")


# --- presets -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, zone, start, end",
    [
        ("today", "America/New_York", "2025-11-23 00:00:00", "2025-11-23 07:13:20"),
        ("yesterday", "America/New_York", "2025-11-22 00:00:00", "2025-11-22 23:59:59"),
        ("last-7-days", "America/New_York", "2025-11-16 00:00:00", "2025-11-22 23:59:59"),
        ("this-month", "America/New_York", "2025-11-01 00:00:00", "2025-11-23 07:13:20"),
        ("today", "Asia/Tokyo", "2025-11-23 00:00:00", "2025-11-23 21:13:20"),
        ("today", "Pacific/Kiritimati", "2025-11-24 00:00:00", "2025-11-24 02:13:20"),
        ("yesterday", "Pacific/Pago_Pago", "2025-11-22 00:00:00", "2025-11-22 23:59:59"),
    ],
)
def test_presets(name, zone, start, end):
    got = preset_range(name, zone, NOW)
    assert (got[0].strftime("%Y-%m-%d %H:%M:%S"), got[1].strftime("%Y-%m-%d %H:%M:%S")) == (start, end)
    make_query("company", got[0], got[1], zone, NOW)  # every preset is a valid query


def test_presets_across_a_month_and_a_clock_change():
    first_of_month = datetime(2025, 3, 1, 0, 30, tzinfo=timezone.utc)  # still 28 Feb in New York
    assert preset_range("this-month", "America/New_York", first_of_month)[0] == datetime(2025, 2, 1)
    assert preset_range("yesterday", "America/New_York", first_of_month) == (datetime(2025, 2, 27), datetime(2025, 2, 27, 23, 59, 59))
    after_change = datetime(2025, 3, 10, 12, 0, tzinfo=timezone.utc)  # New York moved to EDT on 9 March
    assert preset_range("yesterday", "America/New_York", after_change) == (datetime(2025, 3, 9), datetime(2025, 3, 9, 23, 59, 59))
    assert preset_range("last-7-days", "Europe/London", datetime(2025, 3, 31, 0, 30, tzinfo=timezone.utc)) == (
        datetime(2025, 3, 24),
        datetime(2025, 3, 30, 23, 59, 59),
    )


def test_this_month_on_the_first_at_midnight_is_refused_not_sent():
    midnight = datetime(2025, 11, 1, 4, 0, 0, tzinfo=timezone.utc)  # 00:00:00 in New York
    start, end = preset_range("this-month", "America/New_York", midnight)
    assert start == end == datetime(2025, 11, 1)
    with pytest.raises(ConfigError, match="not after"):
        make_query("company", start, end, "America/New_York", midnight)


def test_default_range_is_yesterday():
    assert default_range("Europe/London", NOW) == preset_range("yesterday", "Europe/London", NOW)


def test_unknown_preset_and_naive_now():
    with pytest.raises(ConfigError, match="unknown range 'last-year'"):
        preset_range("last-year", "UTC", NOW)
    with pytest.raises(ValueError, match="aware"):
        preset_range("today", "UTC", datetime(2025, 1, 1))
