"""Reading an OAuth token answer, as both 8x8 logins send it (Work Analytics, and the
Contact Center Real-time Metrics API's Apigee endpoint, whose numbers arrive as text)."""

from __future__ import annotations

import json
import math

from wallboard.credentials.secret import Secret
from wallboard.errors import BadPayloadError

DEFAULT_TOKEN_LIFETIME = 300.0  # when the server's expires_in cannot be read


def read_token(body: bytes, what: str) -> tuple[Secret, float]:
    """An OAuth token answer's access token and lifetime in seconds (``expires_in`` may be
    text, as Apigee sends it; unreadable: a short default so we log in again soon)."""
    try:
        document = json.loads(body.decode("utf-8", errors="replace"))
    except ValueError:
        raise BadPayloadError(f"the answer for {what} could not be read: it is not JSON") from None
    if not isinstance(document, dict):
        raise BadPayloadError(f"the answer for {what} could not be read: it is not a JSON object")
    token = document.get("access_token")
    if not isinstance(token, str) or not token.strip() or len(token) > 16384:
        raise BadPayloadError(f"the answer for {what} holds no access_token")
    lifetime = document.get("expires_in")
    if isinstance(lifetime, str):
        try:
            lifetime = float(lifetime)
        except ValueError:
            lifetime = None
    if isinstance(lifetime, bool) or not isinstance(lifetime, (int, float)) or not math.isfinite(lifetime) or lifetime < 0:
        lifetime = DEFAULT_TOKEN_LIFETIME
    return Secret(token.strip()), float(lifetime)
