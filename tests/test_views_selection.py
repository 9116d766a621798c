"""Views (``[views.NAME]``) and per-queue thresholds (``[thresholds.queues."KEY"]``): issue 15."""

from __future__ import annotations

import pytest

from wallboard.config import settings_from_mapping
from wallboard.core.model.queue_match import QueueKey
from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.model.snapshot import Feed, Snapshot
from wallboard.core.model.thresholds import Level, Thresholds, choose_sla_target, queue_findings, rule_note
from wallboard.core.views.selection import EVERYTHING, View, ViewFilter, find_views, matches_nothing, view_cycle
from wallboard.core.wire.rtstats import parse_agents, parse_queues
from wallboard.errors import ConfigError

SALES = Queue(queue_id="1", name="Sales")
SALES_CHAT = Queue(queue_id="2", name="Sales Chat")
SUPPORT = Queue(queue_id="3", name="Support")
VIP = Queue(queue_id="4", name="VIP [EU]")
QUEUES = (SALES, SALES_CHAT, SUPPORT, VIP)


# --- queue keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, matched",
    [
        ("Sales*", ("1", "2")),
        ("sales*", ("1", "2")),  # case-insensitive
        ("SALES", ("1",)),  # a name without wildcards is the whole name
        ("3", ("3",)),  # an id
        ("*chat", ("2",)),
        ("Sup?ort", ("3",)),
        ("VIP [EU]", ("4",)),  # brackets are themselves, not a character set
        ("VIP [E]", ()),
        ("  Support ", ("3",)),
        ("*", ("1", "2", "3", "4")),
    ],
)
def test_a_key_names_queues_by_id_or_case_insensitive_name_pattern(key, matched):
    assert tuple(q.queue_id for q in QUEUES if QueueKey(key).matches(q)) == matched


def test_a_key_says_how_it_matched():
    assert QueueKey("3").how(SUPPORT) == "the id 3"
    assert QueueKey("sales*").how(SALES_CHAT) == "the name Sales Chat"
    assert QueueKey("sales*").how(SUPPORT) is None


def test_an_empty_key_is_refused():
    with pytest.raises(ValueError):
        QueueKey("  ")


def test_the_seed_queues_by_pattern(seed_queues_xml):
    outbound, sales_chat = parse_queues(seed_queues_xml, "xml").records
    view = View("sales", queues=(QueueKey("SALES*"),))
    assert view.select_queues((outbound, sales_chat)) == (sales_chat,)
    assert View("out", queues=(QueueKey("115"),)).select_queues((outbound, sales_chat)) == (outbound,)


# --- views ---------------------------------------------------------------------------------


def test_views_select_queues_and_agents_by_group():
    view = View("sales", "Sales floor", (QueueKey("sales*"),), (101,))
    agents = (Agent(agent_id="a", group_id=101), Agent(agent_id="b", group_id=102), Agent(agent_id="c"))
    assert view.select_queues(QUEUES) == (SALES, SALES_CHAT)
    assert [a.agent_id for a in view.select_agents(agents)] == ["a"]
    assert View("all").select_queues(QUEUES) == QUEUES  # no queues: every queue
    assert View("all").select_agents(agents) == agents  # no groups: every agent
    serving = View("s", queues=(QueueKey("sales"),), serving=True)
    assert serving.select_agents(agents) == agents  # the API gives no membership
    assert serving.agents == "serving"


def test_the_seed_agents_by_group(seed_agents_xml):
    agents = parse_agents(seed_agents_xml, "xml").records
    assert agents and all(a.group_id == 101 for a in agents)
    assert View("x", groups=(101,)).select_agents(agents) == agents
    assert View("x", groups=(999,)).select_agents(agents) == ()


def test_a_view_that_matches_no_queue_is_told_apart_from_no_data():
    view = View("nothing", queues=(QueueKey("Nope*"),))
    assert matches_nothing(view, QUEUES)
    assert not matches_nothing(view, ())  # no data yet is not "matches nothing"
    assert not matches_nothing(View("all"), QUEUES)


