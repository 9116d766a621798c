"""A container for secret values whose every printable form is redacted.

Tokens, API keys and passwords travel through the program only inside :class:`Secret`,
so an accidental ``print``, f-string, log line or exception message shows ``'******'``
and never the value. The value is read with :meth:`Secret.reveal` at the one place that
must send it (an HTTP auth header or a keyring write).
"""

from __future__ import annotations

import hmac

REDACTED = "******"


class Secret:
    """A string that refuses to be shown."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError("a secret must be text")
        object.__setattr__(self, "_value", value)

    def reveal(self) -> str:
        """The value itself; call only where it is sent or stored."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __str__(self) -> str:
        return REDACTED

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    def __format__(self, spec: str) -> str:
        return REDACTED

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(("Secret", len(self._value)))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Secret is immutable")

    def __reduce__(self):
        raise TypeError("a Secret cannot be pickled")
