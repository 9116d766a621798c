"""Which URLs the wallboard may talk to, and the vendor's known hosts.

Credentials go out in every request (Basic auth for real-time statistics, an API key
and bearer token for analytics), so plain ``http://`` is allowed only to this machine:
127.0.0.0/8, ::1 and ``localhost``. That is where the simulator and the tests live.

Region names map to real-time hosts by two rules (see :func:`region_host`): the seed's
mycontactual hosts for ``na1``..``na3``, ``ca`` and ``uk``; ``vcc-<name>.8x8.com`` for
every ``naN``, ``naNb`` and ``euN`` name, with or without ``vcc-``.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

from wallboard.core.text import clean_text
from wallboard.errors import ConfigError, InsecureUrlError

REALTIME_PATH = "/api/rtstats/stats"
ANALYTICS_URL = "https://api.8x8.com/analytics/work"

MYCONTACTUAL_HOSTS: dict[str, str] = {
    "na1": "na1.mycontactual.com",
    "na2": "na2.mycontactual.com",
    "na3": "na3.mycontactual.com",
    "ca": "www.mycontactual.ca",
    "uk": "www.mycontactual.co.uk",
}
"""The old hosts, kept only for the regions the vendor's page (the seed) names with them
and no newer source moves: the seed lists ``na1``..``na4.mycontactual.com``, but the
vendor now documents na4 as ``vcc-na4.8x8.com``, so ``na4`` follows the newer rule below."""

_VCC_REGION = re.compile(r"(?:vcc-)?((?:na|eu)[1-9][0-9]{0,2}b?)")
"""``naN``, ``naNb``, ``euN``, each with or without ``vcc-``: host ``vcc-<name>.8x8.com``."""

REGION_FORMS = (
    "na1, na2, na3, ca, uk (the older mycontactual hosts), or naN, naNb, euN with or "
    "without vcc- (na4, na10b, vcc-na17, eu2: https://vcc-<name>.8x8.com)"
)
"""The accepted region forms, for messages, help and the setup screen."""


def is_loopback(host: str) -> bool:
    """True for ``localhost`` itself and literal loopback addresses (127/8 and ::1).

    Nothing is looked up: ``anything.localhost`` is refused, since the system resolver
    may send such a name to a DNS server whose answer we cannot trust with credentials.
    """
    host = host.strip("[]").lower()
    if host == "localhost":
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
    """The host for a region name (``na1``, ``uk``, ``na4``, ``vcc-na10b``, ``eu2``), or ``None``.

    ``na1``..``na3``, ``ca`` and ``uk`` keep the mycontactual hosts the seed names; every
    ``naN``/``naNb``/``euN`` name, bare or with ``vcc-``, is ``vcc-<name>.8x8.com`` (the
    vendor's current host names: na4, na7, na10, na10b, na17, eu2, eu3 ...). To reach a
    host these rules do not give (say the old ``na4.mycontactual.com``), give its URL.
    """
    name = region.strip().lower()
    if name in MYCONTACTUAL_HOSTS:
        return MYCONTACTUAL_HOSTS[name]
    match = _VCC_REGION.fullmatch(name)
    return f"vcc-{match.group(1)}.8x8.com" if match else None


REGION_EXAMPLES = "na4, vcc-na10b, eu2 or uk"
"""A few regions, for a hint where the full list would not fit."""


class UnknownRegionError(ConfigError):
    """A region name no rule knows; the message lists the accepted forms."""


def unknown_region(setting: str, region: str) -> UnknownRegionError:
    """The error for a region name no rule knows, listing the accepted forms."""
    shown = repr(clean_text(region, 40))
    return UnknownRegionError(
        f"{setting}: unknown region {shown}; use {REGION_FORMS}; for any other host give its "
        "full https:// URL (realtime_url, --realtime-url)"
    )


_BARE_WORD = re.compile(r"[A-Za-z0-9_-]+")
"""What a region name looks like (no scheme, dot, slash or port): never a URL."""


def realtime_base_url(value: str, setting: str = "realtime_url") -> str:
    """A full rtstats base URL from a region name, a bare host URL, or a full URL.

    ``https://na1.mycontactual.com`` gains the standard ``/api/rtstats/stats`` path. A
    single word that is no known region (``mars``, ``na0``) is an unknown region, not a
    malformed URL, so the message lists the regions.
    """
    host = region_host(value)
    if host is not None:
        return f"https://{host}{REALTIME_PATH}"
    if _BARE_WORD.fullmatch(value.strip()):
        raise unknown_region(setting, value.strip())
    url = check_url(value, setting)
    parts = urlsplit(url)
    if parts.path in ("", "/"):
        url = urlunsplit((parts.scheme, parts.netloc, REALTIME_PATH, parts.query, ""))
    return url


# --- the Contact Center Real-time Metrics API (v5) ------------------------------------------

CC_REALTIME_PATH = "/analytics/cc/v5/realtime-metrics"
CC_TOKEN_PATH = "/oauth/v2/token"
CC_REGIONS = ("us", "eu", "au", "ca")
"""The v5 API's regions: a path prefix on api.8x8.com (none for us)."""


def cc_realtime_url(region: str = "", url: str = "", setting: str = "cc_realtime.url") -> str:
    """The v5 base URL from ``[cc_realtime]``: ``url`` as given (a bare host gains the
    standard path), else ``region`` (``us``, the default, ``eu``, ``au``, ``ca``)."""
    if url:
        checked = check_url(url, setting)
        parts = urlsplit(checked)
        if parts.path in ("", "/"):
            checked = urlunsplit((parts.scheme, parts.netloc, CC_REALTIME_PATH, parts.query, ""))
        return checked
    name = (region or "us").strip().lower()
    if name not in CC_REGIONS:
        raise ConfigError(f"cc_realtime.region: unknown region {clean_text(region, 40)!r}; use one of {', '.join(CC_REGIONS)}, or give url")
    prefix = "" if name == "us" else f"/{name}"
    return f"https://api.8x8.com{prefix}{CC_REALTIME_PATH}"


def cc_token_url(base_url: str) -> str:
    """The OAuth token endpoint on the v5 base URL's host (``/oauth/v2/token``)."""
    parts = urlsplit(base_url)
    return urlunsplit((parts.scheme, parts.netloc, CC_TOKEN_PATH, "", ""))


def check_ws_url(url: str, setting: str) -> str:
    """A WebSocket URL held to the same rules as :func:`check_url`: ``wss://``, or ``ws://``
    for this machine alone (the simulator's stream)."""
    parts = urlsplit(url.strip())
    web = {"wss": "https", "ws": "http"}.get(parts.scheme.lower())
    if web is None:
        raise InsecureUrlError(f"{setting}: {_shown(url)} is not a WebSocket URL; expected wss://host/path")
    checked = check_url(urlunsplit((web, parts.netloc, parts.path, parts.query, "")), setting)
    return parts.scheme.lower() + checked[len(web):]
