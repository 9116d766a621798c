"""Where secrets come from, and the OS keyring behind ``wallboard secrets``.

Names and variables are promises to users (see CONTRACT.md): keyring service
``wallboard``; names ``realtime-token``, ``analytics-api-key``, ``analytics-password``,
``relay-token`` (what viewers of ``wallboard relay`` send); environment variables
``WALLBOARD_REALTIME_TOKEN``, ``WALLBOARD_ANALYTICS_API_KEY``,
``WALLBOARD_ANALYTICS_PASSWORD``, ``WALLBOARD_RELAY_TOKEN``. Values are only ever handled as
:class:`~wallboard.credentials.secret.Secret`.

Resolution order: the environment, then the keyring (then, in the board only, the setup
screen). The environment is looked at first, so a box configured through ``WALLBOARD_*``
variables never touches the keyring at all.

The ``keyring`` library picks its backend by probing them, and the Secret Service probe
talks to D-Bus, which can stall over SSH. So the backend is detected once per process
in a daemon thread bounded by :data:`DETECT_TIMEOUT`, and judged by its class (the
``fail`` and ``null`` backends, or a chainer with nothing usable to chain, mean "no
keyring"), never by a probing read. Every later keyring call is bounded as well
(:data:`OPERATION_TIMEOUT`; a locked keyring may wait for an unlock prompt on a screen
nobody sees): a silent keyring becomes a one-line error, and is not asked again by the
same process.

We never write a secret to a file ourselves, nor let the keyring library do it behind
the user's back: a backend that keeps secrets unencrypted in a file (``keyrings.alt``'s
``PlaintextKeyring``, which keyring picks by itself once that package is installed) is
used only when the user selected it explicitly (``PYTHON_KEYRING_BACKEND`` or keyring's
own ``keyringrc.cfg``); picked automatically it counts as no keyring (and is left out of
a chainer). With no usable backend, storing raises
:class:`~wallboard.errors.KeyringUnavailableError`, whose message names the environment
variables and the file-based backends one can install, saying which of them encrypt.
:class:`KeyringInfo` says which backend is used and whether it encrypts.

Encrypted file backends (``keyrings.cryptfile``) ask for their own password with
``getpass`` the first time a secret is read from them, which over the interactive board
would print on top of it and lose the keystrokes. So wallboard asks for that password
itself, before the board starts (:func:`unlock_keyring`, from the command line) or on
the setup screen; a keyring call never prompts: a locked one raises
:class:`~wallboard.errors.KeyringError` saying so.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Mapping, TypeVar

from wallboard.errors import ConfigError, KeyringError, KeyringUnavailableError
from wallboard.credentials.secret import REDACTED, Secret

SERVICE = "wallboard"
REALTIME_TOKEN = "realtime-token"
ANALYTICS_API_KEY = "analytics-api-key"
ANALYTICS_PASSWORD = "analytics-password"
CC_API_KEY = "cc-api-key"
CC_API_SECRET = "cc-api-secret"
RELAY_TOKEN = "relay-token"
BOARD_NAMES = (REALTIME_TOKEN, ANALYTICS_API_KEY, ANALYTICS_PASSWORD, CC_API_KEY, CC_API_SECRET)
"""The secrets a board reads (the relay's own token is read by ``wallboard relay`` alone)."""
NAMES = (*BOARD_NAMES, RELAY_TOKEN)
ENV_VARS = {
    REALTIME_TOKEN: "WALLBOARD_REALTIME_TOKEN",
    ANALYTICS_API_KEY: "WALLBOARD_ANALYTICS_API_KEY",
    ANALYTICS_PASSWORD: "WALLBOARD_ANALYTICS_PASSWORD",
    CC_API_KEY: "WALLBOARD_CC_API_KEY",
    CC_API_SECRET: "WALLBOARD_CC_API_SECRET",
    RELAY_TOKEN: "WALLBOARD_RELAY_TOKEN",
}
LABELS = {
    REALTIME_TOKEN: "Data-request token",
    ANALYTICS_API_KEY: "Analytics API key",
    ANALYTICS_PASSWORD: "Analytics password",
    CC_API_KEY: "Contact Center API key",
    CC_API_SECRET: "Contact Center API secret",
    RELAY_TOKEN: "Relay token",
}
"""How a person calls each secret (prompts, the setup screen)."""

DETECT_TIMEOUT = 3.0
"""Seconds allowed for finding the keyring backend (D-Bus probing) once per process."""
OPERATION_TIMEOUT = 20.0
"""Seconds allowed for one keyring read, write or delete (long enough to type an unlock
password at a prompt, short enough that a keyring nobody can unlock does not hang us)."""

HEADLESS_ADVICE = (
    "set WALLBOARD_REALTIME_TOKEN, WALLBOARD_ANALYTICS_API_KEY, WALLBOARD_ANALYTICS_PASSWORD "
    "(or, for source = cc-realtime, WALLBOARD_CC_API_KEY and WALLBOARD_CC_API_SECRET) instead, "
    "or install a file keyring into wallboard's Python: `pip install keyrings.cryptfile` with "
    "PYTHON_KEYRING_BACKEND=keyrings.cryptfile.cryptfile.CryptFileKeyring (encrypted; asks for its own password) "
    "or `pip install keyrings.alt` with PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring (NOT encrypted)"
)

Source = Literal["environment", "keyring", "missing"]
T = TypeVar("T")


def check_name(name: str) -> str:
    """``name`` if it is one of :data:`NAMES`; the message never repeats what was typed,
    since a mistyped command line may hold a secret."""
    if name not in ENV_VARS:
        raise ConfigError(f"unknown secret name; use one of {', '.join(NAMES)}")
    return name


# --- the backend, detected once and quickly ------------------------------------------------


PLAINTEXT_BACKENDS = frozenset(
    {
        "keyrings.alt.file.PlaintextKeyring",
        "keyrings.alt.pyfs.PlaintextKeyring",
        "keyrings.cryptfile.file.PlaintextKeyring",
    }
)
"""Backends known to keep secrets unencrypted (any class named ``*Plaintext*`` counts too)."""
ENCRYPTED = "encrypted"
ENCRYPTED_FILE = "encrypted file, own password"
NOT_ENCRYPTED = "NOT encrypted: plain file"
UNKNOWN = "encryption unknown"


@dataclass(frozen=True, slots=True)
class KeyringInfo:
    """Which keyring backend is in use and whether secrets can be kept in it."""

    name: str
    usable: bool
    reason: str = ""
    """Why not, when not usable: one clause."""
    encryption: str = field(default="", compare=False)
    """How it keeps secrets: :data:`ENCRYPTED`, :data:`ENCRYPTED_FILE`, :data:`NOT_ENCRYPTED`, :data:`UNKNOWN`."""
    backend: Any = field(default=None, compare=False, repr=False)
    """The backend object wallboard calls (for a chainer holding a plain file: the first other one)."""

    @property
    def password_protected(self) -> bool:
        """An encrypted file that needs its password before a secret can be read or kept."""
        return self.encryption == ENCRYPTED_FILE

    def describe(self) -> str:
        """``name (usable; encrypted)`` for ``secrets status`` and the setup screen."""
        if not self.usable:
            return f"{self.name} (not usable: {self.reason})"
        return f"{self.name} (usable; {self.encryption or UNKNOWN})"

    def advice(self) -> str:
        """One line for a person: what is wrong and what to do instead ('' when usable)."""
        if self.usable:
            return ""
        return f"no usable keyring on this machine ({self.reason}); {HEADLESS_ADVICE}"


_info: KeyringInfo | None = None
_info_lock = threading.Lock()


def keyring_info(timeout: float = DETECT_TIMEOUT, load: Callable[[], Any] | None = None) -> KeyringInfo:
    """The keyring backend of this process, detected on first use within ``timeout``.

    ``load`` returns the backend object (default: ``keyring.get_keyring``); tests pass
    one that never returns to check the time bound.
    """
    global _info
    with _info_lock:
        if _info is None:
            _info = _detect(load or _get_keyring, timeout)
        return _info


def forget_keyring() -> None:
    """Detect the backend afresh on next use (tests; a backend installed meanwhile)."""
    global _info
    with _info_lock:
        _info = None


def _mark_unusable(info: KeyringInfo, reason: str) -> KeyringInfo:
    global _info
    with _info_lock:
        _info = KeyringInfo(info.name, False, reason)
        return _info


def _get_keyring() -> Any:
    import keyring

    return keyring.get_keyring()


def _detect(load: Callable[[], Any], timeout: float) -> KeyringInfo:
    try:
        return _bounded(lambda: describe_backend(load(), _chosen_explicitly()), timeout)
    except TimeoutError:
        return KeyringInfo(
            "unknown", False, f"finding a keyring backend took longer than {timeout:g} s; D-Bus may be unreachable"
        )
    except Exception as error:  # a broken PYTHON_KEYRING_BACKEND or keyringrc.cfg
        name = os.environ.get("PYTHON_KEYRING_BACKEND", "") or "unknown"
        return KeyringInfo(name, False, f"the keyring backend could not be loaded: {_one_line(error)}")


def _chosen_explicitly() -> bool:
    """Did the user name the backend (``PYTHON_KEYRING_BACKEND``, or keyring's keyringrc.cfg)?"""
    if os.environ.get("PYTHON_KEYRING_BACKEND", "").strip():
        return True
    try:
        from keyring import core

        return core.load_config() is not None
    except Exception:  # a broken keyringrc.cfg is keyring's to report
        return False


def encryption_of(backend: Any) -> str:
    """How ``backend`` keeps secrets, judged by its class (never by using it)."""
    name = _class_path(backend)
    if name in PLAINTEXT_BACKENDS or "plaintext" in type(backend).__name__.lower():
        return NOT_ENCRYPTED
    if str(getattr(type(backend), "scheme", "")).strip().lower() in ("no encyption", "no encryption"):
        return NOT_ENCRYPTED
    cls = type(backend)  # never the instance: reading its keyring_key would prompt for the password
    if hasattr(cls, "_unlock") and hasattr(cls, "keyring_key"):  # keyrings.cryptfile, keyrings.alt's EncryptedKeyring
        return ENCRYPTED_FILE
    if name.startswith("keyring.backends."):  # Secret Service, KWallet, macOS Keychain, Windows Credential Locker
        return ENCRYPTED
    return UNKNOWN


def describe_backend(backend: Any, explicit: bool = False) -> KeyringInfo:
    """Judge a ``keyring`` backend object by its class, without reading from it.

    ``explicit``: the user selected this backend; an unencrypted file is usable only then.
    """
    from keyring.backends import chainer, fail, null

    name = _class_path(backend)
    if isinstance(backend, fail.Keyring):
        return KeyringInfo(name, False, "keyring found no backend, typical over SSH")
    if isinstance(backend, null.Keyring):
        return KeyringInfo(name, False, "the null backend is selected, which keeps nothing")
    if isinstance(backend, chainer.ChainerBackend):
        chained = [describe_backend(inner) for inner in backend.backends]
        usable = [info for info in chained if info.usable]
        if not usable:
            plain = [info.name for info in chained if info.encryption == NOT_ENCRYPTED]
            if plain:
                return _plain_refused(plain[0])
            return KeyringInfo(name, False, "the chainer backend has no usable backend to chain")
        if len(usable) < len(chained):  # a plain file among them: use the best other one alone
            return usable[0]
        return KeyringInfo(f"{name} ({', '.join(info.name for info in usable)})", True, "", usable[0].encryption, backend)
    encryption = encryption_of(backend)
    if encryption == NOT_ENCRYPTED and not explicit:
        return _plain_refused(name)
    return KeyringInfo(name, True, "", encryption, backend)


def _plain_refused(name: str) -> KeyringInfo:
    return KeyringInfo(
        name,
        False,
        f"the only keyring found, {name}, keeps secrets unencrypted in a plain file; it is used only "
        f"when selected explicitly (PYTHON_KEYRING_BACKEND={name})",
        NOT_ENCRYPTED,
    )


def _class_path(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__name__}"


# --- bounded keyring calls -------------------------------------------------------------------


def _bounded(call: Callable[[], T], timeout: float) -> T:
    """``call()`` in a daemon thread; :class:`TimeoutError` if it has not returned in time.

    A daemon thread, not an executor: a call stuck in D-Bus must not keep the process
    from exiting.
    """
    box: dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        try:
            box["value"] = call()
        except BaseException as error:  # handed over to the waiting thread
            box["error"] = error
        finally:
            done.set()

    threading.Thread(target=target, name="wallboard-keyring", daemon=True).start()
    if not done.wait(timeout):
        raise TimeoutError
    if "error" in box:
        raise box["error"]
    return box["value"]


def _keyring_call(what: str, call: Callable[[Any], T], secret: Secret | None = None, writes: bool = False) -> T:
    """Run ``call(backend)`` against the usable backend, bounded; typed errors only.

    Never lets a backend prompt for its own password (see :func:`keyring_locked`).
    """
    info = keyring_info()
    if not info.usable:
        raise KeyringUnavailableError(info.advice())
    if keyring_locked(info) and (writes or _file_exists(info.backend)):
        raise KeyringError(
            f"could not {what}: the encrypted keyring ({info.name}) is locked: its password was not given. "
            "Give it when wallboard asks (at start, or on the setup screen), or set the WALLBOARD_* environment "
            "variables instead"
        )
    backend = info.backend
    if backend is None:  # described without its object (a test's KeyringInfo): keyring's own
        import keyring as backend

    try:
        return _bounded(lambda: call(backend), OPERATION_TIMEOUT)
    except TimeoutError:
        _mark_unusable(info, f"it did not answer within {OPERATION_TIMEOUT:g} s")
        raise KeyringError(
            f"could not {what}: the keyring ({info.name}) did not answer within {OPERATION_TIMEOUT:g} s; "
            "it may be locked and waiting for an unlock prompt on another screen. Unlock it, or set the "
            "WALLBOARD_* environment variables instead"
        ) from None
    except Exception as error:
        raise KeyringError(f"could not {what}: the keyring ({info.name}) said: {_one_line(error, secret)}") from None


def _one_line(error: BaseException, secret: Secret | None = None) -> str:
    """An exception as one short line, with ``secret`` blanked should a backend echo it."""
    text = " ".join(str(error).split()) or type(error).__name__
    if secret is not None and secret.reveal():
        text = text.replace(secret.reveal(), REDACTED)
    return text[:200]


def read_secret(name: str) -> Secret | None:
    """The keyring's value for ``name``, or ``None`` when it holds none."""
    check_name(name)
    value = _keyring_call(f"read {name}", lambda kr: kr.get_password(SERVICE, name))
    return Secret(value) if value else None


def store_secret(name: str, value: Secret) -> KeyringInfo:
    """Keep ``value`` in the keyring under ``name`` and check it reads back.

    The read-back catches backends that accept a write and keep nothing (a chainer whose
    backends all decline). Returns the backend used, for messages.
    """
    check_name(name)
    if not isinstance(value, Secret):
        raise TypeError("store_secret takes a Secret")
    if not value:
        raise ConfigError(f"{name}: an empty value cannot be stored")
    _keyring_call(f"store {name}", lambda kr: kr.set_password(SERVICE, name, value.reveal()), value, writes=True)
    if read_secret(name) != value:
        raise KeyringError(f"could not store {name}: the keyring ({keyring_info().name}) accepted it but does not give it back")
    return keyring_info()


def delete_secret(name: str) -> bool:
    """Remove ``name`` from the keyring; ``False`` when it held nothing to remove."""
    check_name(name)
    if read_secret(name) is None:
        return False
    _keyring_call(f"delete {name}", lambda kr: kr.delete_password(SERVICE, name), writes=True)
    return True


# --- encrypted files: their password, asked by wallboard -----------------------------------------


def keyring_locked(info: KeyringInfo | None = None) -> bool:
    """The backend is an encrypted file whose password has not been given yet."""
    info = info or keyring_info()
    return info.usable and info.password_protected and getattr(info.backend, "_keyring_key", None) is None


def keyring_file(info: KeyringInfo | None = None) -> str:
    """Where an encrypted file keyring keeps its secrets ('' for other backends)."""
    info = info or keyring_info()
    return str(getattr(info.backend, "file_path", "") or "") if info.password_protected else ""


def _file_exists(backend: Any) -> bool:
    path = getattr(backend, "file_path", None)
    return bool(path) and os.path.exists(path)


def keyring_file_exists(info: KeyringInfo | None = None) -> bool:
    """Whether the encrypted file exists yet (a new one is created with the first password)."""
    info = info or keyring_info()
    return _file_exists(info.backend)


def in_environment(names: tuple[str, ...], env: Mapping[str, str] = os.environ) -> bool:
    """Whether every one of ``names`` is set (not empty) in the environment."""
    return all(env.get(ENV_VARS[name]) for name in names)


def needs_keyring_password(env: Mapping[str, str] = os.environ, names: tuple[str, ...] = BOARD_NAMES) -> bool:
    """Must wallboard ask for the keyring's password before it reads ``names``?

    Only when one of them is not in the environment, the keyring is a locked encrypted
    file, and that file exists (a missing file holds nothing to read).
    """
    if in_environment(names, env):
        return False
    info = keyring_info()
    return keyring_locked(info) and keyring_file_exists(info)


def may_need_keyring_password(env: Mapping[str, str] = os.environ, names: tuple[str, ...] = BOARD_NAMES) -> bool:
    """Could :func:`needs_keyring_password` be true? Judged without loading ``keyring``.

    Detecting the backend loads every installed one (about 0.2 s of a board's start).
    ``wallboard run`` with its source's secrets in the environment skips that before
    the board when this says no, and the keyring is detected on first use instead, in
    a thread (the Historical tab's). It says no when every one of ``names`` is in the
    environment, or, on Linux, when no backend is named (``PYTHON_KEYRING_BACKEND``,
    ``keyringrc.cfg``) and keyring's data directory holds no file: encrypted files
    (``keyrings.cryptfile``, ``keyrings.alt``) live there, and a file that does not exist
    holds nothing to unlock. Elsewhere, and whenever in doubt, it says yes.
    """
    if in_environment(names, env):
        return False
    if not sys.platform.startswith("linux") or env.get("PYTHON_KEYRING_BACKEND", "").strip():
        return True
    config_root, data_root = _linux_keyring_roots(env)
    if os.path.exists(os.path.join(config_root, "keyringrc.cfg")):
        return True
    try:
        with os.scandir(data_root) as entries:
            return any(True for _ in entries)
    except FileNotFoundError:
        return False
    except OSError:
        return True


def _linux_keyring_roots(env: Mapping[str, str]) -> tuple[str, str]:
    """keyring's config and data directories on Linux (``keyring.util.platform_``; a test
    holds the two equal, so a keyring release that moves them fails it)."""
    home = os.path.expanduser("~")
    config = env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    data = env.get("XDG_DATA_HOME") or os.path.join(home, ".local", "share")
    return os.path.join(config, "python_keyring"), os.path.join(data, "python_keyring")


def unlock_keyring(password: Secret) -> None:
    """Give the encrypted file keyring its password (creating the file when there is none).

    Raises :class:`~wallboard.errors.KeyringError` for a wrong password (the keyring
    stays locked) or a file it cannot use.
    """
    info = keyring_info()
    if not keyring_locked(info):
        return
    if not password:
        raise KeyringError("the keyring password is empty")
    backend = info.backend

    def unlock() -> None:
        try:
            backend.keyring_key = password.reveal()  # checks it against the file, or creates the file
        except BaseException:
            backend._keyring_key = None  # stay locked: a later call must not prompt
            raise

    try:
        _bounded(unlock, OPERATION_TIMEOUT)
    except TimeoutError:
        raise KeyringError(f"the keyring ({info.name}) did not open within {OPERATION_TIMEOUT:g} s") from None
    except Exception as error:
        text = _one_line(error, password)
        if any(word in text.lower() for word in ("incorrect password", "mac check failed")) or isinstance(error, AssertionError):
            raise KeyringError(f"wrong password for the encrypted keyring {keyring_file(info)}") from None
        raise KeyringError(f"could not open the encrypted keyring {keyring_file(info)}: {text}") from None


# --- resolution and status -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Resolved:
    """A secret's value (if any) and where it was found.

    ``problem`` says why the keyring could not be asked, when that is why it is missing.
    """

    name: str
    value: Secret | None
    source: Source
    problem: str = ""


def resolve(name: str, env: Mapping[str, str] = os.environ) -> Resolved:
    """Find ``name`` in the environment, then the keyring; never raises for a bad keyring."""
    if name not in ENV_VARS:
        raise ValueError(f"unknown secret {name!r}; known: {', '.join(NAMES)}")
    from_env = env.get(ENV_VARS[name])
    if from_env:
        return Resolved(name, Secret(from_env), "environment")
    try:
        stored = read_secret(name)
    except KeyringError as error:  # no usable backend, locked, silent: missing, and why
        return Resolved(name, None, "missing", str(error))
    if stored is not None:
        return Resolved(name, stored, "keyring")
    return Resolved(name, None, "missing")


@dataclass(frozen=True, slots=True)
class SecretState:
    """What ``wallboard secrets status`` says about one name; never a value."""

    name: str
    env_var: str
    in_environment: bool
    in_keyring: bool | None
    """``None`` when the keyring could not be asked."""

    @property
    def source(self) -> Source:
        if self.in_environment:
            return "environment"
        return "keyring" if self.in_keyring else "missing"


@dataclass(frozen=True, slots=True)
class Status:
    keyring: KeyringInfo
    secrets: tuple[SecretState, ...]
    problem: str = ""
    """Why the keyring could not be read, when it is usable but failed."""


def status(env: Mapping[str, str] = os.environ) -> Status:
    """Where each secret would come from, and which keyring backend is in use."""
    info = keyring_info()
    problem = ""
    states = []
    for name in NAMES:
        in_keyring: bool | None = None
        if info.usable and not problem:
            try:
                in_keyring = read_secret(name) is not None
            except KeyringError as error:
                problem = str(error)
        states.append(SecretState(name, ENV_VARS[name], bool(env.get(ENV_VARS[name])), in_keyring))
    return Status(keyring_info(), tuple(states), problem)
