"""Settings: one typed, validated object built from the TOML file and the command line.

Where a value comes from, strongest first: a command-line option, an environment
variable where one exists (``WALLBOARD_ANALYTICS_USERNAME``), the config file, the
default. The file lives at the platform's user config dir
(``~/.config/wallboard/config.toml`` on Linux) unless ``--config`` or
``WALLBOARD_CONFIG`` names another. Unknown keys and bad values are refused with a message
that names the key (or option) and the form expected. Secrets never belong in the file:
a key that looks like one is refused with advice to use the keyring.

Every key is documented in ``wallboard/config.example.toml`` and in the README.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import tzinfo
from pathlib import Path
from typing import Any, Callable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from wallboard.config_views import check_chosen, parse_queue_rules, parse_views, view_names
from wallboard.core.model.thresholds import Thresholds
from wallboard.core.views.selection import View
from wallboard.errors import ConfigError
from wallboard.urls import ANALYTICS_URL, CC_REGIONS, cc_realtime_url, check_url, check_ws_url, realtime_base_url, region_host, unknown_region

APP_NAME = "wallboard"
CONFIG_ENV = "WALLBOARD_CONFIG"
USERNAME_ENV = "WALLBOARD_ANALYTICS_USERNAME"
TABS = ("agents", "queues", "historical")
FORMATS = ("json", "xml")
SOURCES = ("rtstats", "cc-realtime")
"""Where live data comes from: the legacy Real Time Statistics API, or Contact Center
Real-time Metrics (v5, OAuth key and secret, a 5 s cache)."""
CC_CACHE_PERIOD = 5.0
"""The v5 API's cache refresh: with ``source = "cc-realtime"`` and no ``interval`` set,
the board polls this often (the legacy default, 10 s, would skip every other refresh)."""
DEFAULT_THEME = "wallboard-dark"
SECRET_LOOKING = ("token", "password", "api_key", "apikey", "secret", "realtime_token", "analytics_password", "analytics_api_key")


def default_config_path() -> Path:
    """``config.toml`` in the platform's user config dir."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"


def default_export_dir() -> Path:
    """Where CSV exports go when the config names no directory."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "exports"


def user_themes_dir() -> Path:
    """Where a user's own theme files are looked for."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "themes"


@dataclass(frozen=True, slots=True)
class AnalyticsSettings:
    """Work Analytics (historical reports): where, as whom, and for which PBXs."""

    url: str = ANALYTICS_URL
    username: str = ""
    pbx: tuple[str, ...] = ("allpbxes",)
    page_size: int = 1000
    """Call records and legs per page (the service allows 1 to 7,000)."""


@dataclass(frozen=True, slots=True)
class CcRealtimeSettings:
    """``[cc_realtime]``: where the v5 API is, and how its undocumented scales read."""

    region: str = "us"
    url: str = ""
    tenant_info: str = ""
    """The ``X-Tenant-Info`` header: mandatory for multi-tenant customers, else unset."""
    percent_scale: str = "fraction"
    """``fraction`` (0.85 is 85 %, the documented example's reading) or ``percent``."""

    @property
    def base_url(self) -> str:
        return cc_realtime_url(self.region, self.url)


@dataclass(frozen=True, slots=True)
class EventsSettings:
    """``[events]``: the push stream of agent changes (off unless enabled)."""

    enabled: bool = False
    url: str = ""
    """The stream's wss:// URL, when the region's default host is not yours."""
    tenant: str = ""
    """The tenant in the stream's topic path (default: the top-level ``tenant``)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the board, ``report`` and ``secrets`` need to know, validated."""

    tenant: str = ""
    realtime_url: str = ""
    format: str = "json"
    interval: float = 10.0
    timezone: str = ""
    theme: str = DEFAULT_THEME
    start_tab: str = "agents"
    tv: bool = False
    rotate: float = 20.0
    bell: bool = False
    export_dir: str = ""
    ca_bundle: str = ""
    analytics: AnalyticsSettings = field(default_factory=AnalyticsSettings)
    thresholds: Thresholds = field(default_factory=Thresholds)
    views: tuple[View, ...] = ()
    """``[views.NAME]``, in file order (:mod:`wallboard.config_views`)."""
    view: tuple[str, ...] = ()
    """The views to open on (``--view`` or ``view``), checked against ``views``."""
    source: Path | None = None
    """The config file these settings were read from (not the data source: that is ``data_source``)."""
    data_source: str = "rtstats"
    """The config's ``source`` key: ``rtstats`` or ``cc-realtime``."""
    cc_realtime: CcRealtimeSettings = field(default_factory=CcRealtimeSettings)
    events: EventsSettings = field(default_factory=EventsSettings)

    def zone(self) -> tzinfo:
        """The configured zone, or this machine's local zone when none is set."""
        if self.timezone:
            return ZoneInfo(self.timezone)
        from datetime import datetime

        return datetime.now().astimezone().tzinfo  # type: ignore[return-value]

    def export_path(self) -> Path:
        return Path(self.export_dir).expanduser() if self.export_dir else default_export_dir()


