import pytest

from wallboard.core.model.codes import (
    AGENT_MEDIA,
    AGENT_STATUS,
    ALL_TABLES,
    NO_VALUE,
    PHONE_LINE1_STATUS,
    PHONE_LINE2_STATUS,
    QUEUE_MEDIA,
)


@pytest.mark.parametrize(
    "code, label, category",
    [
        (0, "Available", "available"),
        (1, "Offered", "offered"),
        (2, "Busy", "busy"),
        (3, "Post-processing", "wrap"),
        (4, "On break", "break"),
        (5, "Work offline", "offline"),
        (9, "Logged out", "logged_out"),
    ],
)
def test_agent_status(code, label, category):
    decoded = AGENT_STATUS.decode(code)
    assert (decoded.label, decoded.category, decoded.known) == (label, category, True)
    assert decoded.symbol.strip(), "state must never be told by colour alone"


@pytest.mark.parametrize(
    "code, label", [(0, "None"), (1, "Phone"), (2, "Chat"), (3, "Email"), (4, "Voicemail")]
)
def test_agent_media(code, label):
    assert AGENT_MEDIA.decode(code).label == label


@pytest.mark.parametrize(
    "code, label, category",
    [
        (-1, "Not in use", "unused"),
        (0, "Idle or post-processing", "idle"),  # the agent's state tells which: phone_lines
        (1, "On hold", "hold"),
        (2, "Muted", "mute"),
        (3, "Offered", "offered"),
        (4, "Monitoring", "monitor"),
        (5, "Busy", "busy"),
    ],
)
def test_phone_line1(code, label, category):
    decoded = PHONE_LINE1_STATUS.decode(code)
    assert (decoded.label, decoded.category) == (label, category)


@pytest.mark.parametrize(
    "code, label, category",
    [
        (-1, "Not in use", "unused"),
        (0, "Offered", "offered"),
        (1, "On hold", "hold"),
        (2, "Muted", "mute"),
        (3, "Error", "error"),
        (4, "Monitoring", "monitor"),
        (5, "Busy", "busy"),
    ],
)
def test_phone_line2_has_its_own_table(code, label, category):
    decoded = PHONE_LINE2_STATUS.decode(code)
    assert (decoded.label, decoded.category) == (label, category)


def test_line_tables_differ_where_the_vendor_says_they_do():
    assert PHONE_LINE1_STATUS.decode(0).label != PHONE_LINE2_STATUS.decode(0).label
    assert PHONE_LINE1_STATUS.decode(3).label != PHONE_LINE2_STATUS.decode(3).label


@pytest.mark.parametrize(
    "code, label", [("phone", "Phone"), ("chat", "Chat"), ("vmail", "Voicemail"), ("email", "Email")]
)
def test_queue_media(code, label):
    assert QUEUE_MEDIA.decode(code).label == label


@pytest.mark.parametrize("table", ALL_TABLES, ids=lambda t: t.name)
def test_unknown_values_say_so(table):
    unknown = "fax" if table is QUEUE_MEDIA else 7
    decoded = table.decode(unknown)
    assert decoded.label == f"Unknown ({unknown})"
    assert decoded.category == "unknown"
    assert decoded.known is False


@pytest.mark.parametrize("table", ALL_TABLES, ids=lambda t: t.name)
def test_missing_values_are_a_dash(table):
    decoded = table.decode(None)
    assert decoded.label == NO_VALUE
    assert decoded.known is False


def test_tables_are_read_only():
    with pytest.raises(TypeError):
        AGENT_STATUS.entries[7] = AGENT_STATUS.decode(0)  # type: ignore[index]
