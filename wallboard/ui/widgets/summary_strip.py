"""The view's summary above the queue tiles: the figures a floor reads first, and their trend.

What the figures are and how each is derived: :mod:`wallboard.core.views.summary`; the
trend: :mod:`wallboard.core.views.trends`. In TV mode the strip is a tile of its own,
bordered and bold, at the top of the Queues page.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class SummaryStrip(Static):
    DEFAULT_CSS = """
    SummaryStrip {
        height: auto;
        padding: 0 1;
        background: $panel;
        color: $foreground;
        text-style: bold;
    }
    """
    # TV mode's look (a bordered tile of its own) is in the App's CSS: it hangs on the App's class.

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._shown: tuple[str, str] | None = None
        self._long = False  # the line shown is the long one (else the short)

    def show(self, title: str, figures: str, short: str, trend: str) -> None:
        """``figures`` where they fit on one line, else ``short``; the trend under them."""
        self._wanted = (title, figures, short, trend)
        self._draw()

    def on_resize(self) -> None:
        # after the layout pass that resized the strip: a relayout asked for during that
        # pass is dropped when it ends
        self.call_after_refresh(self._draw)

    def _draw(self) -> None:
        wanted = getattr(self, "_wanted", None)
        if wanted is None:
            return
        title, figures, short, trend = wanted
        width = self.content_region.width or 200
        line = figures if len(figures) <= width else short
        if self._shown == (line, trend) and str(self.border_title or "") == title:
            return
        # Two lines once the width is known (the short line fits 80 columns), so a refresh
        # needs no relayout. The first draw may come before the strip has a width and take
        # the long line, laid out wrapped over more lines: a switch between the long and
        # the short line lays it out again, or it keeps the extra height (a blank line).
        long = line is figures
        relayout = self._shown is None or long != self._long
        self._shown, self._long = (line, trend), long
        self.border_title = Content(title)
        self.update(Content.assemble(line, "\n", ("last 60 min  ", "not bold $foreground 70%"), (trend, "not bold")), layout=relayout)
