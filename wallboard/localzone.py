"""This machine's IANA time-zone name, for reports when the config names no zone.

Work Analytics wants a zone *name* (``Europe/London``), not an offset, and Python's local
``tzinfo`` carries only an offset. The name is looked for in ``TZ``, then the
``/etc/localtime`` link, then ``/etc/timezone``; ``UTC`` when none gives a valid name.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FALLBACK = "UTC"


def _valid(name: str) -> bool:
    if not name or name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def local_zone_name(env: Mapping[str, str] = os.environ, root: Path = Path("/")) -> str:
    """The IANA name of this machine's zone, or ``UTC`` when it cannot be told."""
    candidates: list[str] = []
    tz = env.get("TZ", "").strip().lstrip(":")
    if tz:
        candidates.append(tz)
    try:
        target = os.readlink(root / "etc" / "localtime")
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        candidates.append(target.split("zoneinfo/", 1)[1])
    try:
        candidates.append((root / "etc" / "timezone").read_text(encoding="utf-8").strip().splitlines()[0])
    except (OSError, UnicodeDecodeError, IndexError):
        pass
    for name in candidates:
        if _valid(name.strip()):
            return name.strip()
    return FALLBACK
