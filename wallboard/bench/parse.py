"""Parse time of one ``/agents`` payload, JSON and XML, by tenant size."""

from __future__ import annotations

from dataclasses import dataclass

from wallboard.bench.data import payloads
from wallboard.bench.stats import cpu_median
from wallboard.core.wire.flat_xml import plain_columns
from wallboard.core.wire.payload import Budget, Limits, payload_text
from wallboard.core.wire.rtstats import parse_agents


@dataclass(frozen=True)
class ParseFigures:
    agents: int
    json_bytes: int
    xml_bytes: int
    json_seconds: float
    xml_seconds: float
    xml_read_seconds: float  # of xml_seconds: the text read into columns, before any conversion


def measure(agents: int, repeat: int | None = None) -> ParseFigures:
    bodies = payloads(agents)
    repeat = repeat or (9 if agents <= 500 else 5 if agents <= 2000 else 3)
    for fmt in ("json", "xml"):  # one untimed run each: caches, imports
        assert len(parse_agents(bodies[fmt], fmt).records) == agents
    return ParseFigures(
        agents,
        len(bodies["json"]),
        len(bodies["xml"]),
        cpu_median(lambda: parse_agents(bodies["json"], "json"), repeat),
        cpu_median(lambda: parse_agents(bodies["xml"], "xml"), repeat),
        cpu_median(lambda: plain_columns(payload_text(bodies["xml"]), "agents", "agent", Budget(Limits(), "agents")), repeat),
    )
