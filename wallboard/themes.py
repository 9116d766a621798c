"""Theme files: TOML a user can read, copy and change.

A theme sets Textual's colours (``[colors]``) and the wallboard's own: agent states
(``[states]``) and threshold levels (``[levels]``). Phone line colours are derived from
those, so a theme stays short. The shipped themes live in ``themes/`` at the top of the
source tree (bundled into the package on install); a user's own go in the ``themes``
folder of the config dir and are loaded too. A broken file is reported in one line and
skipped; the board falls back to the default theme.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

DEFAULT_THEME = "wallboard-dark"
TEXTUAL_COLOURS = ("primary", "secondary", "accent", "warning", "error", "success", "foreground", "background", "surface", "panel")
STATES = ("available", "offered", "busy", "wrap", "break", "offline", "logged_out", "unknown")
LEVELS = ("ok", "warning", "alert", "stale")
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})\Z")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,40}\Z")

LINE_FROM = {
    "busy": "state-busy",
    "offered": "state-offered",
    "hold": "level-warning",
    "mute": "state-wrap",
    "wrap": "state-wrap",
    "monitor": "state-offered",
    "error": "level-alert",
    "idle": "foreground",
    "unused": "state-logged_out",
}
"""Phone line categories take the colour of the state or level they resemble."""

SIXTEEN_COLOURS = {
    "black": "#000000", "red": "#AA0000", "green": "#00AA00", "yellow": "#AA5500",
    "blue": "#0000AA", "magenta": "#AA00AA", "cyan": "#00AAAA", "white": "#AAAAAA",
    "bright_black": "#555555", "bright_red": "#FF5555", "bright_green": "#55FF55", "bright_yellow": "#FFFF55",
    "bright_blue": "#5555FF", "bright_magenta": "#FF55FF", "bright_cyan": "#55FFFF", "bright_white": "#FFFFFF",
}
"""The 16 colours of a basic terminal, as rich knows them: a colour given exactly as one
of these is sent as that colour, not as whichever of the 16 happens to be nearest."""

SIXTEEN_DARK = {
    "state-available": "bright_green", "state-offered": "bright_cyan", "state-busy": "bright_yellow",
    "state-wrap": "bright_magenta", "state-break": "bright_white", "state-offline": "cyan",
    "state-logged_out": "white", "state-unknown": "bright_red",
    "level-ok": "bright_green", "level-warning": "bright_yellow", "level-alert": "bright_red", "level-stale": "bright_red",
}
"""State and level colours on a 16-colour terminal with a dark background (the Linux
console, most SSH sessions): each state its own, all legible on black. A theme's own
colours would be sent as the nearest of the 16, which merges some (Busy's orange became
ALERT's red; Post-processing's violet and Work offline's grey both became white)."""

SIXTEEN_LIGHT = {
    "state-available": "green", "state-offered": "blue", "state-busy": "yellow",
    "state-wrap": "magenta", "state-break": "cyan", "state-offline": "bright_black",
    "state-logged_out": "bright_blue", "state-unknown": "red",
    "level-ok": "green", "level-warning": "yellow", "level-alert": "red", "level-stale": "red",
}
"""The same for a light theme on a 16-colour terminal with a light background."""


class ThemeFileError(ValueError):
    """A theme file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class ThemeSpec:
    name: str
    dark: bool
    colors: dict[str, str]
    states: dict[str, str]
    levels: dict[str, str]
    path: Path | None = None

    def variables(self, sixteen: bool = False) -> dict[str, str]:
        """CSS variables for Textual (``$state-busy``, ``$level-alert``, ``$line-hold`` ...);
        with ``sixteen``, the states and levels in colours a 16-colour terminal keeps apart."""
        variables = {f"state-{k}": v for k, v in self.states.items()}
        variables.update({f"level-{k}": v for k, v in self.levels.items()})
        if sixteen:
            names = SIXTEEN_DARK if self.dark else SIXTEEN_LIGHT
            variables.update({key: SIXTEEN_COLOURS[name] for key, name in names.items()})
        for line, source in LINE_FROM.items():
            variables[f"line-{line}"] = variables.get(source) or self.colors.get(source, "#888888")
        return variables


@dataclass(slots=True)
class ThemeCatalogue:
    """Every theme found, and one line for each file that could not be used."""

    themes: dict[str, ThemeSpec] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def bundled_themes_dir() -> Path:
    """Where the shipped themes are: in the package when installed, else the source tree."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_bundled_themes", package.parent / "themes"):
        if candidate.is_dir():
            return candidate
    return package.parent / "themes"


def load_theme_file(path: Path) -> ThemeSpec:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ThemeFileError(f"theme file {path}: cannot be read ({type(error).__name__})") from None
    except tomllib.TOMLDecodeError as error:
        raise ThemeFileError(f"theme file {path}: not valid TOML ({error})") from None
    return theme_from_mapping(raw, str(path), path)


def theme_from_mapping(raw: dict, origin: str, path: Path | None = None) -> ThemeSpec:
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ThemeFileError(f"{origin}: `name` must be a short name of letters, digits, - _ .")
    dark = raw.get("dark", True)
    if not isinstance(dark, bool):
        raise ThemeFileError(f"{origin}: `dark` must be true or false")
    unknown = set(raw) - {"name", "dark", "colors", "states", "levels"}
    if unknown:
        raise ThemeFileError(f"{origin}: unknown key {sorted(unknown)[0]!r}; expected name, dark, [colors], [states], [levels]")
    colors = _table(raw, "colors", TEXTUAL_COLOURS, origin, required=("primary",))
    states = _table(raw, "states", STATES, origin, required=STATES)
    levels = _table(raw, "levels", LEVELS, origin, required=("warning", "alert"))
    levels.setdefault("ok", states["available"])
    levels.setdefault("stale", levels["alert"])
    return ThemeSpec(name, dark, colors, states, levels, path)


def _table(raw: dict, section: str, allowed: Iterable[str], origin: str, required: Iterable[str]) -> dict[str, str]:
    table = raw.get(section, {})
    if not isinstance(table, dict):
        raise ThemeFileError(f"{origin}: [{section}] must be a table")
    allowed = tuple(allowed)
    values: dict[str, str] = {}
    for key, value in table.items():
        if key not in allowed:
            raise ThemeFileError(f"{origin}: [{section}] has unknown key {key!r}; known: {', '.join(allowed)}")
        if not isinstance(value, str) or not _HEX.match(value.strip()):
            raise ThemeFileError(f"{origin}: [{section}] {key} must be a colour like \"#3DD68C\"")
        values[key] = value.strip()
    missing = [key for key in required if key not in values]
    if missing:
        raise ThemeFileError(f"{origin}: [{section}] is missing {', '.join(missing)}")
    return values


def discover(directories: Iterable[Path]) -> ThemeCatalogue:
    """Load every ``*.toml`` in ``directories``; later directories override earlier ones."""
    catalogue = ThemeCatalogue()
    for directory in directories:
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.toml")):
            try:
                spec = load_theme_file(path)
            except ThemeFileError as error:
                catalogue.problems.append(str(error))
                continue
            catalogue.themes[spec.name] = spec
    return catalogue