def test_find_views_in_the_order_asked_and_unknown_names_refused():
    views = (View("sales"), View("support"), View("billing"))
    assert [v.name for v in find_views(views, "support, SALES")] == ["support", "sales"]
    with pytest.raises(ValueError, match=r"unknown view nope; the config defines: sales, support, billing"):
        find_views(views, "sales,nope")
    with pytest.raises(ValueError, match=r"defines no views"):
        find_views((), "sales")


def test_v_cycles_the_chosen_views_else_all_then_every_view():
    views = (View("sales"), View("support"))
    assert view_cycle(views, ()) == (EVERYTHING, *views)
    assert view_cycle(views, (views[1],)) == (views[1],)
    assert view_cycle((), ()) == ()


def test_the_filter_narrows_a_snapshot_and_moves_versions_on_a_view_switch():
    feed = Feed().succeeded(QUEUES, 0.0, 0.0)
    snapshot = Snapshot(queues=feed)
    narrowing = ViewFilter()
    assert narrowing.apply(snapshot) is snapshot  # no view chosen: untouched
    narrowing.choose(View("sales", queues=(QueueKey("sales*"),)))
    first = narrowing.apply(snapshot)
    assert first.queues.records == (SALES, SALES_CHAT)
    assert narrowing.apply(snapshot).queues.version == first.queues.version  # nothing changed
    narrowing.choose(View("support", queues=(QueueKey("support"),)))
    second = narrowing.apply(snapshot)
    assert second.queues.records == (SUPPORT,)
    assert second.queues.version != first.queues.version
    narrowing.choose(EVERYTHING)
    third = narrowing.apply(snapshot)
    assert third.queues.records == QUEUES
    assert third.queues.version not in (first.queues.version, second.queues.version, snapshot.queues.version)
    newer = Snapshot(queues=feed.succeeded((SALES,), 1.0, 1.0))
    assert narrowing.apply(newer).queues.version != third.queues.version


# --- per-queue thresholds ------------------------------------------------------------------

CONFIG = {
    "thresholds": {
        "sla_target": 80,
        "waiting_alert": 10,
        "queues": {
            "Sales Chat": {"sla_target": 95},
            "sales*": {"sla_target": 90, "waiting_warning": 2, "waiting_alert": 4},
            "3": {"longest_wait_alert": 60, "longest_wait_warning": 30},
        },
    }
}


def test_the_first_matching_rule_in_file_order_wins():
    thresholds = settings_from_mapping(CONFIG, "cfg.toml").thresholds
    assert thresholds.for_queue(SALES_CHAT).sla_target == 95  # listed before "sales*"
    assert thresholds.for_queue(SALES).sla_target == 90
    assert thresholds.for_queue(SALES).waiting_alert == 4
    assert thresholds.for_queue(SALES_CHAT).waiting_alert == 10  # its rule does not set it: [thresholds]
    assert thresholds.for_queue(SUPPORT).longest_wait_alert == 60
    assert thresholds.for_queue(VIP) is thresholds  # no rule: [thresholds] itself


def test_a_rule_judges_its_queue():
    thresholds = settings_from_mapping(CONFIG, "cfg.toml").thresholds
    busy = Queue(queue_id="1", name="Sales", queue_size=4)
    assert [(f.metric, f.level) for f in queue_findings(busy, thresholds)] == [("waiting", Level.ALERT)]
    other = Queue(queue_id="9", name="Billing", queue_size=4)
    assert queue_findings(other, thresholds) == ()


def test_a_rules_sla_target_beats_the_queues_own_and_the_global_one():
    thresholds = settings_from_mapping(CONFIG, "cfg.toml").thresholds
    own = Queue(queue_id="1", name="Sales", sla_target=70.0, sla_activity=85.0)
    target = choose_sla_target(own, thresholds)
    assert (target.percent, target.source) == (90, "rule")
    assert target.note == 'from the config\'s thresholds.queues."sales*"'
    assert [f.text for f in queue_findings(own, thresholds)] == ["SLA 85% < 90%"]
    # no rule for the queue: its own plausible target, as before
    elsewhere = Queue(queue_id="9", name="Billing", sla_target=70.0)
    assert choose_sla_target(elsewhere, thresholds).source == "queue"
    # a rule that does not set sla_target leaves the queue's own in charge
    support = Queue(queue_id="3", name="Support", sla_target=70.0)
    assert choose_sla_target(support, thresholds).source == "queue"


