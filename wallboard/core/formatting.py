"""How numbers become text a person reads: durations, percentages, times of day.

``None`` is always shown as an em dash, never as 0, so "no value" and "zero" stay
distinct on the board.
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo

from wallboard.core.model.codes import NO_VALUE


def hms(seconds: float | None) -> str:
    """Seconds as ``h:mm:ss`` (``0:04:05``); days roll into hours (``27:00:00``)."""
    if seconds is None:
        return NO_VALUE
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def clock(seconds: float | None) -> str:
    """A compact duration for tight cells: ``m:ss`` under an hour, else ``h:mm:ss``."""
    if seconds is None:
        return NO_VALUE
    total = max(0, int(seconds))
    if total < 3600:
        minutes, secs = divmod(total, 60)
        return f"{minutes}:{secs:02d}"
    return hms(total)


def mss(seconds: float | None) -> str:
    """Seconds as ``m:ss`` with unbounded minutes (``75:12``), as wait times are read."""
    if seconds is None:
        return NO_VALUE
    minutes, secs = divmod(max(0, int(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def ms_hms(milliseconds: float | None) -> str:
    """Milliseconds (as Work Analytics reports durations) as ``h:mm:ss``."""
    if milliseconds is None:
        return NO_VALUE
    return hms(int(milliseconds) // 1000)


def percent(value: float | None, decimals: int = 0) -> str:
    """A percentage such as ``87%``; ``None`` as an em dash."""
    if value is None:
        return NO_VALUE
    return f"{value:.{decimals}f}%"


def count(value: int | None) -> str:
    """A count, or an em dash when the server gave none."""
    return NO_VALUE if value is None else str(value)


def local_datetime(epoch: float | None, zone: tzinfo | None = None) -> datetime | None:
    """A UTC epoch in seconds as an aware datetime in ``zone``; ``None`` if impossible."""
    if epoch is None:
        return None
    try:
        return datetime.fromtimestamp(epoch, tz=timezone.utc).astimezone(zone)
    except (OverflowError, OSError, ValueError):
        return None


def local_time(epoch: int | None, zone: tzinfo | None = None, with_date: bool = True) -> str:
    """A UTC epoch in seconds as local time in ``zone`` (``2011-12-14 01:38:00``)."""
    moment = local_datetime(epoch, zone)
    if moment is None:
        return NO_VALUE
    return moment.strftime("%Y-%m-%d %H:%M:%S" if with_date else "%H:%M:%S")


def age(seconds: float | None) -> str:
    """How old something is, briefly: ``4s``, ``2m 05s``, ``3h 10m``."""
    if seconds is None:
        return NO_VALUE
    total = max(0, int(seconds))
    if total < 60:
        return f"{total}s"
    if total < 3600:
        return f"{total // 60}m {total % 60:02d}s"
    return f"{total // 3600}h {total % 3600 // 60:02d}m"
