"""What a browser's URL asks of its board, and the board's command line. Pure.

``/?tv=1`` opens the board in TV mode; ``/?view=sales`` (or ``view=sales,support``)
opens it on the configured views, where the board has them (``wallboard run --view``);
``fontsize=N`` is textual-serve's own. The page's query does not reach the websocket
that starts the board (textual-serve's script adds its own ``?width=..&height=..``), so
the options travel in the websocket's path: ``/ws/tv=1;view=sales``.

Everything from the URL is hostile: the board's command is run by a shell (textual-serve
starts it with ``create_subprocess_shell``), so only view names of letters, digits,
``_``, ``-`` and ``.`` are passed on, each quoted; anything else is dropped.
"""

from __future__ import annotations

import re
import shlex
import sys
from dataclasses import dataclass
from typing import Mapping, Sequence

VIEW_NAME = re.compile(r"[A-Za-z0-9_.-]{1,40}\Z")
MAX_VIEWS = 10
TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True, slots=True)
class SessionOptions:
    """One browser's board: TV mode or not, and which views (none: the board's default)."""

    tv: bool = False
    views: tuple[str, ...] = ()

    @staticmethod
    def from_query(query: Mapping[str, str]) -> "SessionOptions":
        tv = (query.get("tv") or "").strip().lower() in TRUE
        names = [name.strip() for name in (query.get("view") or "").split(",")]
        views = tuple(dict.fromkeys(name for name in names if VIEW_NAME.match(name)))[:MAX_VIEWS]
        return SessionOptions(tv, views)

    def path_segment(self) -> str:
        """The options in the websocket's path (``tv=1;view=a,b``; ``-`` for none)."""
        parts = (["tv=1"] if self.tv else []) + ([f"view={','.join(self.views)}"] if self.views else [])
        return ";".join(parts) or "-"

    @staticmethod
    def from_segment(segment: str) -> "SessionOptions":
        query = dict(part.partition("=")[::2] for part in segment.split(";") if "=" in part)
        return SessionOptions.from_query(query)


def board_command(
    options: SessionOptions,
    realtime_url: str,
    tenant: str,
    *,
    config: str | None = None,
    extra: Sequence[str] = (),
    views_supported: bool = False,
    python: str = sys.executable,
) -> str:
    """The shell command that runs one browser's board against ``realtime_url``.

    The token is not in it (a command line is visible to every user of the machine): the
    board reads ``WALLBOARD_REALTIME_TOKEN`` from the environment it inherits.
    """
    argv: list[str] = [python, "-m", "wallboard", "run", "--realtime-url", realtime_url, "--tenant", tenant]
    if config:
        argv += ["--config", config]
    argv += list(extra)
    if options.tv:
        argv.append("--tv")
    if options.views and views_supported:
        argv += ["--view", ",".join(options.views)]
    return " ".join(shlex.quote(part) for part in argv)


def supports_option(option: str, command: str = "run") -> bool:
    """Does ``wallboard COMMAND`` accept ``option``? (``--view`` arrives with per-team views.)"""
    from wallboard.cli import build_parser

    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    return option in sub._option_string_actions


__all__: Sequence[str] = ("SessionOptions", "board_command", "supports_option")
