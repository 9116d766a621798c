from pathlib import Path

import shutil
import sys
import tempfile
import time

import pytest

from wallboard.themes import STATES, ThemeFileError, bundled_themes_dir, discover, load_theme_file

THEMES = Path(__file__).parent.parent / "themes"


def test_the_three_shipped_themes_load():
    catalogue = discover([THEMES])
    assert set(catalogue.themes) == {"wallboard-dark", "wallboard-light", "wallboard-tv"}
    assert catalogue.problems == []
    assert catalogue.themes["wallboard-light"].dark is False
    assert bundled_themes_dir() == THEMES.resolve()


def test_every_theme_colours_every_state_and_level():
    for spec in discover([THEMES]).themes.values():
        variables = spec.variables()
        for state in STATES:
            assert variables[f"state-{state}"].startswith("#")
        for name in ("level-ok", "level-warning", "level-alert", "level-stale", "line-busy", "line-hold", "line-unused"):
            assert variables[name].startswith("#")


def test_tv_theme_uses_the_okabe_ito_palette_for_states():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
    states = discover([THEMES]).themes["wallboard-tv"].states
    chromatic = {states[s] for s in ("available", "offered", "busy", "wrap", "break", "unknown")}
    assert chromatic <= okabe_ito
    assert len(chromatic) == 6, "each chromatic state has its own colour"


def test_user_directory_overrides_and_broken_files_are_reported(tmp_path):
    good = (THEMES / "wallboard-dark.toml").read_text().replace('name = "wallboard-dark"', 'name = "mine"')
    (tmp_path / "mine.toml").write_text(good)
    (tmp_path / "broken.toml").write_text('name = "broken"\n[colors]\nprimary = "#123456"\n[states]\navailable = "green"\n')
    (tmp_path / "garbage.toml").write_text("this is = = not toml")
    catalogue = discover([THEMES, tmp_path])
    assert "mine" in catalogue.themes and "broken" not in catalogue.themes
    assert len(catalogue.problems) == 2
    assert any("broken.toml: [states] available must be a colour" in p for p in catalogue.problems)
    assert any("garbage.toml: not valid TOML" in p for p in catalogue.problems)


@pytest.mark.parametrize(
    "text, message",
    [
        ('name = "x"\n[colors]\nprimary = "#fff"\n[states]\navailable = "#fff"', "is missing offered"),
        ("name = 5", "`name` must be"),
        ('name = "x"\nextra = 1', "unknown key 'extra'"),
        ('name = "x"\n[colors]\nprimary = "#fff"\nglitter = "#fff"', "unknown key 'glitter'"),
    ],
)
def test_bad_theme_files(tmp_path, text, message):
    path = tmp_path / "t.toml"
    path.write_text(text)
    with pytest.raises(ThemeFileError, match=message):
        load_theme_file(path)



@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_theme_file_with_markup_in_it_is_one_warning_not_a_crash():
    """``"[/oops]" = 1`` in a user theme: the warning quotes it as written (it is not
    markup to interpret), and the real board runs on with the default theme."""
    from tests.helpers.tmux import Tmux

    # a short path (not tmp_path, whose length varies with the test runner): the warning
    # quotes it, and a long one would wrap the words the test looks for across lines
    config = Path(tempfile.mkdtemp(prefix="wb-"))
    themes = config / "wallboard" / "themes"
    themes.mkdir(parents=True)
    (themes / "mine.toml").write_text('"[/oops]" = 1\nname = "mine"\n')
    command = f"env XDG_CONFIG_HOME={config} {sys.executable} -m wallboard demo --theme [b]mine[/b]"
    tmux = Tmux(120, 36, command)
    try:
        tmux.wait_for("mine.toml: unknown key", "'[/oops]'", "theme '[b]mine[/b]' was not found", "Agents")
        time.sleep(1)
        assert tmux.alive() and "Agents" in tmux.screen()
    finally:
        tmux.close()
        shutil.rmtree(config, ignore_errors=True)
