"""The simulator's Work Analytics answers in the vendor's wire form.

Report rows from the summaries' counters (:mod:`wallboard.sim.analytics_stats`), and call
records and legs from the calls (:mod:`wallboard.sim.analytics_calls`): every field of the
vendor's examples, in their order, with its key spelled as that report spells it.
Averages follow the definitions the table model recomputes its totals with (total ÷
count). A call that ends in voicemail has the callee ``Voicemail (<owner>)`` and ``lra``
the owner's extension, as in the vendor's reference; ``lra`` is otherwise whoever
answered, the last member rung of an abandoned ring-group call, or the ring group.
``lraType`` is 1 for a user's extension and 4 for a ring group (the vendor's examples show
1 and 4 without defining them). The service's ``caller`` / ``callee`` /
``callerOrCallee`` filters are applied here too (:func:`matches`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from typing import Iterable

from wallboard.sim.analytics_calls import (
    ABANDONED,
    DNIS,
    INCOMING,
    LRA_EXTENSION,
    LRA_RING_GROUP,
    OUTGOING,
    PBX_NAMES,
    VOICEMAIL,
    AnalyticsData,
    Filters,
    SimCall,
    SimExtension,
    SimRingGroup,
)
from wallboard.sim.analytics_stats import Stats


# --- report rows -------------------------------------------------------------------------------


def company_rows(data: AnalyticsData, stats: Stats, pbxes: frozenset[str] | None) -> list[dict]:
    return [company_wire(pbx, stats.company.get(pbx, Counter())) for pbx in PBX_NAMES if _chosen(pbx, pbxes) and data.pbx_used(pbx)]


def extension_rows(data: AnalyticsData, stats: Stats, pbxes: frozenset[str] | None) -> list[dict]:
    return [
        extension_wire(agent, stats.extensions.get(agent.index, Counter()))
        for agent in data.extensions
        if _chosen(agent.pbx, pbxes)
    ]


def ring_group_rows(data: AnalyticsData, stats: Stats, pbxes: frozenset[str] | None) -> list[dict]:
    return [
        ring_group_wire(group, stats.ring_groups.get(group.index, Counter()))
        for group in data.ring_groups
        if _chosen(group.pbx, pbxes)
    ]


def member_rows(data: AnalyticsData, stats: Stats, pbxes: frozenset[str] | None, ring_group: str) -> list[dict]:
    for group in data.ring_groups:
        if group.extension == ring_group and _chosen(group.pbx, pbxes):
            return [
                member_wire(group, data.extensions[agent], stats.members.get((group.index, agent), Counter()))
                for agent in group.members
            ]
    return []


def call_records(data: AnalyticsData, calls: Iterable[SimCall], zone: tzinfo, filters: Filters | None = None) -> list[dict]:
    """Call records of ``calls``, kept to those matching the service's filters."""
    wires = (record_wire(call, data, zone) for call in calls)
    return [wire for wire in wires if matches(data, wire, filters)]


def call_legs(
    data: AnalyticsData, calls: Iterable[SimCall], zone: tzinfo, *, simplified: bool, connect_time: bool, start_ms: int, end_ms: int,
    filters: Filters | None = None,
) -> list[dict]:
    """Legs of ``calls`` whose disconnect (or connect) time falls in the range (and match)."""
    legs: list[tuple[int, int, dict]] = []
    for call in calls:
        for leg in legs_of(call, data):
            if simplified and leg.parent is not None:
                continue
            moment = leg.connect_ms if connect_time else leg.end_ms
            if moment is None or not start_ms <= moment <= end_ms:
                continue
            wire = leg_wire(leg, call, zone)
            if matches(data, wire, filters):
                legs.append((moment, leg.call_id, wire))
    legs.sort(key=lambda item: (item[0], item[1]))
    return [wire for _, _, wire in legs]


def matches(data: AnalyticsData, wire: dict, filters: Filters | None) -> bool:
    """Whether a record or leg passes ``caller`` / ``callee`` / ``callerOrCallee``: exact
    matches on the extensions it is from or to (a voicemail's owner is its callee)."""
    if not filters:
        return True
    known = data.directory()
    callers = {wire["caller"]} & known
    callees = {wire["callee"], wire.get("lra") or ""} & known
    if "caller" in filters and callers.isdisjoint(filters["caller"]):
        return False
    if "callee" in filters and callees.isdisjoint(filters["callee"]):
        return False
    if "callerOrCallee" in filters and (callers | callees).isdisjoint(filters["callerOrCallee"]):
        return False
    return True


