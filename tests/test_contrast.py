"""Contrast: every text on its background at least 4.5:1, in every theme.

Two ways. From the theme files: every colour a theme gives text (states, levels, the
chrome's accent, success, warning, error, and the foreground at the lightest alpha
the widgets' CSS uses) against every background it is drawn on. And from the screen:
each screen of the board (agents with the cursor on a logged-out agent, stale data,
queues with a tile in alert under the cursor, both detail screens, the Historical form
and results, the keys) is rendered in each theme and every segment of text is
measured in the colours Textual actually drew it: cursor rows, greyed text, tints and
blends included. Box-drawing lines and spaces are not text.

Then the terminals that cannot show a theme as it is: in 16 colours (``TERM=linux``)
each state keeps a colour of its own (Busy is not ALERT's red, Post-processing is not
Work offline's white), and with ``NO_COLOR`` (greys only) the cursor row still reads.
"""

from __future__ import annotations

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem
from textual.filter import monochrome_style
from textual.screen import ModalScreen

from tests.helpers.board import make_app
from tests.helpers.board import stale_app
from tests.helpers.history import fetch_report, history_app, open_tab
from wallboard.contrast import MINIMUM, blend, contrast_ratio, parse_hex
from wallboard.themes import LEVELS, SIXTEEN_COLOURS, STATES, bundled_themes_dir, discover
from wallboard.ui.app import WallboardApp
from wallboard.ui.widgets.agents_grid import AgentsGrid

pytestmark = pytest.mark.virtual_time

THEMES = sorted(discover([bundled_themes_dir()]).themes)
LIGHTEST_FOREGROUND = 0.7
"""The lowest alpha any widget's CSS gives ``$foreground`` for text (greyed, stale, captions)."""


def spec(name):
    return discover([bundled_themes_dir()]).themes[name]


def test_the_shipped_themes_are_all_checked():
    assert THEMES == ["wallboard-dark", "wallboard-light", "wallboard-tv"]


@pytest.mark.parametrize("name", THEMES)
def test_theme_colours_on_every_background(name):
    theme = spec(name)
    colours = {key: parse_hex(value) for key, value in theme.colors.items()}
    backgrounds = {
        "background": colours["background"],
        "surface": colours["surface"],
        "panel": colours["panel"],
        "a tile under the cursor": blend(colours["primary"], colours["background"], 0.10),
    }
    texts = {
        **{f"state {key}": parse_hex(theme.states[key]) for key in STATES},
        **{f"level {key}": parse_hex(theme.levels[key]) for key in LEVELS},
        **{key: colours[key] for key in ("foreground", "accent", "success", "warning", "error")},
    }
    low = []
    for text_name, text in texts.items():
        for back_name, back in backgrounds.items():
            ratio = contrast_ratio(text, back)
            if ratio < MINIMUM:
                low.append(f"{text_name} on {back_name}: {ratio:.2f}")
        for back_name, back in backgrounds.items():
            greyed = blend(colours["foreground"], back, LIGHTEST_FOREGROUND)
            if contrast_ratio(greyed, back) < MINIMUM:
                low.append(f"foreground {LIGHTEST_FOREGROUND:.0%} on {back_name}")
    for reversed_on in ("primary",):  # the focused cursor row: the background colour on primary
        ratio = contrast_ratio(colours["background"], colours[reversed_on])
        if ratio < MINIMUM:
            low.append(f"background on {reversed_on}: {ratio:.2f}")
    for level in ("alert", "stale"):  # ALERT status and the STALE banner: background on the level
        ratio = contrast_ratio(colours["background"], parse_hex(theme.levels[level]))
        if ratio < MINIMUM:
            low.append(f"background on level {level}: {ratio:.2f}")
    assert not low, f"{name}: " + "; ".join(sorted(set(low)))


# --- what is drawn ------------------------------------------------------------------------


def low_contrast(app, where: str, style_filter=None) -> list[str]:
    """Every text segment on screen below the minimum (of a dialog: inside it only)."""
    area = app.screen.children[0].region if isinstance(app.screen, ModalScreen) else None
    found = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            start, x = x, x + segment.cell_length
            text, style = segment.text, segment.style
            if style is None or not any(_is_text(char) for char in text):
                continue
            if area is not None and not (area.y <= y < area.bottom and area.x <= start < area.right):
                continue
            if style_filter is not None:
                style = style_filter(style)
            fore, back = style.color, style.bgcolor
            assert fore is not None and back is not None, f"{where}: {text!r} has no colour"
            ratio = contrast_ratio(tuple(fore.get_truecolor()), tuple(back.get_truecolor()))
            if ratio < MINIMUM:
                found.append(f"{where}: {text.strip()!r} at {start},{y} is {ratio:.2f}:1")
    return found


