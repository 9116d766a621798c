"""``wallboard config init`` / ``wallboard config path``: a starter config, and where it lives.

``path`` prints the config file the board would read (``--config``, else
``WALLBOARD_CONFIG``, else the platform's user config dir), and nothing else on standard
output, so scripts can use it; when the file does not exist yet it says so on standard
error.

``init`` writes the documented example (``wallboard/config.example.toml``: every key,
its default and what it means) to that path, creating its directory. It never
overwrites: an existing file is refused (exit code 2) and left as it was. The example's
illustrative values (lines marked ``# example``: a tenant called "acme", region na1, a
time zone, an analytics user) are written commented out, so the new file loads as the
defaults and the board asks for what is really missing instead of trying someone
else's tenant; the file's first lines say which to fill in.
"""

from __future__ import annotations

import argparse
import re
import sys
from importlib import resources
from pathlib import Path

from wallboard.config import CONFIG_ENV, default_config_path, resolve_config_path
from wallboard.errors import ConfigError

_EXAMPLE_VALUE = re.compile(r"^(?P<key>[A-Za-z_][\w.]*) = .*#\s*example\s*$")
HEADER = (
    "# Written by `wallboard config init`. The lines marked \"example\" are commented out:\n"
    "# uncomment them and put in your own values (at least `tenant`, and `region` or\n"
    "# `realtime_url`); everything else is the default.\n"
    "#\n"
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("config", help="a starter config file (init), and where it lives (path)")
    actions = parser.add_subparsers(dest="config_command", metavar="{init,path}", required=True)
    init = actions.add_parser(
        "init",
        help="write the documented example config to the config path (never overwriting)",
        description="Write the documented example config, every key with its default, to the config "
        f"path (--config, else {CONFIG_ENV}, else {default_config_path()}). An existing file is never overwritten.",
    )
    init.add_argument("--config", metavar="PATH", help=f"where to write it (default {default_config_path()})")
    init.set_defaults(func=init_command)
    where = actions.add_parser(
        "path",
        help="print the path of the config file the board reads",
        description=f"Print the config file's path: --config, else {CONFIG_ENV}, else the platform's user config dir.",
    )
    where.add_argument("--config", metavar="PATH", help="a config file named on the command line")
    where.set_defaults(func=path_command)


def example_text() -> str:
    """The documented example config, as shipped in the package."""
    return resources.files("wallboard").joinpath("config.example.toml").read_text(encoding="utf-8")


def starter_config(example: str) -> str:
    """The example with its illustrative values commented out, under a header saying so."""
    lines = []
    for line in example.splitlines(keepends=True):
        lines.append(f"# {line}" if _EXAMPLE_VALUE.match(line) else line)
    return HEADER + "".join(lines)


def path_command(args: argparse.Namespace) -> int:
    path, _ = resolve_config_path(args.config)
    print(path)
    if not path.exists():
        print(f"wallboard: {path} does not exist yet; `wallboard config init` writes a starter one", file=sys.stderr)
    return 0


def init_command(args: argparse.Namespace) -> int:
    path, _ = resolve_config_path(args.config)
    write_starter(path)
    print(f"Wrote {path}. Put in your tenant and region, then `wallboard secrets set realtime-token` and `wallboard`.")
    return 0


def write_starter(path: Path) -> None:
    """Write the starter config to ``path`` (and its directory); a ConfigError if it exists or cannot be written."""
    text = starter_config(example_text())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8") as handle:  # "x": refuse an existing file, even one made meanwhile
                handle.write(text)
        except FileExistsError:
            raise ConfigError(f"{path} already exists; it was left as it is (edit it, or move it away and run this again)") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ConfigError(f"cannot write {path} ({reason}): name another path with --config") from None
