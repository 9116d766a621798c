"""The wallboard's theme files as Textual themes, and the colours of a 16-colour terminal.

Theme files (:mod:`wallboard.themes`) are read once per start; each becomes a Textual
:class:`~textual.theme.Theme` whose variables add the states' and levels' colours
(``$state-busy``, ``$level-alert``, ``$line-hold``). On a terminal of 16 colours the
states and levels take colours it keeps apart instead (:data:`wallboard.themes.SIXTEEN_DARK`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from textual.theme import Theme

from wallboard.themes import DEFAULT_THEME, ThemeCatalogue, ThemeSpec, discover


def textual_theme(spec: ThemeSpec) -> Theme:
    colors = spec.colors
    return Theme(
        name=spec.name,
        primary=colors["primary"],
        secondary=colors.get("secondary"),
        accent=colors.get("accent"),
        warning=colors.get("warning"),
        error=colors.get("error"),
        success=colors.get("success"),
        foreground=colors.get("foreground"),
        background=colors.get("background"),
        surface=colors.get("surface"),
        panel=colors.get("panel"),
        dark=spec.dark,
        variables=spec.variables(),
    )


class Themes:
    """Every theme found, which one to start with, and what was wrong with the files."""

    def __init__(self, directories: Iterable[Path], wanted: str) -> None:
        self.catalogue: ThemeCatalogue = discover(directories)
        self.problems: list[str] = list(self.catalogue.problems)
        self.wanted = wanted or DEFAULT_THEME

    def textual_themes(self) -> list[Theme]:
        return [textual_theme(spec) for spec in self.catalogue.themes.values()]

    def choose(self, available: Iterable[str]) -> str:
        """The theme to start with: the one wanted, else the default (saying why)."""
        names = set(available)
        if self.wanted in names:
            return self.wanted
        fallback = fallback_theme(names)
        self.problems.append(f"theme {self.wanted!r} was not found; using {fallback}")
        return fallback

    def variables(self, name: str, sixteen: bool) -> dict[str, str]:
        """The wallboard's own variables of theme ``name`` (none for Textual's themes)."""
        spec = self.catalogue.themes.get(name)
        return spec.variables(sixteen=sixteen) if spec is not None else {}

    def defaults(self) -> dict[str, str]:
        """The default theme's variables: what a Textual theme chosen in the palette lacks."""
        return self.variables(DEFAULT_THEME, sixteen=False)


def fallback_theme(available: Iterable[str]) -> str:
    return DEFAULT_THEME if DEFAULT_THEME in set(available) else "textual-dark"
