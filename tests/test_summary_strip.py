"""The summary strip keeps its two lines whenever it was first drawn (a full run once
caught the v5 Queues tab with a blank line under the strip: drawn before its width was
known, it took the long line, wrapped it, and kept that height after the short line)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from wallboard.ui.widgets.summary_strip import SummaryStrip

LONG = "waiting 0 · longest 0:00 · SLA today 82% · abandoned 3.5% · avail 10 · busy 17 · break 6 · occupancy 76%"
SHORT = "wait 0 · longest 0:00 · SLA today 82% · aband 3.5%"


class StripAlone(App):
    def __init__(self, early: bool) -> None:
        super().__init__()
        self.early = early
        self.strip = SummaryStrip()

    def compose(self) -> ComposeResult:
        if self.early:
            self.strip.show("SUMMARY", LONG, SHORT, "▁▂")  # before the strip has a width
        yield self.strip

    def on_mount(self) -> None:
        if not self.early:
            self.strip.show("SUMMARY", LONG, SHORT, "▁▂")


async def until_settled(pilot) -> None:
    for _ in range(5):
        await pilot.pause()


async def test_drawn_before_its_width_is_known_it_still_takes_two_lines():
    app = StripAlone(early=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_settled(pilot)
        assert app.strip.outer_size.height == 2
        assert str(app.strip.visual).startswith(SHORT)


async def test_the_long_line_where_it_fits_and_the_short_one_after_a_narrowing():
    app = StripAlone(early=False)
    async with app.run_test(size=(160, 24)) as pilot:
        await until_settled(pilot)
        assert (app.strip.outer_size.height, str(app.strip.visual).split("\n")[0]) == (2, LONG)
        await pilot.resize_terminal(80, 24)
        await until_settled(pilot)
        assert (app.strip.outer_size.height, str(app.strip.visual).split("\n")[0]) == (2, SHORT)
