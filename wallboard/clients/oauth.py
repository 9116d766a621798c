"""Reading an OAuth token answer, as both 8x8 logins send it (Work Analytics, and the
Contact Center Real-time Metrics API's Apigee endpoint, whose numbers arrive as text)."""

from __future__ import annotations

import asyncio
import json
import math
from typing import Callable

from wallboard.credentials.secret import Secret
from wallboard.errors import BadPayloadError

DEFAULT_TOKEN_LIFETIME = 300.0  # when the server's expires_in cannot be read
RENEW_MARGIN = 60.0  # renew this long before expiry (at most a tenth of the lifetime)


class TokenKeeper:
    """One OAuth access token, reused until shortly before it expires (a mixin: the client
    provides :meth:`login`, which calls :meth:`_keep` with what it got)."""

    _token: Secret | None = None
    _renew_at: float = 0.0

    def _start_keeping(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._token = None
        self._renew_at = 0.0
        self._login_lock = asyncio.Lock()

    async def login(self) -> None:
        raise NotImplementedError

    @property
    def has_token(self) -> bool:
        return self._token is not None and self._clock() < self._renew_at

    def _keep(self, token: Secret, lifetime: float, asked_at: float) -> None:
        self._token = token
        self._renew_at = asked_at + max(0.0, lifetime - min(RENEW_MARGIN, lifetime / 10))

    async def _bearer(self) -> Secret:
        """The current token, logging in (once, however many ask at once) when there is none."""
        async with self._login_lock:
            if not self.has_token:
                await self.login()
            assert self._token is not None
            return self._token

    def _forget(self, token: Secret) -> None:
        """Drop ``token`` after a 401 (unless another login already replaced it)."""
        if self._token is not None and self._token == token:
            self._token = None


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
