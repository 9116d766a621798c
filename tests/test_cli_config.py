"""`wallboard config init` and `wallboard config path`: a newcomer's starter config."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import wallboard
from wallboard.cli import main
from wallboard.cli.config import starter_config
from wallboard.config import Settings, load_settings

EXAMPLE = Path(wallboard.__file__).parent / "config.example.toml"


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty user config dir; no WALLBOARD_CONFIG."""
    monkeypatch.setenv("WALLBOARD_CONFIG", "")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "wallboard" / "config.toml"


def test_path_prints_the_default_path_alone_on_stdout(home, capsys):
    assert main(["config", "path"]) == 0
    out, err = capsys.readouterr()
    assert out == f"{home}\n"
    assert err == f"wallboard: {home} does not exist yet; `wallboard config init` writes a starter one\n"


def test_path_follows_the_environment_and_the_option(home, tmp_path, monkeypatch, capsys):
    named = tmp_path / "elsewhere.toml"
    named.write_text("", encoding="utf-8")
    monkeypatch.setenv("WALLBOARD_CONFIG", str(named))
    assert main(["config", "path"]) == 0
    assert capsys.readouterr() == (f"{named}\n", "")
    assert main(["config", "path", "--config", str(tmp_path / "other.toml")]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'other.toml'}\n"


def test_init_writes_the_documented_example_creating_the_directory(home, capsys):
    assert not home.parent.exists()
    assert main(["config", "init"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"Wrote {home}. ") and err == ""
    text = home.read_text(encoding="utf-8")
    assert text == starter_config(EXAMPLE.read_text(encoding="utf-8"))
    example = EXAMPLE.read_text(encoding="utf-8")
    body = text.split("#\n", 1)[1]
    for line in example.splitlines():
        if line.rstrip().endswith("# example"):
            assert f"# {line}" in body.splitlines(), f"an illustrative value is left active: {line}"
        else:
            assert line in body.splitlines(), f"the example lost a line: {line}"


def test_the_starter_config_loads_as_the_defaults(home, capsys):
    """Nobody's tenant "acme" on region na1: the board asks for what is really missing."""
    assert main(["config", "init"]) == 0
    settings = load_settings(None, env={})
    assert settings == Settings(source=settings.source)
    assert settings.source == home
    commented = tomllib.loads(home.read_text(encoding="utf-8"))
    assert "tenant" not in commented and "region" not in commented
    assert set(tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))) - set(commented) == {"tenant", "region", "timezone"}


def test_init_never_overwrites(home, capsys):
    home.parent.mkdir(parents=True)
    home.write_text('tenant = "mine"\n', encoding="utf-8")
    assert main(["config", "init"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"wallboard: {home} already exists; it was left as it is (edit it, or move it away and run this again)\n"
    assert home.read_text(encoding="utf-8") == 'tenant = "mine"\n'


def test_init_writes_where_the_option_says(home, tmp_path, capsys):
    target = tmp_path / "deep" / "er" / "board.toml"
    assert main(["config", "init", "--config", str(target)]) == 0
    assert target.is_file() and not home.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_directory_that_cannot_be_written_is_one_line(home, tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert main(["config", "init", "--config", str(locked / "config.toml")]) == 2
    finally:
        locked.chmod(stat.S_IRWXU)
    assert re.fullmatch(r"wallboard: cannot write .*config\.toml \(Permission denied\): name another path with --config\n", capsys.readouterr().err)


def test_a_path_through_a_file_is_one_line(home, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert main(["config", "init", "--config", str(blocker / "config.toml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"wallboard: cannot write {blocker / 'config.toml'} (") and err.count("\n") == 1


def test_config_without_an_action_says_which_there_are(home):
    result = subprocess.run(
        [sys.executable, "-m", "wallboard", "config"], capture_output=True, text=True, timeout=120, env={**os.environ}
    )
    assert result.returncode == 2
    assert "init" in result.stderr and "path" in result.stderr and "Traceback" not in result.stderr
