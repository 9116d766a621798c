import pytest

from wallboard.core.text import MAX_TEXT_LENGTH, clean_text, has_controls


def test_plain_text_is_kept():
    assert clean_text("Cecilia Lee") == "Cecilia Lee"


def test_unicode_letters_emoji_and_cjk_are_kept():
    assert clean_text("王小明 Zoë 😀") == "王小明 Zoë 😀"


def test_console_markup_is_not_this_layers_business():
    # the UI renders names as plain text; the core keeps the brackets literally
    assert clean_text("[b red]x[/]") == "[b red]x[/]"


def test_osc_title_sequence_is_removed_whole():
    assert clean_text("\x1b]0;pwned\x07Eve") == "Eve"
    assert clean_text("\x1b]2;pwned\x1b\\Eve") == "Eve"


def test_osc52_clipboard_sequence_is_removed():
    assert clean_text("A\x1b]52;c;aGVsbG8=\x07B") == "AB"


def test_csi_sequences_are_removed():
    assert clean_text("\x1b[31;1mRed\x1b[0m") == "Red"
    assert clean_text("\x1b[2J\x1b[HClear") == "Clear"


def test_c1_controls_are_removed():
    assert clean_text("\x9b2JA\x85B\x9d0;x\x9cC") == "ABC"


def test_c0_controls_and_del_are_removed_and_whitespace_folded():
    assert clean_text("a\x00b\x07c\x7fd") == "abcd"
    assert clean_text("two\nlines\tand tab") == "two lines and tab"


def test_bare_escape_is_removed():
    assert clean_text("x\x1b") == "x"
    assert clean_text("\x1bcReset") == "Reset"


def test_bidi_controls_are_removed():
    assert clean_text("Bidi \u202eevil\u202c Bob") == "Bidi evil Bob"
    assert clean_text("\u2066iso\u2069\u200e\u200f") == "iso"


def test_surrounding_whitespace_is_trimmed():
    assert clean_text("  padded  ") == "padded"


def test_long_text_is_cut_with_an_ellipsis():
    cleaned = clean_text("x" * 10_000)
    assert len(cleaned) == MAX_TEXT_LENGTH
    assert cleaned.endswith("…")


def test_no_control_character_survives_any_input():
    hostile = "".join(chr(c) for c in range(0, 0xA0)) + "\u202e\u2066ok"
    cleaned = clean_text(hostile)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in cleaned)
    assert "\u202e" not in cleaned and "\u2066" not in cleaned


def test_an_unterminated_osc_hides_its_payload_up_to_the_next_control():
    assert clean_text("Eve\x1b]0;rest of title") == "Eve"
    assert clean_text("Eve\x1b]0;title\nBob") == "Eve Bob"


@pytest.mark.parametrize("value, expected", [("plain-token_1.2", False), ("a\nb", True), ("a\x1b[31mb", True), ("a\u202eb", True), ("a\x85b", True), ("é ü 漢", False)])
def test_has_controls(value, expected):
    assert has_controls(value) is expected


def test_lone_surrogates_are_removed():
    # JSON can carry "\ud800" escapes; a terminal cannot print the result
    assert clean_text("Ann\ud800 Lee\udfff") == "Ann Lee"
    assert clean_text("😀 ok") == "😀 ok"


def test_unicode_line_and_paragraph_separators_become_spaces():
    assert clean_text("two\u2028lines\u2029and more") == "two lines and more"


def test_zero_width_and_tag_characters_are_removed():
    """Invisible, and terminals disagree on their width: columns after them would slip."""
    tagged = "".join(chr(0xE0000 + ord(ch)) for ch in "hidden")
    text = "A\u200bB\u200dC\u2060D\ufeffE\u180eF" + tagged + "\U000e007fG"
    assert clean_text(text) == "ABCDEFG"
    assert has_controls("token\ufeff") and has_controls("to\u200bken")
    assert clean_text("Zoë 王 👍 Ωmega") == "Zoë 王 👍 Ωmega"
