"""What the first-run setup screen must ask for, and checking what was typed into it.

Pure (no Textual), so the rules are tested directly and the screen only draws them.
The board asks for the real-time statistics credentials before it can poll; the
Historical tab asks for the Work Analytics ones only when analytics is first used.

Flow (see :mod:`wallboard.ui.screens.setup` for the screen):

1. :func:`gather` resolves the purpose's secrets (environment, then keyring) and returns
   the values it found plus a :class:`SetupNeeds` naming only what is missing. It may
   wait on the keyring (bounded), so call it off the event loop.
2. If ``needs.needed``, the screen asks; :func:`check_answers` turns its fields into a
   :class:`SetupResult` or raises :class:`SetupFieldError` naming the field.
3. :func:`save_to_keyring` stores the typed secrets when the user ticked "Save to
   keyring"; it blocks, so the screen calls it in a thread worker.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Literal, Mapping

from wallboard.config import Settings
from wallboard.core.text import has_controls
from wallboard.errors import ConfigError, KeyringError
from wallboard.credentials.secret import Secret
from wallboard.credentials.store import (
    ANALYTICS_API_KEY,
    ANALYTICS_PASSWORD,
    CC_API_KEY,
    CC_API_SECRET,
    LABELS,
    REALTIME_TOKEN,
    keyring_file_exists,
    keyring_info,
    keyring_locked,
    resolve,
    store_secret,
    unlock_keyring,
)
from wallboard.urls import REGION_EXAMPLES, UnknownRegionError, realtime_base_url

Purpose = Literal["realtime", "analytics", "cc-realtime"]
SECRETS_FOR: dict[str, tuple[str, ...]] = {
    "realtime": (REALTIME_TOKEN,),
    "analytics": (ANALYTICS_API_KEY, ANALYTICS_PASSWORD),
    "cc-realtime": (CC_API_KEY, CC_API_SECRET),  # source = "cc-realtime": the region has a default
}
TENANT, REALTIME_URL, USERNAME = "tenant", "realtime_url", "username"
KEYRING_PASSWORD, KEYRING_PASSWORD_AGAIN = "keyring-password", "keyring-password-again"
FIELD_LABELS = {
    TENANT: "Tenant",
    REALTIME_URL: "Region or URL",
    USERNAME: "Analytics user",
    **LABELS,
    KEYRING_PASSWORD: "Keyring password",
    KEYRING_PASSWORD_AGAIN: "Same password",
}


@dataclass(frozen=True, slots=True)
class SetupNeeds:
    """The input of the setup screen: what to ask, what is known, where it can be kept."""

    purpose: Purpose
    missing: tuple[str, ...] = ()
    """Secret names to ask for: only those found neither in the environment nor the keyring."""
    tenant: str = ""
    realtime_url: str = ""
    username: str = ""
    keyring_usable: bool = True
    keyring_name: str = ""
    keyring_advice: str = ""
    """One line for a person when the keyring is not usable ('' otherwise)."""
    keyring_encryption: str = ""
    """Whether the keyring encrypts (see :class:`~wallboard.credentials.store.KeyringInfo`)."""
    keyring_locked: bool = False
    """An encrypted file keyring without its password yet: asked here, to save."""
    keyring_new: bool = False
    """That file does not exist yet: the password typed here chooses it (typed twice)."""

    @property
    def ask_tenant(self) -> bool:
        return self.purpose == "realtime"

    @property
    def ask_realtime_url(self) -> bool:
        """Only when nothing is configured: a region or URL in the config wins."""
        return self.purpose == "realtime" and not self.realtime_url

    @property
    def ask_username(self) -> bool:
        return self.purpose == "analytics"

    @property
    def needed(self) -> bool:
        """Whether the screen must be shown at all."""
        if self.missing:
            return True
        if self.purpose == "realtime":
            return not self.tenant or not self.realtime_url
        if self.purpose == "cc-realtime":
            return False
        return not self.username

    def fields(self) -> tuple[str, ...]:
        """Field keys in the order the screen shows them: plain fields, then secrets."""
        plain = [
            key
            for key, asked in ((TENANT, self.ask_tenant), (REALTIME_URL, self.ask_realtime_url), (USERNAME, self.ask_username))
            if asked
        ]
        return (*plain, *self.missing, *self.keyring_fields())

    def keyring_fields(self) -> tuple[str, ...]:
        """The encrypted keyring's password (twice for a new file), when saving needs it."""
        if not (self.keyring_locked and self.keyring_usable and self.missing):
            return ()
        return (KEYRING_PASSWORD, KEYRING_PASSWORD_AGAIN) if self.keyring_new else (KEYRING_PASSWORD,)

    def masked(self, key: str) -> bool:
        """Whether a field holds a secret (typed without echo, kept as :class:`Secret`)."""
        return key in self.missing or key in (KEYRING_PASSWORD, KEYRING_PASSWORD_AGAIN)


@dataclass(frozen=True, slots=True)
class SetupResult:
    """What the screen dismisses with. Secrets stay :class:`Secret`; the repr is safe."""

    secrets: Mapping[str, Secret] = field(default_factory=dict)
    tenant: str = ""
    realtime_url: str = ""
    username: str = ""
    save_requested: bool = False
    keyring_password: Secret | None = None
    """The encrypted keyring's password typed on the screen, to open it before saving."""
    saved: tuple[str, ...] = ()
    """Names stored in the keyring (empty unless saving was asked for and worked)."""


