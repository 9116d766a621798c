"""The keyring store: fast backend detection, bounded calls, typed errors, resolution."""

import threading

import pytest
from keyring.backends import chainer, fail, null

import wallboard.credentials.store as secrets
from tests.helpers.keyring import BlockingKeyring, LockedKeyring, MemoryKeyring, use_keyring
from wallboard.errors import ConfigError, KeyringError, KeyringUnavailableError
from wallboard.credentials.secret import Secret
from wallboard.credentials.store import (
    NAMES,
    SERVICE,
    KeyringInfo,
    delete_secret,
    describe_backend,
    forget_keyring,
    keyring_info,
    read_secret,
    resolve,
    status,
    store_secret,
)

TOKEN = "tok-Zx81-secret"
ENV_VAR_NAMES = ("WALLBOARD_REALTIME_TOKEN", "WALLBOARD_ANALYTICS_API_KEY", "WALLBOARD_ANALYTICS_PASSWORD", "WALLBOARD_CC_API_KEY", "WALLBOARD_CC_API_SECRET")


class EmptyChainer(chainer.ChainerBackend):
    """A chainer that found nothing to chain (what keyring builds on a bare server)."""

    backends = []  # type: ignore[assignment]


class ForgetfulKeyring(MemoryKeyring):
    """Accepts writes and keeps nothing, as a chainer whose backends all decline."""

    def set_password(self, service, username, password):
        return None


class EchoingKeyring(MemoryKeyring):
    """A backend whose error message repeats the password it was given."""

    def set_password(self, service, username, password):
        raise RuntimeError(f"cannot store {password!r} for {username}")


# --- detection ------------------------------------------------------------------------------


def test_the_memory_backend_is_usable_and_named_by_its_class_path():
    assert keyring_info() == KeyringInfo("tests.helpers.keyring.MemoryKeyring", True)


@pytest.mark.parametrize(
    "backend, reason",
    [
        (fail.Keyring(), "keyring found no backend, typical over SSH"),
        (null.Keyring(), "the null backend is selected, which keeps nothing"),
        (EmptyChainer(), "the chainer backend has no usable backend to chain"),
    ],
)
def test_backends_that_cannot_keep_secrets_mean_no_keyring(backend, reason):
    info = describe_backend(backend)
    assert (info.usable, info.reason) == (False, reason)
    advice = info.advice()
    assert advice.startswith(f"no usable keyring on this machine ({reason}); set WALLBOARD_REALTIME_TOKEN")
    for variable in ENV_VAR_NAMES:
        assert variable in advice
    assert "pip install keyrings.cryptfile" in advice and "(encrypted" in advice
    assert "keyrings.alt.file.PlaintextKeyring (NOT encrypted)" in advice
    assert "\n" not in advice


def test_a_chainer_with_a_usable_backend_is_usable_and_names_it():
    class OneChainer(chainer.ChainerBackend):
        backends = [MemoryKeyring()]  # type: ignore[assignment]

    info = describe_backend(OneChainer())
    assert info.usable
    assert info.name.endswith("OneChainer (tests.helpers.keyring.MemoryKeyring)")


def test_detection_is_bounded_in_time_when_the_backend_never_answers():
    forget_keyring()
    release = threading.Event()
    try:
        info = keyring_info(timeout=0.05, load=lambda: release.wait(60))
    finally:
        release.set()
    assert info == KeyringInfo("unknown", False, "finding a keyring backend took longer than 0.05 s; D-Bus may be unreachable")


def test_detection_runs_once_per_process():
    forget_keyring()
    calls = []
    first = keyring_info(load=lambda: calls.append(1) or MemoryKeyring())
    second = keyring_info(load=lambda: calls.append(2) or fail.Keyring())
    assert first is second and calls == [1]


def test_a_backend_that_cannot_be_loaded_is_reported_not_raised(monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "nowhere.Keyring")
    forget_keyring()

    def load():
        raise ModuleNotFoundError("No module named 'nowhere'")

    info = keyring_info(load=load)
    assert info == KeyringInfo("nowhere.Keyring", False, "the keyring backend could not be loaded: No module named 'nowhere'")


def test_the_real_keyring_library_is_asked_through_python_keyring_backend(monkeypatch):
    import keyring.core

    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    forget_keyring()
    assert keyring_info() == KeyringInfo("keyring.backends.null.Keyring", False, "the null backend is selected, which keeps nothing")


# --- store, read, delete -------------------------------------------------------------------------


def test_store_read_delete_round_trip(memory_keyring):
    info = store_secret("realtime-token", Secret(TOKEN))
    assert info.name == "tests.helpers.keyring.MemoryKeyring"
    assert memory_keyring.items == {(SERVICE, "realtime-token"): TOKEN}
    assert read_secret("realtime-token") == Secret(TOKEN)
    assert delete_secret("realtime-token") is True
    assert delete_secret("realtime-token") is False
    assert read_secret("realtime-token") is None
    assert memory_keyring.items == {}


def test_unknown_names_are_refused_without_repeating_them():
    with pytest.raises(ConfigError) as caught:
        store_secret("my-token-abc123", Secret(TOKEN))
    assert str(caught.value) == "unknown secret name; use one of realtime-token, analytics-api-key, analytics-password, cc-api-key, cc-api-secret, relay-token"