def _chosen(pbx: str, pbxes: frozenset[str] | None) -> bool:
    return pbxes is None or pbx in pbxes


# --- wire forms -------------------------------------------------------------------------------


def _avg(total: int, count: int) -> int:
    return int(round(total / count)) if count else 0


def _percent(part: int, whole: int) -> float | int:
    return round(100 * part / whole, 2) if whole else 0


COMPANY_KEYS = (
    "inboundTotal", "outboundTotal", "externalInboundTotal", "externalInboundAnswered",
    "externalInboundAbandoned", "percentExternalInboundAnswered", "externalInboundMissed",
    "externalOutboundTotal", "externalOutboundAnswered", "percentExternalOutboundAnswered",
    "externalOutboundAbandoned", "externalOutboundMissed", "internalInboundTotal",
    "internalInboundAnswered", "internalInboundAbandoned", "internalInboundMissed",
    "internalOutboundTotal", "internalOutboundAnswered", "internalOutboundAbandoned",
    "inboundAnswered", "inboundAbandoned", "inboundMissed", "outboundAnswered",
    "outboundAbandoned", "totalAnswered", "totalAbandoned", "totalMissed", "totalRingTime",
    "totalTalkTime", "totalCall", "totalAbandonedTime", "totalCallTime", "avgRingTime",
    "avgTalkTime", "avgCallTime", "avgAbandonedTime", "totalVm", "totalExtToExtAbandoned",
    "totalExtToExtAnswered", "totalExtToExt", "totalExtToExtMissed",
)
"""The company summary's keys, in the vendor's order."""


def company_wire(pbx: str, c: Counter) -> dict:
    values = dict(c)
    values["percentExternalInboundAnswered"] = _percent(c["externalInboundAnswered"], c["externalInboundTotal"])
    values["percentExternalOutboundAnswered"] = _percent(c["externalOutboundAnswered"], c["externalOutboundTotal"])
    values["avgRingTime"] = _avg(c["totalRingTime"], c["totalCall"])
    values["avgTalkTime"] = _avg(c["totalTalkTime"], c["totalAnswered"])
    values["avgCallTime"] = _avg(c["totalCallTime"], c["totalCall"])
    values["avgAbandonedTime"] = _avg(c["totalAbandonedTime"], c["totalAbandoned"])
    return {"pbxId": pbx, **{key: values.get(key, 0) for key in COMPANY_KEYS}}


