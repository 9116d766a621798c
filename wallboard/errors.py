"""Typed errors, each carrying one line a person can act on.

``str(error)`` is always that line: no traceback, no secret, no request dump. The CLI
prints it after ``wallboard: `` and the board shows it in its header.
"""

from __future__ import annotations

import re

_RETRY_NOTE = re.compile(r"[;,]?\s*retrying(?: in [0-9.]+s)?\s*$")


def without_retry_note(message: str) -> str:
    """``message`` without its closing "retrying" or "retrying in 5s".

    A client's error says what went wrong and, for a transient failure, that a retry
    will follow (with the server's Retry-After). Only whoever retries knows when it
    really will (its back-off may wait longer), so the board drops the note and shows
    its own countdown beside the reason.
    """
    return _RETRY_NOTE.sub("", message)


class WallboardError(Exception):
    """Base of every error the wallboard reports to a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(WallboardError):
    """A setting is missing, unknown or malformed; the message names the key."""


class InsecureUrlError(ConfigError):
    """A URL would send credentials in clear text to a host that is not this machine."""


class KeyringError(WallboardError):
    """The OS keyring failed to read, store or delete a secret (locked, refused, silent)."""


class KeyringUnavailableError(KeyringError):
    """This machine has no usable keyring backend (typical over SSH); the message says
    which environment variables to set instead and how to install a file-based backend."""


class ApiError(WallboardError):
    """A request to an 8x8 API (or the simulator) failed.

    ``retryable`` says whether trying again later may help; ``retry_after`` is the
    server's own hint in seconds (from ``Retry-After``), when it gave one.
    ``server_message`` and ``server_code`` are the server's own explanation from the
    error body (cleaned; empty when it gave none).
    """

    retryable = True
    server_message = ""
    server_code = ""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class AuthError(ApiError):
    """Credentials were refused. Retrying with the same ones cannot help."""

    retryable = False


class BadRequestError(ApiError):
    """The server called the request malformed (400); usually a wrong URL."""

    retryable = False


class NotFoundError(ApiError):
    """Unknown path, agent or queue (404)."""

    retryable = False


class PbxRefusedError(ApiError):
    """The service refused a PBX to this user (403): it does not exist or the user may not
    see it. The credentials themselves are fine."""

    retryable = False


class RateLimitedError(ApiError):
    """The server asked us to slow down (429)."""


class ServerError(ApiError):
    """The server failed (500 and other 5xx)."""


class ServerBusyError(ApiError):
    """The server is temporarily overloaded (503)."""


class ApiTimeoutError(ApiError):
    """No complete answer within the time allowed."""


class ConnectionFailedError(ApiError):
    """The server could not be reached at all (refused, unresolvable, reset)."""


class ResponseTooLargeError(ApiError):
    """The body exceeded the size we are willing to read."""


class BadPayloadError(ApiError):
    """The body arrived but could not be read as the expected data."""


class EndlessPagingError(BadPayloadError):
    """A paged report cannot be trusted to end: too many pages, a page id seen before,
    more records than it announced, or a page larger than the page size asked for."""

    retryable = False


class ReportTooLargeError(WallboardError):
    """A report holds more records than we are willing to keep in memory at once."""


class UnknownNameError(ConfigError):
    """A PBX or ring group named by the user does not exist; the message names those that do."""
