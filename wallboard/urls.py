"""Which URLs the wallboard may talk to, and the vendor's known hosts.

Credentials go out in every request (Basic auth for real-time statistics, an API key
and bearer token for analytics), so plain ``http://`` is allowed only to this machine:
127.0.0.0/8, ::1 and ``localhost``. That is where the simulator and the tests live.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

from wallboard.core.text import clean_text
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
    try:
        parts = urlsplit(url.strip())
        hostname, _port = parts.hostname, parts.port  # both raise ValueError on a malformed host or port
    except ValueError as error:  # "https://[evil", "https://host:99999"
        raise InsecureUrlError(f"{setting}: {_shown(url)} is not a URL ({error}); expected https://host/path") from None
    if parts.scheme not in ("https", "http") or not hostname or not _HOST.fullmatch(hostname):
        raise InsecureUrlError(
            f"{setting}: {_shown(url)} is not a URL; expected https://host/path"
        )
    if parts.username or parts.password:
        raise InsecureUrlError(
            f"{setting}: put no user name or password in the URL; use the keyring instead"
        )
    if parts.scheme == "http" and not is_loopback(hostname):
        raise InsecureUrlError(
            f"{setting}: plain http:// is refused for {hostname}: use https:// "
            "(http is allowed only for this machine: 127.0.0.1, ::1, localhost)"
        )
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), parts.query, ""))


_HOST = re.compile(r"[^\s\x00-\x1f\x7f/\\?#@%]+")
"""A host name or address as it may appear in a URL: no spaces, controls or delimiters."""


def _shown(url: str) -> str:
    """``url`` quoted for a message: one line, cut short (it came from a person or a file)."""
    return repr(clean_text(url, 120))


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