def extension_wire(agent: SimExtension, c: Counter) -> dict:
    inbound = {
        part: c[f"External_Inbound_{part}"] + c[f"Internal_Inbound_{part}"]
        for part in ("Total", "Answered", "Abandoned", "Missed")
    }
    outbound = {
        part: c[f"External_Outbound_{part}"] + c[f"Internal_Outbound_{part}"]
        for part in ("Total", "Answered", "Abandoned")
    }
    answered = inbound["Answered"] + outbound["Answered"]
    abandoned = inbound["Abandoned"] + outbound["Abandoned"]
    talk = c["Inbound_Talk_Time"] + c["Outbound_Talk_Time"]
    return {
        "PbxId": agent.pbx,
        "Extension": agent.extension,
        "ServiceType": "UE",
        "FirstName": agent.first_name,
        "LastName": agent.last_name,
        "Branch": agent.branch,
        "Department": agent.department,
        "External_Inbound_Total": c["External_Inbound_Total"],
        "External_Inbound_Answered": c["External_Inbound_Answered"],
        "External_Inbound_Abandoned": c["External_Inbound_Abandoned"],
        "Percent_External_Inbound_Answered": _percent(c["External_Inbound_Answered"], c["External_Inbound_Total"]),
        "External_Inbound_Missed": c["External_Inbound_Missed"],
        "External_Outbound_Total": c["External_Outbound_Total"],
        "External_Outbound_Answered": c["External_Outbound_Answered"],
        "Percent_External_Outbound_Answered": _percent(c["External_Outbound_Answered"], c["External_Outbound_Total"]),
        "External_Outbound_Abandoned": c["External_Outbound_Abandoned"],
        "Internal_Inbound_Total": c["Internal_Inbound_Total"],
        "Internal_Inbound_Answered": c["Internal_Inbound_Answered"],
        "Internal_Inbound_Abandoned": c["Internal_Inbound_Abandoned"],
        "Internal_Inbound_Missed": c["Internal_Inbound_Missed"],
        "Internal_Outbound_Total": c["Internal_Outbound_Total"],
        "Internal_Outbound_Answered": c["Internal_Outbound_Answered"],
        "Internal_Outbound_Abandoned": c["Internal_Outbound_Abandoned"],
        "Inbound_Total": inbound["Total"],
        "Inbound_Answered": inbound["Answered"],
        "Inbound_Abandoned": inbound["Abandoned"],
        "Inbound_Missed": inbound["Missed"],
        "Total_Calls_To_VM": c["Total_Calls_To_VM"],
        "Outbound_Total": outbound["Total"],
        "Outbound_Answered": outbound["Answered"],
        "Outbound_Abandoned": outbound["Abandoned"],
        "Total_Answered": answered,
        "Total_Abandoned": abandoned,
        "Total_Missed": inbound["Missed"],
        "Total_Ring_Time": c["Total_Ring_Time"],
        "Total_Talk_Time": talk,
        "Total_Abandoned_Time": c["Total_Abandoned_Time"],
        "Total_Call_Time": c["Total_Call_Time"],
        "Avg_Ring_Time": _avg(c["Total_Ring_Time"], inbound["Total"]),
        "Avg_Talk_Time": _avg(talk, answered),
        "Inbound_Talk_Time": c["Inbound_Talk_Time"],
        "Outbound_Talk_Time": c["Outbound_Talk_Time"],
        "Avg_Abandoned_Time": _avg(c["Total_Abandoned_Time"], inbound["Abandoned"]),
        "Email": agent.email,
        "UserName": agent.user_name,
    }


def ring_group_wire(group: SimRingGroup, c: Counter) -> dict:
    return {
        "pbxId": group.pbx,
        "site": group.site,
        "name": group.name,
        "extension": group.extension,
        "totalMembers": len(group.members),
        "totalInbound": c["totalCalls"],
        "totalAbandoned": c["totalAbandoned"],
        "totalAnswered": c["totalAnswered"],
        "totalMissed": c["totalMissed"],
        "totalCallsToVM": c["totalCallsToVM"],
        "totalAdvanced": c["totalAdvanced"],
        "totalRgTime": c["totalRgTime"],
        "totalTalkTime": c["totalTalkTime"],
        "totalCalls": c["totalCalls"],
        "avgAbandonedTime": _avg(c["totalAbandonedTime"], c["totalAbandoned"]),
        "avgRgTime": _avg(c["totalRgTime"], c["totalCalls"]),
        "avgRingTime": _avg(c["totalRingTime"], c["totalCalls"]),
        "avgTalkTime": _avg(c["totalTalkTime"], c["totalAnswered"]),
        "totalAbandonedTime": c["totalAbandonedTime"],
        "totalRingTime": c["totalRingTime"],
    }


def member_wire(group: SimRingGroup, agent: SimExtension, c: Counter) -> dict:
    return {
        "pbxId": group.pbx,
        "site": group.site,
        "firstName": agent.first_name,
        "lastName": agent.last_name,
        "ringGroupName": group.name,
        "ringGroupExtension": group.extension,
        "extension": agent.extension,
        "totalAnswered": c["totalAnswered"],
        "totalAdvanced": c["totalAdvanced"],
        "totalTalkTime": c["totalTalkTime"],
        "totalRingTime": c["totalRingTime"],
        "totalCalls": c["offered"],
        "avgRingTime": _avg(c["totalRingTime"], c["offered"]),
        "avgTalkTime": _avg(c["totalTalkTime"], c["totalAnswered"]),
        "offered": c["offered"],
    }


def iso_local(epoch_ms: int | None, zone: tzinfo) -> str:
    """``2022-02-03T09:27:27.493-0500``, as the service writes times; ``"0"`` for none."""
    if epoch_ms is None:
        return "0"
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=timezone.utc).astimezone(zone)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}" + moment.strftime("%z")