def test_the_detail_says_which_rule_applied_and_where_from():
    thresholds = settings_from_mapping(CONFIG, "cfg.toml").thresholds
    assert rule_note(SALES, thresholds) == (
        'thresholds.queues."sales*" in cfg.toml, which matches the name Sales: '
        "sla_target 90, waiting_warning 2, waiting_alert 4; the rest from [thresholds]"
    )
    assert rule_note(SUPPORT, thresholds).startswith('thresholds.queues."3" in cfg.toml, which matches the id 3')
    assert rule_note(VIP, thresholds) == "[thresholds] in cfg.toml; no per-queue rule matches this queue"
    assert rule_note(VIP, Thresholds()) == "the built-in defaults (the config sets no [thresholds])"


# --- config --------------------------------------------------------------------------------


def test_views_from_the_config():
    settings = settings_from_mapping(
        {
            "view": "sales",
            "views": {
                "sales": {"title": "Sales floor", "queues": ["Sales*", 115], "groups": [101, "102"]},
                "support": {"queues": "Support", "agents": "serving"},
            },
        },
        "cfg.toml",
    )
    sales, support = settings.views
    assert (sales.name, sales.title, [k.key for k in sales.queues], sales.groups) == ("sales", "Sales floor", ["Sales*", "115"], (101, 102))
    assert (support.label, support.serving) == ("support", True)
    assert settings.view == ("sales",)


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"views": {"sales": {"queues": ["Sales*"], "team": 1}}}, r"cfg: views.sales: unknown key 'team'"),
        ({"views": {"sales": {"queues": [""]}}}, r"views.sales.queues: an empty queue key"),
        ({"views": {"sales": {"queues": [True]}}}, r"views.sales.queues: True is not a queue id"),
        ({"views": {"sales": {"queues": {"a": 1}}}}, r"views.sales.queues must be a list"),
        ({"views": {"sales": {"groups": ["abc"]}}}, r"views.sales.groups: 'abc' is not an agent group id"),
        ({"views": {"sales": {"agents": "everyone"}}}, r'views.sales.agents must be "serving"'),
        ({"views": {"sales": {"agents": "serving", "groups": [1]}}}, r"set either groups or agents"),
        ({"views": {"sales team": {}}}, r"a view's name is letters, digits"),
        ({"views": {"sales": 3}}, r"views.sales must be a table"),
        ({"views": {"sales": {"title": 3}}}, r"views.sales.title must be text"),
        ({"views": {"sales": {}}, "view": "nope"}, r"cfg: view: unknown view nope; the config defines: sales"),
        ({"thresholds": {"queues": {"Sales*": {"sla_targt": 90}}}}, r"""thresholds.queues."Sales\*": unknown key 'sla_targt'; did you mean 'sla_target'"""),
        ({"thresholds": {"queues": {"Sales*": {"break_alert_minutes": 9}}}}, r"judges agents, not queues"),
        ({"thresholds": {"queues": {"Sales*": {"sla_target": 190}}}}, r"""thresholds.queues."Sales\*".sla_target must be from 0 to 100"""),
        ({"thresholds": {"queues": {" ": {"sla_target": 90}}}}, r"an empty queue key"),
        ({"thresholds": {"queues": {"x": 5}}}, r"must be a table of thresholds"),
        (
            {"thresholds": {"waiting_alert": 10, "queues": {"x": {"waiting_warning": 12}}}},
            r"""thresholds.queues."x".waiting_warning must not exceed thresholds.queues."x".waiting_alert \(with \[thresholds\] under it\)""",
        ),
    ],
)
def test_bad_views_and_rules_are_refused_in_one_line(raw, message):
    with pytest.raises(ConfigError, match=message) as caught:
        settings_from_mapping(raw, "cfg")
    assert "\n" not in str(caught.value)
