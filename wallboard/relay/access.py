"""Who may read the relay, and where it may listen. Pure.

Viewers send HTTP Basic auth: the configured tenant and the relay's own token (secret
``relay-token``), never the 8x8 token, which stays on the relay's machine. As the real
service does: no or non-Basic credentials get 401 with a ``WWW-Authenticate``
challenge; wrong ones get 403. Comparisons take the same time whatever matches. The
relay's event stream takes the same pair in 8x8's stream form (:func:`check_stream_key`).

The relay listens on loopback unless it is given a certificate: the Basic credentials
and the tenant's figures must not cross a network in clear (boards refuse plain
``http://`` off loopback for the same reason).
"""

from __future__ import annotations

import base64
import binascii
import hmac

from wallboard.credentials.secret import Secret
from wallboard.errors import ConfigError
from wallboard.core.wire.events import request_token_key
from wallboard.relay.published import Answer
from wallboard.urls import is_loopback

REALM = "wallboard relay"


def check_basic(authorization: str | None, tenant: str, token: Secret) -> Answer | None:
    """``None`` when ``authorization`` carries the tenant and relay token, else the refusal."""
    scheme, _, encoded = (authorization or "").strip().partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return Answer(
            401, b'{"status":401,"message":"authentication required"}', {"WWW-Authenticate": f'Basic realm="{REALM}"'}
        )
    try:
        user, _, password = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return _forbidden()
    good_user = hmac.compare_digest(user.encode(), tenant.encode())
    good_password = hmac.compare_digest(password.encode(), token.reveal().encode())
    return None if good_user and good_password else _forbidden()


def check_stream_key(api_key: str | None, authorization: str | None, tenant: str, token: Secret) -> Answer | None:
    """``None`` when a viewer of the relay's event stream brings the relay's key, else 401.

    As 8x8's stream takes a Data Request Token: ``X-API-Key`` (or ``?x-api-key=``) holding
    base64 of ``tenant:relay token``, which is what a board whose realtime token is the
    relay token sends; or, as 8x8 also accepts, Basic auth with the same pair."""
    if api_key:
        expected = request_token_key(tenant, token.reveal()).encode()
        if hmac.compare_digest(api_key.strip().encode(), expected):
            return None
    elif authorization and check_basic(authorization, tenant, token) is None:
        return None
    return Answer(401, b'{"status":401,"message":"the relay refused the key: X-API-Key must be base64 of tenant:relay token"}')


def _forbidden() -> Answer:
    return Answer(403, b'{"status":403,"message":"the tenant or relay token was refused"}')


def check_listen(host: str, certfile: str | None, keyfile: str | None, what: str = "relay") -> None:
    """Refuse to serve in clear anywhere but loopback, and a key without a certificate."""
    if keyfile and not certfile:
        raise ConfigError(f"--keyfile needs --certfile: give the {what}'s certificate too")
    if not certfile and not is_loopback(host):
        raise ConfigError(
            f"the {what} serves plain HTTP on loopback only; to listen on {host} give it a certificate "
            "(--certfile CERT.pem --keyfile KEY.pem), or keep 127.0.0.1 behind a TLS reverse proxy"
        )
