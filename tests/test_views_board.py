"""Views on the board (issue 15): --view, the header, `v`, the palette, an empty view,
the queue detail's threshold rule, and the TV rotation through the listed views."""

from __future__ import annotations

import argparse

import pytest
from textual.widgets import TabbedContent

from tests.helpers.clocks import Clocks
from tests.helpers.data import fixed_settings, fixed_snapshot
from wallboard.cli import board as board_cli
from wallboard.config import settings_from_mapping
from wallboard.errors import ConfigError
from wallboard.themes import bundled_themes_dir
from wallboard.ui.app import WallboardApp
from wallboard.ui.screens.detail import QueueDetailScreen

CONFIG = {
    "views": {
        "sales": {"title": "Sales floor", "queues": ["Sales*"], "groups": [101]},
        "support": {"title": "Support", "queues": ["Support", "Callback*"], "agents": "serving"},
        "ghost": {"title": "Ghost", "queues": ["Nothing here*"]},
    },
    "thresholds": {"queues": {"sales*": {"sla_target": 97}}},
}


def make_app(view=(), tv=False, rotate=20.0):
    configured = settings_from_mapping(CONFIG, "cfg.toml")
    settings = fixed_settings(views=configured.views, thresholds=configured.thresholds, view=tuple(view), tv=tv, rotate=rotate)
    clocks = Clocks()
    return WallboardApp(settings, snapshot=fixed_snapshot(), wall=clocks.wall, mono=clocks.mono, theme_dirs=[bundled_themes_dir()])


async def ready(app, pilot):
    for _ in range(100):
        if app.board.ready:
            break
        await pilot.pause(0.02)
    await pilot.pause()


def header(app) -> str:
    return app.board.header.render().plain


def queue_names(app) -> list[str]:
    return sorted(q.name for q in app.moment.snapshot.queues.records)


async def test_the_board_opens_on_the_view_given_and_the_header_names_it_with_its_totals():
    app = make_app(view=("sales",))
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        assert queue_names(app) == ["Sales", "Sales Chat"]
        assert {a.group_id for a in app.moment.snapshot.agents.records} == {101}
        text = header(app)
        assert "Sales floor" in text
        waiting = sum(q.queue_size or 0 for q in app.moment.snapshot.queues.records)
        assert f"waiting {waiting}" in text
        shown = app.board.header._totals[2]
        assert shown.agents == len(app.moment.snapshot.agents.records) < len(app.snapshot.agents.records)


async def test_v_cycles_all_then_every_view_and_tiles_follow():
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        assert "All queues" in header(app) and len(queue_names(app)) == 6
        await pilot.press("2")
        await pilot.press("v")
        await pilot.pause()
        assert "Sales floor" in header(app)
        assert queue_names(app) == ["Sales", "Sales Chat"]
        for _ in range(20):
            await pilot.pause(0.02)
            if len(app.board.queue_board.tiles) == 2:
                break
        assert sorted(app.board.queue_board.tiles) == ["111", "113"]
        await pilot.press("v")
        assert queue_names(app) == ["Callback VM", "Support"]
        await pilot.press("v")
        await pilot.press("v")
        assert "All queues" in header(app) and len(queue_names(app)) == 6


async def test_v_cycles_only_the_views_given_with_view():
    app = make_app(view=("support", "sales"))
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        assert "Support" in header(app)
        await pilot.press("v")
        assert "Sales floor" in header(app)
        await pilot.press("v")
        assert "Support" in header(app)


async def test_a_serving_view_counts_agents_from_its_queues_and_says_so():
    app = make_app(view=("support",))
    async with app.run_test(size=(200, 40)) as pilot:
        await ready(app, pilot)
        queues = app.moment.snapshot.queues.records
        available = sum(q.agents_available or 0 for q in queues)
        assert f"●{available}" in header(app).replace(" ", "") or available == 0
        assert len(app.moment.snapshot.agents.records) == 30  # the API gives no membership
        assert "does not say who serves Support's queues" in str(app.board.agents_bar.content)


async def test_a_view_that_matches_no_queue_says_so():
    app = make_app(view=("ghost",))
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        empty = app.board.queue_board.query(".empty").first()
        assert "No queue matches the view Ghost (Nothing here*)" in str(empty.render())


async def test_the_palette_offers_every_view():
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"View: All queues", "View: Sales floor", "View: Support", "View: Ghost"} <= set(titles)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "View: Support")
        command.callback()
        await pilot.pause()
        assert queue_names(app) == ["Callback VM", "Support"]


async def test_the_queue_detail_says_which_threshold_rule_applies():
    app = make_app(view=("sales",))
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        for _ in range(20):
            if app.board.queue_board.tiles:
                break
            await pilot.pause(0.02)
        app.board.queue_board.tiles["111"].focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QueueDetailScreen)
        lines = [strip.text for strip in app.screen._compositor.render_strips()]
        rows = [line for line in lines if "Thresholds" in line]
        assert rows and 'thresholds.queues."sales*"' in rows[0]
        assert "sla_target 97" in "".join(lines) and "97%" in "".join(lines)


async def test_tv_rotation_goes_through_the_tabs_of_each_listed_view():
    app = make_app(view=("sales", "support"), tv=True, rotate=0)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        app.last_key = float("-inf")
        seen = []
        for _ in range(4):
            seen.append((app.context.views.current.name, app.board.active_tab))
            app.board._rotate()
            await pilot.pause(0.3)  # the tab change, the focus that follows it, the tiles' remount
        assert seen == [("sales", "agents"), ("sales", "queues"), ("support", "agents"), ("support", "queues")]
        assert (app.context.views.current.name, app.board.active_tab) == ("sales", "agents")
        assert "Sales floor · AGENTS" in header(app)
        assert app.board.query_one(TabbedContent).active == "agents"


def test_run_refuses_an_unknown_view_naming_the_known(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[views.sales]\nqueues = ["Sales*"]\n[views.support]\n', encoding="utf-8")
    args = argparse.Namespace(config=str(path), view="sales,nope")
    with pytest.raises(ConfigError, match=r"^--view: unknown view nope; the config defines: sales, support$"):
        board_cli.settings_from_args(args)


def test_demo_brings_its_own_views_and_view_picks_among_them(tmp_path, monkeypatch):
    monkeypatch.setenv("WALLBOARD_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    settings = board_cli.demo_settings(argparse.Namespace(config=None, view="support,sales"))
    assert [v.name for v in settings.views] == ["sales", "support", "digital"]
    assert settings.view == ("support", "sales")
    assert settings.thresholds.queue_rules[0].origin == "the demo config (wallboard/demo.toml)"
    with pytest.raises(ConfigError, match=r"--view: unknown view x; the config defines: sales, support, digital"):
        board_cli.demo_settings(argparse.Namespace(config=None, view="x"))


def test_the_readme_shows_the_demo_config_as_it_is():
    import re
    import tomllib
    from pathlib import Path

    from wallboard.demo_config import demo_text

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"\*\*The demo's views\.\*\*.*?```toml\n(.*?)```", readme, re.DOTALL)
    assert block is not None
    assert tomllib.loads(block.group(1)) == tomllib.loads(demo_text())