def clock_text(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def disposition(call: SimCall) -> str:
    if call.answered:
        return "Answered"
    if call.outcome == VOICEMAIL:
        return "Voicemail"
    return "Abandoned" if call.direction == OUTGOING else "Missed"


def last_resource(call: SimCall, data: AnalyticsData) -> tuple[str, int]:
    """``(lra, lraType)``: who answered, else the voicemail's owner, else the last member
    rung of an abandoned ring-group call, else the callee (see the module doc)."""
    if call.answered_by is not None:
        return data.extensions[call.answered_by].extension, LRA_EXTENSION
    if call.outcome == VOICEMAIL:
        if call.ring_group is not None:
            return data.ring_groups[call.ring_group].extension, LRA_RING_GROUP
        return call.callee, LRA_EXTENSION
    if call.ring_group is not None and call.outcome == ABANDONED and call.rung:
        return data.extensions[call.rung[-1][0]].extension, LRA_EXTENSION
    if call.ring_group is not None:
        return data.ring_groups[call.ring_group].extension, LRA_RING_GROUP
    return call.callee, LRA_EXTENSION


def record_wire(call: SimCall, data: AnalyticsData, zone: tzinfo) -> dict:
    answered, abandoned = call.answered, call.outcome == ABANDONED
    missed = not answered and call.direction != OUTGOING
    lra, _ = last_resource(call, data)
    callee, callee_name = call.callee, call.callee_name
    if call.outcome == VOICEMAIL:
        callee = f"Voicemail ({lra})"
    return {
        "dnis": DNIS if call.direction == INCOMING else call.callee,
        "aaDestination": None,
        "callId": str(call.call_id),
        "startTimeUTC": call.start_ms,
        "startTime": iso_local(call.start_ms, zone),
        "connectTimeUTC": call.connect_ms or 0,
        "connectTime": iso_local(call.connect_ms, zone),
        "disconnectedTimeUTC": call.end_ms,
        "disconnectedTime": iso_local(call.end_ms, zone),
        "talkTimeMS": call.talk_ms,
        "talkTime": clock_text(call.talk_ms),
        "caller": call.caller,
        "callerName": call.caller_name,
        "callee": callee,
        "calleeName": callee_name,
        "lra": lra,
        "direction": call.direction,
        "callerId": f"{call.caller_name},{call.caller}",
        "missed": "Missed" if missed else "-",
        "abandoned": "Abandoned" if abandoned else "-",
        "answered": "Answered" if answered else "-",
        "answeredTime": call.connect_ms or 0,
        "calleeDisconnectOnHold": "",
        "callerDisconnectOnHold": "",
        "pbxId": call.pbx,
        "sipCallId": f"{call.call_id}@sim.invalid",
        "lastLegDisposition": disposition(call),
        "callLegCount": str(leg_count(call)),
        "callTime": call.duration_ms,
        "ringDuration": call.ring_ms,
        "abandonedTime": call.wait_ms if abandoned else 0,
        "calleeHoldDurationMS": 0,
        "calleeHoldDuration": clock_text(0),
        "waitTimeMS": call.wait_ms if call.ring_group is not None else 0,
        "waitTime": clock_text(call.wait_ms if call.ring_group is not None else 0),
        "departments": [call.department] if call.department else [],
        "branches": [call.branch] if call.branch else [],
    }


@dataclass(frozen=True, slots=True)
class SimLeg:
    call_id: int
    leg_id: str
    parent: int | None
    callee: str
    callee_name: str
    lra: str
    lra_type: int
    start_ms: int
    connect_ms: int | None
    end_ms: int
    talk_ms: int
    cause: str
    service: str
    service_type: str
    disposition: str
    answered: bool
    abandoned: bool


def leg_count(call: SimCall) -> int:
    """How many legs :func:`legs_of` gives ``call``, without building them."""
    if call.direction == OUTGOING:
        return 1
    return 1 + len(call.rung) + (call.outcome == VOICEMAIL)


def legs_of(call: SimCall, data: AnalyticsData) -> list[SimLeg]:
    """The main leg of a call, a child leg per extension rung, and a voicemail leg."""
    answered, abandoned = call.answered, call.outcome == ABANDONED
    lra, lra_type = last_resource(call, data)
    group = data.ring_groups[call.ring_group] if call.ring_group is not None else None
    main_callee = group.extension if group else call.callee
    main_name = group.name if group else call.callee_name
    legs = [
        SimLeg(
            call.call_id, "1", None, main_callee, main_name, lra, lra_type, call.start_ms, call.connect_ms, call.end_ms,
            call.talk_ms, "Normal" if answered or call.outcome == VOICEMAIL else "Originator Cancel",
            "RingGroup" if group else "", "Custom" if group else "", disposition(call), answered, abandoned,
        )
    ]
    if call.direction == OUTGOING:
        return legs
    offset = 0
    last = len(call.rung) - 1
    for position, (agent_index, ring) in enumerate(call.rung, start=0):
        agent = data.extensions[agent_index]
        took_it = call.answered_by == agent_index
        start = call.start_ms + offset
        connect = start + ring if took_it else None
        gave_up = abandoned and position == last
        legs.append(
            SimLeg(
                call.call_id + position + 1, "1", call.call_id, agent.extension, agent.name, agent.extension, LRA_EXTENSION,
                start, connect, (connect + call.talk_ms) if connect is not None else start + ring,
                call.talk_ms if took_it else 0,
                "Normal" if took_it else "Originator Cancel" if gave_up else "Ring No Answer",
                "", "", "Answered" if took_it else "Abandoned" if gave_up else "Missed", took_it, gave_up,
            )
        )
        offset += ring
    if call.outcome == VOICEMAIL:
        connect = call.start_ms + call.wait_ms
        legs.append(
            SimLeg(
                call.call_id + len(call.rung) + 1, "1", call.call_id, main_callee, "Voicemail", main_callee,
                LRA_RING_GROUP if group else LRA_EXTENSION, connect, connect, call.end_ms, 0, "Normal", "VMadvanced", "Custom", "Voicemail", False, False,
            )
        )
    return legs


def leg_wire(leg: SimLeg, call: SimCall, zone: tzinfo) -> dict:
    """One leg with every field of the vendor's example, in its order."""
    return {
        "callId": str(leg.call_id),
        "legId": leg.leg_id,
        "startTimeUTC": leg.start_ms,
        "startTime": iso_local(leg.start_ms, zone),
        "connectTimeUTC": leg.connect_ms or 0,
        "connectTime": iso_local(leg.connect_ms, zone),
        "disconnectedTimeUTC": leg.end_ms,
        "disconnectedTime": iso_local(leg.end_ms, zone),
        "talkTimeMS": leg.talk_ms,
        "talkTime": clock_text(leg.talk_ms),
        "caller": call.caller,
        "callerName": call.caller_name,
        "callee": leg.callee,
        "calleeName": leg.callee_name,
        "lra": leg.lra,
        "direction": call.direction,
        "parentCallId": str(leg.parent) if leg.parent is not None else None,
        "transferToCallId": None,
        "dnis": DNIS if call.direction == INCOMING else call.callee,
        "status": "Completed",
        "callerDeviceId": None,
        "calleeDeviceId": None,
        "callerDeviceModel": "",
        "calleeDeviceModel": "",
        "callerId": f"{call.caller_name},{call.caller}",
        "missed": "Missed" if not leg.answered and not leg.abandoned and call.direction != OUTGOING else "-",
        "abandoned": "Abandoned" if leg.abandoned else "-",
        "answered": "Answered" if leg.answered else "-",
        "cause": leg.cause,
        "callerSvcName": None,
        "callerSvcType": None,
        "calleeSvcName": leg.service or None,
        "calleeSvcType": leg.service_type or None,
        "lraType": leg.lra_type,
        "calleeHoldDurationMS": 0,
        "calleeHoldDuration": clock_text(0),
        "calleeDisconnectOnHold": "",
        "callerDisconnectOnHold": "",
        "pbxId": call.pbx,
        "sipCallId": f"{leg.call_id}@sim.invalid",
        "departments": [call.department] if call.department else [],
        "branches": [call.branch] if call.branch else [],
        "recordServiceOn": "",
        "bargeServiceOn": "",
        "masterSlaveExts": "",
        "propsLastPartyDisp": leg.disposition,
        "accountCode": "",
        "aaPath": "",
        "callTime": leg.end_ms - leg.start_ms,
    }
