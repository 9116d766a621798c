"""A phone line's status, read together with its status time and the agent's state.

The code alone misleads. Each line comes as a code (``phone-line1-status``) and the time
in that status (``phone-line1-status-time``); a time of -1 means the line has no current
status, whatever the code. The vendor's own example agents report line 2 as code 0
("being offered a transaction" in line 2's table) with time -1: read alone, nearly every
agent on a real tenant would seem to have a call ringing on line 2. So:

* a logged-out agent's lines are not in use;
* a line whose status time is -1 (or absent) is not in use, whatever its code;
* line 1's code 0 means "idle or at post-processing"; the agent's own state tells which:
  post-processing after a phone transaction is the line's post-processing, any other
  known state means the line is idle, and where the state (or, in post-processing, the
  media) cannot tell, both are said;
* anything else decodes by the line's own table (line 2's table differs from line 1's).
"""

from __future__ import annotations

from wallboard.core.model.codes import PHONE_LINE1_STATUS, PHONE_LINE2_STATUS, CodeTable, Decoded
from wallboard.core.model.states import AGENT_STATES, LOGGED_OUT, POST_PROCESSING

AGENT_POST_PROCESSING = POST_PROCESSING.code
AGENT_LOGGED_OUT = LOGGED_OUT.code
AGENT_KNOWN_STATES = frozenset(state.code for state in AGENT_STATES)
MEDIA_PHONE = 1
MEDIA_NOT_PHONE = frozenset({2, 3})  # chat, email: wrap-up that never involved the line
LINE1_IDLE_OR_POST = 0

NOT_IN_USE: Decoded = PHONE_LINE1_STATUS.decode(-1)
"""The same entry in both tables: "Not in use", shown as a dash in the grid."""
LINE1_IDLE = Decoded(LINE1_IDLE_OR_POST, "Idle", "idle", "·")
LINE1_POST_PROCESSING = Decoded(LINE1_IDLE_OR_POST, "Post-processing", "wrap", "◆", short="Wrap-up")

_TABLES: dict[int, CodeTable[int, Decoded]] = {1: PHONE_LINE1_STATUS, 2: PHONE_LINE2_STATUS}


def line_status(
    line: int,
    code: int | None,
    seconds: int | None,
    agent_status: int | None,
    media_id: int | None,
) -> Decoded:
    """Decode phone line ``line`` (1 or 2) from its code, its status time and its agent.

    ``seconds`` is the parsed status time: ``None`` when the service sent -1 (or nothing).
    """
    if agent_status == AGENT_LOGGED_OUT:
        return NOT_IN_USE
    if code is not None and seconds is None:
        return NOT_IN_USE
    decoded = _TABLES[line].decode(code)
    if line == 1 and code == LINE1_IDLE_OR_POST:
        return _line1_idle_or_post(agent_status, media_id) or decoded
    return decoded


def _line1_idle_or_post(agent_status: int | None, media_id: int | None) -> Decoded | None:
    """Which of "idle" and "post-processing" line 1's code 0 means, or None if unclear."""
    if agent_status not in AGENT_KNOWN_STATES:
        return None
    if agent_status != AGENT_POST_PROCESSING:
        return LINE1_IDLE
    if media_id == MEDIA_PHONE:
        return LINE1_POST_PROCESSING
    if media_id in MEDIA_NOT_PHONE:
        return LINE1_IDLE
    return None
