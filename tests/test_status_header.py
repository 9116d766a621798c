"""Which header cells are repainted when the header changes (no terminal involved)."""

from textual.content import Content

from wallboard.ui.widgets.status_header import changed_cells, changed_runs

HEADER = "demo │ 12:00:00 │ as of 11:59:58 (2.0s) │ ● live │ waiting 0 │ longest 0:00"


def test_a_tick_repaints_the_clock_and_the_age_only():
    after = HEADER.replace("12:00:00", "12:00:01").replace("(2.0s)", "(3.0s)")
    runs = changed_runs(Content(HEADER), Content(after))
    assert [after[start:end] for start, end in runs] == ["1", "3"]


def test_a_dropped_part_repaints_to_the_end_of_the_longer_line():
    """The tail both lines share ("longest 0:00") moved: it is not where it was, and the
    old line's last cells must be cleared."""
    after = HEADER.replace(" │ waiting 0", "")
    assert changed_runs(Content(HEADER), Content(after)) == [(HEADER.index("waiting"), len(HEADER))]
    assert changed_cells(Content(after), Content(HEADER)) == (after.index("longest"), len(HEADER))


def test_the_same_width_skips_the_common_tail():
    after = HEADER.replace("● live", "✖ down")
    assert changed_cells(Content(HEADER), Content(after)) == (HEADER.index("● live"), HEADER.index("● live") + 6)


def test_nothing_changed_nothing_repainted():
    assert changed_runs(Content(HEADER), Content(HEADER)) == []
    assert changed_cells(Content(HEADER), Content(HEADER)) is None
