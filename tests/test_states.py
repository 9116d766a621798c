"""One table of agent states: everything else about a state is derived from it.

Each check reads the table and finds every state where the board uses states: the theme
keys, the grid's style rules, the filter list, the header's counts, the break rule and
the ASCII stand-ins.
"""

from wallboard.core.ascii import to_ascii
from wallboard.core.model.realtime import Agent
from wallboard.core.model.states import AGENT_STATES, STATE_CATEGORIES, UNKNOWN, state_style
from wallboard.core.model.thresholds import Level, Thresholds, break_level
from wallboard.core.views.agents import STATE_FILTERS, agent_cells, filter_label
from wallboard.core.views.header import state_counts
from wallboard.core.views.totals import totals
from wallboard.themes import STATES as THEME_KEYS
from wallboard.ui.widgets.agents_grid import STATE_RULES, AgentsGrid
from wallboard.ui.widgets.status_header import PART_STYLES


def test_theme_keys_filters_and_grid_rules_are_the_table_s_states():
    assert THEME_KEYS == STATE_CATEGORIES == (*(state.category for state in AGENT_STATES), "unknown")
    assert STATE_FILTERS == (None, *STATE_CATEGORIES)
    for state in (*AGENT_STATES, UNKNOWN):
        assert f".agents-grid--{state.css_class} {{ color: ${state.css_class};" in STATE_RULES
        assert f"agents-grid--{state.css_class}" in AgentsGrid.COMPONENT_CLASSES
        assert PART_STYLES[state.css_class] == state.colour == f"$state-{state.category}"
        assert filter_label(state.category) == state.label
    assert "text-style: bold" in STATE_RULES.splitlines()[-1], "an unknown code is bold as well as coloured"


def test_the_header_counts_each_state_in_its_own_style_without_reparsing_text():
    agents = [Agent(agent_id=str(i), status=status) for i, status in enumerate((0, 0, 4, 7, None))]
    part = state_counts(totals(agents, ()))
    assert part.text == "●2 ‖1 ?1 ?1"
    assert part.spans == (
        ("●2", "state-available"), (" ", ""), ("‖1", "state-break"), (" ", ""), ("?1", "state-unknown"), (" ", ""), ("?1", "state-unknown"),
    )
    assert state_style("none") == "state-unknown"


def test_the_break_rule_follows_the_table_not_a_code():
    thresholds = Thresholds(break_warning_minutes=1, break_alert_minutes=2)
    on_break = [state for state in AGENT_STATES if state.on_break]
    assert [state.code for state in on_break] == [4]
    for state in AGENT_STATES:
        level = break_level(Agent(agent_id="a", status=state.code), 180, thresholds)
        assert level is (Level.ALERT if state.on_break else Level.OK), state
    cells = agent_cells(Agent(agent_id="a", status=4, time_in_status=180), 180, thresholds)
    assert cells["state"].style == "state-break level-alert" and cells["time"].text.startswith("!!")


def test_each_state_has_a_symbol_and_an_ascii_stand_in_of_its_own():
    symbols = [state.symbol for state in AGENT_STATES]
    assert len(set(symbols)) == len(symbols) and all(symbol.strip() for symbol in symbols)
    assert [to_ascii(state.symbol) for state in AGENT_STATES] == [state.ascii for state in AGENT_STATES]
    assert len({state.ascii for state in AGENT_STATES}) == len(AGENT_STATES)


def test_one_state_is_available_and_unknown_codes_keep_their_number():
    assert [state.category for state in AGENT_STATES if state.available] == ["available"]
    unknown = Agent(agent_id="a", status=7).state
    assert (unknown.label, unknown.css_class, unknown.known, unknown.symbol) == ("Unknown (7)", "state-unknown", False, "?")
    assert Agent(agent_id="a").state.label == "—"
