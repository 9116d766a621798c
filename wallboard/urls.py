"""Which URLs the wallboard may talk to, and the vendor's known hosts.

Credentials go out in every request (Basic auth for real-time statistics, an API key
and bearer token for analytics), so plain ``http://`` is allowed only to this machine:
127.0.0.0/8, ::1 and ``localhost``. That is where the simulator and the tests live.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit

from wallboard.errors import InsecureUrlError

REALTIME_PATH = "/api/rtstats/stats"
ANALYTICS_URL = "https://api.8x8.com/analytics/work"

REGIONS: dict[str, str] = {
    "na1": "na1.mycontactual.com",
    "na2": "na2.mycontactual.com",
    "na3": "na3.mycontactual.com",
    "na4": "na4.mycontactual.com",
    "na7": "vcc-na7.8x8.com",
    "ca": "www.mycontactual.ca",
    "uk": "www.mycontactual.co.uk",
}
"""Region names a user may give instead of a URL; ``vcc-naN`` names map to ``*.8x8.com``."""


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (IPv4 127/8 and IPv6 ::1)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, setting: str) -> str:
    """Return ``url`` without a trailing slash if it is safe to send credentials to.

    ``setting`` names the option or config key, so the message tells the user what to fix.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InsecureUrlError(
            f"{setting}: {url!r} is not a URL; expected https://host/path"
        )
    if parts.username or parts.password:
        raise InsecureUrlError(
            f"{setting}: put no user name or password in the URL; use the keyring instead"
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InsecureUrlError(
            f"{setting}: plain http:// is refused for {parts.hostname}: use https:// "
            "(http is allowed only for this machine: 127.0.0.1, ::1, localhost)"
        )
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), parts.query, ""))


def region_host(region: str) -> str | None:
    """The host for a region name (``na1``, ``uk``, ``vcc-na10b``), or ``None``."""
    region = region.strip().lower()
    if region in REGIONS:
        return REGIONS[region]
    if region.startswith("vcc-") and region[4:].replace("-", "").isalnum():
        return f"{region}.8x8.com"
    return None


def realtime_base_url(value: str, setting: str = "realtime_url") -> str:
    """A full rtstats base URL from a region name, a bare host URL, or a full URL.

    ``https://na1.mycontactual.com`` gains the standard ``/api/rtstats/stats`` path.
    """
    host = region_host(value)
    if host is not None:
        return f"https://{host}{REALTIME_PATH}"
    url = check_url(value, setting)
    parts = urlsplit(url)
    if parts.path in ("", "/"):
        url = urlunsplit((parts.scheme, parts.netloc, REALTIME_PATH, parts.query, ""))
    return url
