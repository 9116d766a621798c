from zoneinfo import ZoneInfo

import pytest

from wallboard.core import formatting as fmt


@pytest.mark.parametrize(
    "seconds, expected",
    [(None, "—"), (0, "0:00:00"), (5, "0:00:05"), (245, "0:04:05"), (3600, "1:00:00"), (97200, "27:00:00"), (-5, "0:00:00")],
)
def test_hms(seconds, expected):
    assert fmt.hms(seconds) == expected


@pytest.mark.parametrize("seconds, expected", [(None, "—"), (0, "0:00"), (65, "1:05"), (3599, "59:59"), (3600, "1:00:00")])
def test_clock(seconds, expected):
    assert fmt.clock(seconds) == expected


@pytest.mark.parametrize("seconds, expected", [(None, "—"), (0, "0:00"), (1113, "18:33"), (4512, "75:12")])
def test_mss(seconds, expected):
    assert fmt.mss(seconds) == expected


@pytest.mark.parametrize("ms, expected", [(None, "—"), (999, "0:00:00"), (327232, "0:05:27"), (573966607, "159:26:06")])
def test_ms_hms(ms, expected):
    assert fmt.ms_hms(ms) == expected


def test_percent_and_count():
    assert fmt.percent(None) == "—"
    assert fmt.percent(87.4) == "87%"
    assert fmt.percent(87.45, 1) == "87.5%"
    assert fmt.count(None) == "—"
    assert fmt.count(0) == "0"


def test_local_time_uses_the_zone():
    assert fmt.local_time(1323826680, ZoneInfo("UTC")) == "2011-12-14 01:38:00"
    assert fmt.local_time(1323826680, ZoneInfo("America/New_York")) == "2011-12-13 20:38:00"
    assert fmt.local_time(1323826680, ZoneInfo("Europe/London"), with_date=False) == "01:38:00"
    assert fmt.local_time(None) == "—"
    assert fmt.local_time(10**20) == "—"


@pytest.mark.parametrize("seconds, expected", [(None, "—"), (4.7, "4s"), (125, "2m 05s"), (11400, "3h 10m")])
def test_age(seconds, expected):
    assert fmt.age(seconds) == expected
