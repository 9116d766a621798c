"""The board takes its data as soon as its screen is mounted, not frames later.

It used to wait for the screen's first refresh, which came after three more frames of
an empty board (0.1 s of a 5,000-agent start). Counted through the one call every frame
passes (``App._display``), with the board's readiness at each."""

from __future__ import annotations

from tests.helpers.board import board_ready, make_app


async def test_at_most_the_first_layout_is_drawn_before_the_board_takes_its_data(monkeypatch):
    app = make_app()
    frames: list[tuple[bool, bool]] = []  # (something drawn, board ready)
    display = type(app)._display

    def counted(self, screen, renderable) -> None:
        board = getattr(self, "board", None)
        frames.append((renderable is not None, board is not None and board.ready))
        display(self, screen, renderable)

    monkeypatch.setattr(type(app), "_display", counted)
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(app, pilot)
        await pilot.pause()
    drawn_before = [drawn for drawn, ready in frames if not ready and drawn]
    assert frames and frames[-1][1], frames
    assert len(drawn_before) <= 1, frames