class SetupFieldError(ConfigError):
    """A field of the setup screen is empty or malformed; ``field`` is its key."""

    def __init__(self, field_key: str, message: str) -> None:
        super().__init__(message)
        self.field = field_key


def gather(purpose: Purpose, settings: Settings, env: Mapping[str, str] = os.environ) -> tuple[dict[str, Secret], SetupNeeds]:
    """The purpose's secrets that were found, and what the screen must ask for."""
    found: dict[str, Secret] = {}
    missing = []
    for name in SECRETS_FOR[purpose]:
        resolved = resolve(name, env)
        if resolved.value is None:
            missing.append(name)
        else:
            found[name] = resolved.value
    needs = SetupNeeds(
        purpose=purpose,
        missing=tuple(missing),
        tenant=settings.tenant,
        realtime_url=settings.realtime_url,
        username=settings.analytics.username,
    )
    if needs.needed:
        # Only the setup screen shows the keyring; with every secret in the environment,
        # detecting it (importing keyring and its backends) would only delay the first poll.
        info = keyring_info()
        needs = replace(
            needs,
            keyring_usable=info.usable,
            keyring_name=info.name,
            keyring_advice=info.advice(),
            keyring_encryption=info.encryption,
            keyring_locked=keyring_locked(info),
            keyring_new=keyring_locked(info) and not keyring_file_exists(info),
        )
    return found, needs


def check_answers(needs: SetupNeeds, answers: Mapping[str, str | Secret], save: bool) -> SetupResult:
    """Validate the typed fields in screen order; the first problem raises, naming the field.

    Secret fields may come as :class:`Secret` (the screen wraps them as it reads them), so
    no plain copy of a typed token sits in a local variable here.
    """
    values: dict[str, str] = {}
    secrets: dict[str, Secret] = {}
    realtime_url = needs.realtime_url
    save = save and needs.keyring_usable
    keyring_password = _checked_keyring_password(needs, answers) if save else None
    for key in needs.fields():
        if key in needs.keyring_fields():
            continue
        if key in needs.missing:
            secrets[key] = _checked_secret(key, answers.get(key))
            continue
        text = str(answers.get(key) or "").strip()
        label = FIELD_LABELS[key]
        if not text:
            raise SetupFieldError(key, f"{label} is required.")
        if has_controls(text):
            raise SetupFieldError(key, f"{label} has control characters; type it on one line.")
        if key == TENANT and (":" in text or any(ch.isspace() for ch in text)):
            raise SetupFieldError(key, "Tenant is one word, without spaces or ':' (the 8x8 tenant name).")
        if key == REALTIME_URL:
            try:
                realtime_url = realtime_base_url(text, label)
            except UnknownRegionError as error:
                raise SetupFieldError(key, f"{error}.") from None
            except ConfigError as error:
                raise SetupFieldError(key, f"{error}; or a region such as {REGION_EXAMPLES}.") from None
        values[key] = text
    return SetupResult(
        secrets=secrets,
        tenant=values.get(TENANT, needs.tenant),
        realtime_url=realtime_url,
        username=values.get(USERNAME, needs.username),
        save_requested=save,
        keyring_password=keyring_password,
    )


def _checked_keyring_password(needs: SetupNeeds, answers: Mapping[str, str | Secret]) -> Secret | None:
    """The keyring password typed for saving (checked against its repeat for a new file)."""
    fields = needs.keyring_fields()
    if not fields:
        return None
    password = _checked_secret(KEYRING_PASSWORD, answers.get(KEYRING_PASSWORD))
    if KEYRING_PASSWORD_AGAIN in fields and _checked_secret(KEYRING_PASSWORD_AGAIN, answers.get(KEYRING_PASSWORD_AGAIN)) != password:
        raise SetupFieldError(KEYRING_PASSWORD_AGAIN, "The two keyring passwords differ.")
    return password


def _checked_secret(key: str, typed: str | Secret | None) -> Secret:
    """A typed secret, stripped, or :class:`SetupFieldError` naming what is wrong with it."""
    value = Secret((typed.reveal() if isinstance(typed, Secret) else typed or "").strip())
    label = FIELD_LABELS[key]
    if not value:
        raise SetupFieldError(key, f"{label} is required.")
    if has_controls(value.reveal()):
        raise SetupFieldError(key, f"{label} has control characters; type it on one line.")
    return value


def save_to_keyring(result: SetupResult) -> SetupResult:
    """Store the result's secrets when saving was asked for; blocking (keyring I/O).

    Raises :class:`~wallboard.errors.KeyringError` naming what was already stored.
    """
    if not result.save_requested:
        return result
    if result.keyring_password is not None:
        unlock_keyring(result.keyring_password)  # KeyringError: wrong password, shown on the screen
    saved: list[str] = []
    for name, value in result.secrets.items():
        try:
            store_secret(name, value)
        except KeyringError as error:
            if not saved:
                raise
            raise type(error)(f"{error} ({', '.join(saved)} was saved)") from None
        saved.append(name)
    return replace(result, saved=tuple(saved))
