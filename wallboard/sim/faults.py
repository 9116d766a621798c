"""Fault injection for the simulator: ``--faults "503=0.1,429=0.05,slow=0.02@agents"``.

A spec is a comma-separated list of ``KIND=RATE[@TARGET]`` items, plus settings
``retry-after=SECONDS`` and ``slow-seconds=SECONDS``. Each API request draws once: the
first fault whose cumulative rate covers the draw is applied. Rates are probabilities
(0 to 1) and must add up to at most 1 per target.

Targets: ``agents``, ``queues`` (rtstats list and single endpoints), ``rtstats`` (both),
``analytics`` (report endpoints), ``token`` (the analytics login), ``pbxes`` (its PBX list),
``cc-realtime`` (the v5 data endpoints: ``cc-queues``, ``cc-agents``, ``cc-groups``),
``cc-token`` (the v5 login), or ``all`` (default).
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

KINDS: dict[str, str] = {
    "400": "answer 400 Bad Request",
    "401": "answer 401 Unauthorized (token refused)",
    "403": "answer 403 Forbidden (credentials refused)",
    "404": "answer 404 Not Found",
    "429": "answer 429 Too Many Requests with Retry-After",
    "500": "answer 500 Internal Server Error",
    "503": "answer 503 Service Unavailable with Retry-After",
    "slow": "answer correctly, but only after slow-seconds",
    "trickle": "send the body one byte at a time, slowly",
    "truncate": "send the first half of the body (Content-Length matching the half)",
    "drop": "announce the full length, send half, then close the connection",
    "garbage": "answer 200 with bytes that are neither JSON nor XML",
    "empty": "answer 200 with an empty body",
    "huge": "answer 200 with a body of 40 MiB, streamed without a length",
    "reset": "close the connection without answering",
}
TARGETS = ("all", "rtstats", "agents", "queues", "analytics", "token", "pbxes", "cc-realtime", "cc-queues", "cc-agents", "cc-groups", "cc-token")


class FaultSpecError(ValueError):
    """A fault spec that cannot be read; the message says which item and why."""


@dataclass(frozen=True, slots=True)
class FaultRule:
    kind: str
    rate: float
    target: str = "all"

    def applies_to(self, endpoint: str) -> bool:
        if self.target == "all":
            return True
        if self.target == "rtstats":
            return endpoint in ("agents", "queues")
        if self.target == "cc-realtime":
            return endpoint in ("cc-queues", "cc-agents", "cc-groups")
        return self.target == endpoint


@dataclass(slots=True)
class FaultPlan:
    """The faults in force, and the random stream they are drawn from."""

    rules: tuple[FaultRule, ...] = ()
    retry_after: int = 5
    slow_seconds: float = 15.0
    seed: int = 0
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    @classmethod
    def parse(cls, spec: str | None, seed: int = 0) -> "FaultPlan":
        """Read a ``--faults`` spec; an empty spec means no faults."""
        rules: list[FaultRule] = []
        settings: dict[str, float] = {}
        for raw in (spec or "").split(","):
            item = raw.strip()
            if not item:
                continue
            name, sep, value = item.partition("=")
            name = name.strip().lower()
            if not sep:
                raise FaultSpecError(f"fault {item!r}: expected KIND=RATE, e.g. 503=0.1")
            if name in ("retry-after", "slow-seconds"):
                settings[name] = _number(item, value, 0, 3600)
                continue
            rate_text, _, target = value.partition("@")
            target = target.strip().lower() or "all"
            if name not in KINDS:
                raise FaultSpecError(f"fault {item!r}: unknown kind {name!r}; known: {', '.join(KINDS)}")
            if target not in TARGETS:
                raise FaultSpecError(f"fault {item!r}: unknown target {target!r}; known: {', '.join(TARGETS)}")
            rules.append(FaultRule(name, _number(item, rate_text, 0, 1), target))
        for endpoint in ("agents", "queues", "analytics", "token", "cc-queues", "cc-agents", "cc-token"):
            total = sum(rule.rate for rule in rules if rule.applies_to(endpoint))
            if total > 1.0 + 1e-9:
                raise FaultSpecError(f"fault rates for {endpoint} add up to {total:g}; at most 1")
        return cls(
            tuple(rules),
            retry_after=int(settings.get("retry-after", 5)),
            slow_seconds=settings.get("slow-seconds", 15.0),
            seed=seed,
        )

    def draw(self, endpoint: str) -> str | None:
        """The fault to apply to one request to ``endpoint``, or ``None``."""
        rules = [rule for rule in self.rules if rule.applies_to(endpoint) and rule.rate > 0]
        if not rules:
            return None
        with self._lock:
            roll = self._rng.random()
        cumulative = 0.0
        for rule in rules:
            cumulative += rule.rate
            if roll < cumulative:
                return rule.kind
        return None

    def next_seed(self) -> int:
        """A seed for the plan that replaces this one, drawn from this plan's stream, so a
        simulator whose faults are changed again and again does not replay the same draws."""
        with self._lock:
            return self._rng.randrange(2**32)

    def describe(self) -> str:
        if not self.rules:
            return "none"
        return ", ".join(f"{r.kind}={r.rate:g}" + (f"@{r.target}" if r.target != "all" else "") for r in self.rules)


def _number(item: str, text: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise FaultSpecError(f"fault {item!r}: {text!r} is not a number") from None
    if not low <= value <= high:
        raise FaultSpecError(f"fault {item!r}: {value:g} is outside {low:g}..{high:g}")
    return value