def _is_text(char: str) -> bool:
    return not char.isspace() and not 0x2500 <= ord(char) <= 0x259F


def board_app(theme: str) -> WallboardApp:
    return make_app(theme=theme)


LOGGED_OUT_ROW = 5  # Farid Kim, logged out, sixth by name in the fixed data


@pytest.mark.parametrize("size", [(160, 45), (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", THEMES)
async def test_every_text_on_screen_is_readable(theme, size):
    app = board_app(theme)
    low: list[str] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        low += low_contrast(app, "agents")
        await pilot.press(*["down"] * LOGGED_OUT_ROW)
        grid = app.board.query_one(AgentsGrid)
        assert grid.cursor_agent.state.category == "logged_out"
        low += low_contrast(app, "the cursor on a logged-out agent")
        await pilot.press("enter")
        await pilot.pause()
        low += low_contrast(app, "agent detail")
        await pilot.press("escape", "2")
        await pilot.pause()
        next(tile for tile in app.board.queue_board.ordered_tiles() if tile.has_class("-alert")).focus()
        await pilot.pause()
        assert app.focused.has_class("-alert"), "a tile in alert under the cursor"
        low += low_contrast(app, "queues")
        await pilot.press("enter")
        await pilot.pause()
        low += low_contrast(app, "queue detail")
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        low += low_contrast(app, "the keys")
    stale = stale_app()
    stale.theme = theme
    async with stale.run_test(size=size) as pilot:
        await pilot.pause()
        low += low_contrast(stale, "stale agents")
        await pilot.press("2")
        await pilot.pause()
        low += low_contrast(stale, "stale queues")
    assert not low, "\n".join(low)


@pytest.mark.parametrize("theme", THEMES)
async def test_the_historical_tab_is_readable(simulator, theme):
    app = history_app(simulator, theme=theme)
    low: list[str] = []
    async with app.run_test(size=(120, 30)) as pilot:
        await open_tab(app, pilot)
        low += low_contrast(app, "the form")
        for field in ("#hist-kind", "#hist-start", "#hist-fetch"):
            app.board.history_pane.query_one(field).focus()
            await pilot.pause()
            low += low_contrast(app, f"the form, {field} focused")
        await fetch_report(app, pilot, "ring-groups")
        await pilot.press("down")
        low += low_contrast(app, "ring-group results, the cursor on the second row")
    assert not low, "\n".join(low)


# --- terminals that cannot show the theme as it is ----------------------------------------


@pytest.mark.parametrize("name", THEMES)
def test_states_keep_their_own_colour_in_16_colours(name):
    """What a 16-colour terminal (TERM=linux, xterm, screen) is sent for each state."""
    variables = spec(name).variables(sixteen=True)

    def sent(key: str) -> int:
        return RichColor.parse(variables[key]).downgrade(ColorSystem.STANDARD).number

    states = {key: sent(f"state-{key}") for key in STATES}
    assert len(set(states.values())) == len(states), f"two states look alike: {states}"
    assert states["busy"] != sent("level-alert"), "Busy is not ALERT's red"
    assert states["wrap"] != states["offline"], "Post-processing is not Work offline"
    assert sent("level-warning") != sent("level-alert")
    assert set(variables[f"state-{key}"] for key in STATES) <= set(SIXTEEN_COLOURS.values()), "colours the terminal has"


def test_16_colours_are_only_used_on_16_colour_terminals():
    theme = spec("wallboard-dark")
    assert theme.variables()["state-busy"] == theme.states["busy"]
    assert theme.variables(sixteen=True)["state-busy"] != theme.states["busy"]


async def test_the_board_uses_them_on_a_16_colour_terminal(monkeypatch):
    app = board_app("wallboard-dark")
    app.console._color_system = ColorSystem.STANDARD  # as rich detects for TERM=linux
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.sixteen_colours
        variables = app.get_css_variables()
        assert variables["state-busy"] == spec("wallboard-dark").variables(sixteen=True)["state-busy"]


@pytest.mark.parametrize("theme", THEMES)
async def test_the_cursor_row_reads_in_greys_with_no_color(theme):
    """NO_COLOR turns every colour to a grey of the same brightness (Textual's Monochrome)."""
    app = board_app(theme)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*["down"] * LOGGED_OUT_ROW)
        grid = app.board.query_one(AgentsGrid)
        strip = grid.render_line(grid.cursor_row + 1)
        segments = [segment for segment in strip if any(_is_text(char) for char in segment.text)]
        assert segments
        for segment in segments:
            style = monochrome_style(segment.style)
            ratio = contrast_ratio(tuple(style.color.get_truecolor()), tuple(style.bgcolor.get_truecolor()))
            assert ratio >= MINIMUM, f"{segment.text!r} is {ratio:.2f}:1 in greys"
