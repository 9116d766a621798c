"""The one reach into Textual's private output path (wallboard.ui.partial) still holds.

These tests fail loudly, naming what changed, when a Textual release moves what the hook
relies on; they never pass by falling back. See the module doc of wallboard.ui.partial.
"""

import re
import tomllib
from pathlib import Path

from rich.console import Console
from rich.segment import Segment
from textual._compositor import ChopsUpdate
from textual.strip import Strip

from tests.helpers.clocks import Clocks
from tests.helpers.data import fixed_settings, fixed_snapshot
from wallboard.bench.driver import counting
from wallboard.themes import bundled_themes_dir
from wallboard.ui import partial
from wallboard.ui.app import WallboardApp

ROOT = Path(__file__).resolve().parent.parent


def test_every_assumption_the_hook_makes_of_textual_holds():
    found = partial.problems()
    assert not found, "Textual changed under wallboard.ui.partial:\n  " + "\n  ".join(found)


def test_textual_is_pinned_to_the_minor_version_the_hook_was_checked_against():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    textual = next(spec for spec in dependencies if re.match(r"textual\b", spec))
    major, minor = partial.CHECKED_TEXTUAL
    assert textual.replace(" ", "") == f"textual>={major}.{minor},<{major}.{minor + 1}", (
        f"pyproject.toml asks for {textual!r}; wallboard.ui.partial was checked against {major}.{minor}"
    )


def _update() -> ChopsUpdate:
    """One line: a 20-cell widget at column 0 whose cells 10 to 14 changed."""
    strip = Strip([Segment("a" * 10), Segment("b" * 10)])
    return ChopsUpdate([{0: strip}], [(0, 10, 15)], [[20]])


def test_textual_still_writes_a_partial_update_from_the_widget_edge_so_the_hook_is_still_needed():
    console = Console(width=20, color_system=None, force_terminal=True)
    sent = _update().render_segments(console)
    assert sent == "\x1b[1;1H" + "a" * 10 + "b" * 5, (
        "Textual now writes a partial update from where it starts (textual#5625 fixed?): "
        "wallboard.ui.partial's TrimmedChopsUpdate is no longer needed; remove the hook"
    )
    assert partial.trim(_update()).render_segments(console) == "\x1b[1;11H" + "b" * 5


async def test_every_screen_update_of_the_board_passes_through_the_hook():
    clocks = Clocks()
    app = WallboardApp(fixed_settings(), snapshot=fixed_snapshot(), wall=clocks.wall, mono=clocks.mono, theme_dirs=[bundled_themes_dir()])
    counting(app)
    seen: list[str] = []
    output = app.output

    def spy(renderable):
        sent = output(renderable)
        seen.append(type(sent).__name__)
        return sent

    app.output = spy
    async with app.run_test(headless=False, size=(120, 30)) as pilot:
        await pilot.pause()
        clocks.advance(1)
        app.tick()
        await pilot.pause()
        await pilot.pause(0.05)
    assert seen, "no screen update reached WallboardApp.output: Textual no longer calls App._display"
    assert "TrimmedChopsUpdate" in seen, seen  # a tick's partial update went out trimmed
    assert "ChopsUpdate" not in seen, seen
