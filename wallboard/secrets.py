"""Where secrets come from: the environment first, then the OS keyring.

Names and variables are promises to users (see CONTRACT.md): keyring service
``wallboard``; names ``realtime-token``, ``analytics-api-key``, ``analytics-password``;
environment variables ``WALLBOARD_REALTIME_TOKEN``, ``WALLBOARD_ANALYTICS_API_KEY``,
``WALLBOARD_ANALYTICS_PASSWORD``. Values are only ever handled as
:class:`~wallboard.secret.Secret`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal, Mapping

from wallboard.secret import Secret

SERVICE = "wallboard"
REALTIME_TOKEN = "realtime-token"
ANALYTICS_API_KEY = "analytics-api-key"
ANALYTICS_PASSWORD = "analytics-password"
NAMES = (REALTIME_TOKEN, ANALYTICS_API_KEY, ANALYTICS_PASSWORD)
ENV_VARS = {
    REALTIME_TOKEN: "WALLBOARD_REALTIME_TOKEN",
    ANALYTICS_API_KEY: "WALLBOARD_ANALYTICS_API_KEY",
    ANALYTICS_PASSWORD: "WALLBOARD_ANALYTICS_PASSWORD",
}

Source = Literal["environment", "keyring", "missing"]


@dataclass(frozen=True, slots=True)
class Resolved:
    """A secret's value (if any) and where it was found."""

    name: str
    value: Secret | None
    source: Source


def resolve(name: str, env: Mapping[str, str] = os.environ) -> Resolved:
    """Find ``name`` in the environment, then the keyring; never raises for a bad keyring."""
    if name not in ENV_VARS:
        raise ValueError(f"unknown secret {name!r}; known: {', '.join(NAMES)}")
    from_env = env.get(ENV_VARS[name])
    if from_env:
        return Resolved(name, Secret(from_env), "environment")
    try:
        import keyring

        stored = keyring.get_password(SERVICE, name)
    except Exception:  # no usable backend: treated as missing; `secrets status` explains
        stored = None
    if stored:
        return Resolved(name, Secret(stored), "keyring")
    return Resolved(name, None, "missing")