def test_only_secret_objects_and_non_empty_values_are_stored():
    with pytest.raises(TypeError):
        store_secret("realtime-token", TOKEN)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="empty"):
        store_secret("realtime-token", Secret(""))


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), EmptyChainer()])
def test_no_usable_keyring_refuses_to_store_and_writes_nothing(backend, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    use_keyring(backend)
    with pytest.raises(KeyringUnavailableError) as caught:
        store_secret("realtime-token", Secret(TOKEN))
    assert "WALLBOARD_REALTIME_TOKEN" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_write_that_does_not_read_back_is_an_error():
    use_keyring(ForgetfulKeyring())
    with pytest.raises(KeyringError, match=r"^could not store realtime-token: .* accepted it but does not give it back$"):
        store_secret("realtime-token", Secret(TOKEN))


def test_a_locked_keyring_is_one_line_naming_the_backend():
    use_keyring(LockedKeyring())
    with pytest.raises(KeyringError) as caught:
        read_secret("analytics-password")
    assert str(caught.value) == (
        "could not read analytics-password: the keyring (tests.helpers.keyring.LockedKeyring) said: "
        "Failed to unlock the collection!"
    )
    assert caught.value.__cause__ is None


def test_a_backend_echoing_the_secret_in_its_error_is_redacted():
    use_keyring(EchoingKeyring())
    with pytest.raises(KeyringError) as caught:
        store_secret("realtime-token", Secret(TOKEN))
    assert TOKEN not in str(caught.value)
    assert str(caught.value) == (
        "could not store realtime-token: the keyring (tests.test_secrets.EchoingKeyring) said: "
        "cannot store '******' for realtime-token"
    )


def test_a_silent_keyring_times_out_once_then_is_not_asked_again(monkeypatch):
    backend = BlockingKeyring()
    use_keyring(backend)
    monkeypatch.setattr(secrets, "OPERATION_TIMEOUT", 0.05)
    try:
        with pytest.raises(KeyringError, match=r"did not answer within 0.05 s; it may be locked") as caught:
            read_secret("realtime-token")
        assert not isinstance(caught.value, KeyringUnavailableError)
        with pytest.raises(KeyringUnavailableError, match=r"\(it did not answer within 0.05 s\)"):
            read_secret("realtime-token")
        assert keyring_info().usable is False
    finally:
        backend.release.set()


# --- resolution -------------------------------------------------------------------------------


def test_environment_beats_keyring(memory_keyring):
    store_secret("realtime-token", Secret("from-keyring"))
    resolved = resolve("realtime-token", env={"WALLBOARD_REALTIME_TOKEN": "from-env"})
    assert (resolved.value, resolved.source) == (Secret("from-env"), "environment")
    resolved = resolve("realtime-token", env={})
    assert (resolved.value, resolved.source, resolved.problem) == (Secret("from-keyring"), "keyring", "")


def test_environment_is_used_without_touching_a_silent_keyring(monkeypatch):
    backend = BlockingKeyring()
    use_keyring(backend)
    monkeypatch.setattr(secrets, "OPERATION_TIMEOUT", 30)
    try:
        resolved = resolve("analytics-api-key", env={"WALLBOARD_ANALYTICS_API_KEY": "k"})
    finally:
        backend.release.set()
    assert resolved.source == "environment"


def test_missing_everywhere():
    resolved = resolve("analytics-api-key", env={})
    assert (resolved.value, resolved.source, resolved.problem) == (None, "missing", "")


def test_no_keyring_is_missing_with_the_reason():
    use_keyring(fail.Keyring())
    resolved = resolve("realtime-token", env={})
    assert (resolved.value, resolved.source) == (None, "missing")
    assert resolved.problem.startswith("no usable keyring on this machine (keyring found no backend")


def test_resolve_rejects_unknown_names():
    with pytest.raises(ValueError):
        resolve("password", env={})


def test_status_says_where_each_secret_comes_from_and_never_a_value():
    store_secret("realtime-token", Secret(TOKEN))
    store_secret("analytics-api-key", Secret("key-in-keyring"))
    report = status(env={"WALLBOARD_ANALYTICS_API_KEY": "key-in-env", "WALLBOARD_REALTIME_TOKEN": ""})
    assert report.keyring == KeyringInfo("tests.helpers.keyring.MemoryKeyring", True)
    assert [(s.name, s.source, s.in_environment, s.in_keyring) for s in report.secrets] == [
        ("realtime-token", "keyring", False, True),
        ("analytics-api-key", "environment", True, True),
        ("analytics-password", "missing", False, False),
        ("cc-api-key", "missing", False, False),
        ("cc-api-secret", "missing", False, False),
        ("relay-token", "missing", False, False),
    ]
    assert TOKEN not in repr(report) and "key-in" not in repr(report)


def test_status_without_a_keyring():
    use_keyring(fail.Keyring())
    report = status(env={"WALLBOARD_ANALYTICS_PASSWORD": "pw"})
    assert report.keyring.usable is False
    assert [(s.source, s.in_keyring) for s in report.secrets] == [("missing", None), ("missing", None), ("environment", None), ("missing", None), ("missing", None), ("missing", None)]
    assert [s.name for s in report.secrets] == list(NAMES)
