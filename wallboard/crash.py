"""What a person sees when wallboard itself fails (a bug, not a server or a setting).

One line on standard error naming the exception's type and where it was raised, and how
to report it; never the exception's message or a frame's local variables, which may hold
a token typed into the setup screen or read from the keyring. Textual's own crash
handler prints every frame's locals, so the board replaces it (see
:meth:`wallboard.ui.app.WallboardApp._handle_exception`), and the command line catches
whatever escapes a command. ``WALLBOARD_DEBUG=1`` adds the traceback, still without
locals, for a developer who asks for it.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path
from typing import Mapping

DEBUG_ENV = "WALLBOARD_DEBUG"
EXIT_CRASH = 1


def debug_wanted(env: Mapping[str, str] = os.environ) -> bool:
    return env.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "false", "no")


def crash_line(error: BaseException) -> str:
    """One line for a person: what failed and where, and what to do. No message, no values."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if "wallboard" in Path(frame.filename).parts]
    where = ""
    if ours or frames:
        frame = (ours or frames)[-1]
        where = f" at {_short_path(frame.filename)}:{frame.lineno}"
    return (
        f"wallboard: internal error ({type(error).__name__}{where}); this is a bug: please report it "
        f"(see Security in the README). {DEBUG_ENV}=1 shows the traceback."
    )


def debug_text(error: BaseException) -> str:
    """The traceback without local variables (only with ``WALLBOARD_DEBUG=1``)."""
    return "".join(traceback.format_exception(error))


def report(error: BaseException, env: Mapping[str, str] = os.environ) -> str:
    """Everything to print for ``error``: the line, and the traceback when asked for."""
    return debug_text(error) + crash_line(error) if debug_wanted(env) else crash_line(error)


def _short_path(filename: str) -> str:
    parts = Path(filename).parts
    if "wallboard" in parts:
        return "/".join(parts[len(parts) - 1 - parts[::-1].index("wallboard") :])
    return Path(filename).name