# --- validators ---------------------------------------------------------------------------

Validator = Callable[[str, Any], Any]


def _text(label: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{label} must be text in quotes, got {_show(value)}")
    return value.strip()


def _choice(options: tuple[str, ...]) -> Validator:
    def check(label: str, value: Any) -> str:
        text = _text(label, value).lower()
        if text not in options:
            raise ConfigError(f"{label} must be one of {', '.join(options)}; got {_show(value)}")
        return text

    return check


def _number(low: float, high: float, unit: str, integer: bool = False) -> Validator:
    def check(label: str, value: Any) -> float | int:
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError:
                pass
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{label} must be a number of {unit} from {low:g} to {high:g}; got {_show(value)}")
        if not low <= value <= high:
            raise ConfigError(f"{label} must be from {low:g} to {high:g} {unit}; got {value:g}")
        if integer:
            if value != int(value):
                raise ConfigError(f"{label} must be a whole number of {unit}; got {value:g}")
            return int(value)
        return float(value)

    return check


def _boolean(label: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no", "on", "off", "1", "0"):
        return value.strip().lower() in ("true", "yes", "on", "1")
    raise ConfigError(f"{label} must be true or false; got {_show(value)}")


def _zone(label: str, value: Any) -> str:
    name = _text(label, value)
    if not name:
        return ""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigError(f"{label}: {name!r} is not an IANA time zone (e.g. Europe/London, America/New_York)") from None
    return name


def _realtime_url(label: str, value: Any) -> str:
    return realtime_base_url(_text(label, value), label) if _text(label, value) else ""


def _region(label: str, value: Any) -> str:
    name = _text(label, value)
    if name and region_host(name) is None:
        raise unknown_region(label, name)
    return name


def _url(label: str, value: Any) -> str:
    return check_url(_text(label, value), label)


def _ws_url(label: str, value: Any) -> str:
    return check_ws_url(_text(label, value), label)


def _pbx(label: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        items = [part.strip() for part in value.split(",")]
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        items = [item.strip() for item in value]
    else:
        raise ConfigError(f'{label} must be a list of PBX names such as ["acmecorp"], or "allpbxes"; got {_show(value)}')
    items = [item for item in items if item]
    if not items:
        raise ConfigError(f'{label} is empty; name at least one PBX, or "allpbxes"')
    if "allpbxes" in items and len(items) > 1:
        raise ConfigError(f'{label}: "allpbxes" already means every PBX; list no others beside it')
    for item in items:
        if any(ch in item for ch in " /?&#=") or len(item) > 64:
            raise ConfigError(f"{label}: {item!r} is not a PBX name")
    return tuple(items)


def _path(label: str, value: Any) -> str:
    return _text(label, value)


def _ca_bundle(label: str, value: Any) -> str:
    path = _text(label, value)
    if path and not Path(path).expanduser().exists():
        raise ConfigError(f"{label}: {path!r} does not exist; give a PEM file (or directory) of CA certificates")
    return path


TOP_LEVEL: dict[str, tuple[Validator, str]] = {
    "tenant": (_text, "the 8x8 tenant name (the Basic-auth user name)"),
    "realtime_url": (_realtime_url, "the real-time statistics URL"),
    "region": (_region, "a region name instead of realtime_url"),
    "format": (_choice(FORMATS), "json or xml"),
    "interval": (_number(1, 3600, "seconds"), "seconds between refreshes"),
    "timezone": (_zone, "IANA time zone for the clock and reports"),
    "theme": (_text, "theme name"),
    "start_tab": (_choice(TABS), "the tab the board opens on"),
    "tv": (_boolean, "TV mode"),
    "rotate": (_number(0, 3600, "seconds"), "seconds between tab changes in TV mode"),
    "bell": (_boolean, "ring the terminal bell on new alerts"),
    "export_dir": (_path, "directory for CSV exports"),
    "ca_bundle": (_ca_bundle, "extra CA certificates to trust (a private CA, TLS inspection)"),
    "source": (_choice(SOURCES), "where live data comes from: rtstats or cc-realtime"),
    "view": (view_names, "the views to open on (names of [views.NAME] tables)"),
}
SECTIONS: dict[str, dict[str, tuple[Validator, str]]] = {
    "analytics": {
        "url": (_url, "the Work Analytics URL"),
        "username": (_text, "the Work Analytics user name"),
        "pbx": (_pbx, "PBX names, or allpbxes"),
        "page_size": (_number(1, 7000, "records", True), "call records and legs per page"),
    },
    "cc_realtime": {
        "region": (_choice(CC_REGIONS), "us, eu, au or ca"),
        "url": (_url, "the v5 API's base URL instead of region"),
        "tenant_info": (_text, "the X-Tenant-Info header (multi-tenant customers)"),
        "percent_scale": (_choice(("fraction", "percent")), "how the API's percentages read"),
    },
    "events": {
        "enabled": (_boolean, "push agent changes from the event stream"),
        "url": (_ws_url, "the event stream's URL (wss://)"),
        "tenant": (_text, "the tenant in the stream's topic"),
    },
    "thresholds": {
        "longest_wait_warning": (_number(0, 86400, "seconds", True), ""),
        "longest_wait_alert": (_number(0, 86400, "seconds", True), ""),
        "waiting_warning": (_number(0, 100000, "interactions", True), ""),
        "waiting_alert": (_number(0, 100000, "interactions", True), ""),
        "sla_target": (_number(0, 100, "percent"), ""),
        "sla_alert_margin": (_number(0, 100, "percent"), ""),
        "break_warning_minutes": (_number(0, 1440, "minutes", True), ""),
        "break_alert_minutes": (_number(0, 1440, "minutes", True), ""),
    },
}


# --- loading ------------------------------------------------------------------------------


def resolve_config_path(explicit: str | os.PathLike[str] | None = None, env: Mapping[str, str] = os.environ) -> tuple[Path, bool]:
    """The config file to read, and whether the user named it (so it must exist)."""
    if explicit:
        return Path(explicit).expanduser(), True
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV]).expanduser(), True
    return default_config_path(), False


def read_config_file(path: Path, required: bool) -> dict[str, Any]:
    """The raw TOML table of ``path``; ``{}`` when an unnamed default file is absent."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        if required:
            raise ConfigError(f"config file {path} does not exist; create it or drop --config/{CONFIG_ENV}") from None
        return {}
    except IsADirectoryError:
        raise ConfigError(f"config file {path} is a directory") from None
    except PermissionError:
        raise ConfigError(f"config file {path} cannot be read (permission denied)") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config file {path} is not valid TOML: {error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path} is not UTF-8 text") from None


def load_settings(
    config: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, tuple[Any, str]] | None = None,
    env: Mapping[str, str] = os.environ,
) -> Settings:
    """Read the config file, apply environment and command-line overrides, validate.

    ``overrides`` maps dotted keys (``interval``, ``analytics.url``) to
    ``(value, option_name)``; ``None`` values are ignored so argparse defaults pass through.
    """
    path, required = resolve_config_path(config, env)
    raw = read_config_file(path, required)
    settings = settings_from_mapping(raw, str(path))
    changes: dict[str, tuple[Any, str]] = {}
    if env.get(USERNAME_ENV):
        changes["analytics.username"] = (env[USERNAME_ENV], USERNAME_ENV)
    for key, (value, option) in (overrides or {}).items():
        if value is not None:
            changes[key] = (value, option)
    settings = apply_overrides(settings, changes)
    if settings.data_source == "cc-realtime" and "interval" not in raw and "interval" not in changes:
        settings = replace(settings, interval=CC_CACHE_PERIOD)
    return replace(settings, source=path if raw or required else None)


def settings_from_mapping(raw: Mapping[str, Any], origin: str = "config") -> Settings:
    """Validate a TOML-shaped mapping; messages are prefixed with ``origin``."""
    top: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
    views: tuple[View, ...] = ()
    for key, value in raw.items():
        if key == "views":
            views = parse_views(value, origin)
            continue
        if key in SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"{origin}: [{key}] must be a table (a [{key}] section)")
            for sub_key, sub_value in value.items():
                if key == "thresholds" and sub_key == "queues":
                    validators = {name: spec[0] for name, spec in SECTIONS["thresholds"].items()}
                    sections[key]["queue_rules"] = parse_queue_rules(sub_value, origin, validators, origin)
                    continue
                spec = SECTIONS[key].get(sub_key)
                if spec is None:
                    raise ConfigError(_unknown(origin, f"{key}.{sub_key}", sub_key, SECTIONS[key]))
                sections[key][sub_key] = spec[0](f"{origin}: {key}.{sub_key}", sub_value)
            continue
        spec = TOP_LEVEL.get(key)
        if spec is None:
            raise ConfigError(_unknown(origin, key, key, {**TOP_LEVEL, **SECTIONS}))
        top[key] = spec[0](f"{origin}: {key}", value)
    if top.get("realtime_url") and top.get("region"):
        raise ConfigError(f"{origin}: set either realtime_url or region, not both")
    region = top.pop("region", "")
    if region:
        top["realtime_url"] = realtime_base_url(region)
    if "source" in top:
        top["data_source"] = top.pop("source")
    settings = Settings(
        **top,
        cc_realtime=CcRealtimeSettings(**sections["cc_realtime"]),
        events=EventsSettings(**sections["events"]),
        analytics=AnalyticsSettings(**sections["analytics"]),
        thresholds=Thresholds(**sections["thresholds"], origin=origin if "thresholds" in raw else ""),
        views=views,
    )
    check_consistency(settings.thresholds, origin)
    check_chosen(views, settings.view, f"{origin}: view")
    return settings


def apply_overrides(settings: Settings, changes: Mapping[str, tuple[Any, str]]) -> Settings:
    """Settings with each dotted key replaced by a validated value; labels name the option."""
    for key, (value, option) in changes.items():
        section, _, name = key.rpartition(".")
        if section:
            validator = SECTIONS[section][name][0]
            inner = getattr(settings, section)
            settings = replace(settings, **{section: replace(inner, **{name: validator(option, value)})})
        elif key == "region":
            settings = replace(settings, realtime_url=realtime_base_url(_region(option, value)))
        elif key == "source":
            settings = replace(settings, data_source=TOP_LEVEL[key][0](option, value))
        else:
            settings = replace(settings, **{key: TOP_LEVEL[key][0](option, value)})
    check_consistency(settings.thresholds, "thresholds")
    if "view" in changes:
        check_chosen(settings.views, settings.view, changes["view"][1])
    return settings


def check_consistency(thresholds: Thresholds, origin: str) -> None:
    """Every warning at most its alert, in ``[thresholds]`` and once each per-queue rule is applied."""
    _check_pairs(thresholds, origin, "thresholds")
    for rule in thresholds.queue_rules:
        merged = replace(thresholds, **dict(rule.overrides), queue_rules=())
        _check_pairs(merged, origin, rule.label, "with [thresholds] under it")


def _check_pairs(thresholds: Thresholds, origin: str, where: str, note: str = "") -> None:
    for warning, alert in (
        ("longest_wait_warning", "longest_wait_alert"),
        ("waiting_warning", "waiting_alert"),
        ("break_warning_minutes", "break_alert_minutes"),
    ):
        if getattr(thresholds, warning) > getattr(thresholds, alert):
            after = f" ({note})" if note else ""
            raise ConfigError(f"{origin}: {where}.{warning} must not exceed {where}.{alert}{after}")


def _unknown(origin: str, shown: str, key: str, known: Mapping[str, Any]) -> str:
    if key.lower() in SECRET_LOOKING or any(word in key.lower() for word in ("token", "password", "secret")):
        return (
            f"{origin}: {shown}: secrets do not belong in the config file; "
            "use `wallboard secrets set NAME` or the WALLBOARD_* environment variables"
        )
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(known)}"
    return f"{origin}: unknown key {shown!r}{hint}"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def documented_keys() -> list[str]:
    """Every key a config file may hold, dotted for sections (for docs and tests)."""
    keys = list(TOP_LEVEL)
    for section, specs in SECTIONS.items():
        keys.extend(f"{section}.{name}" for name in specs)
    return keys


def settings_fields() -> list[str]:
    return [f.name for f in fields(Settings)]
