"""What the setup screen asks for, and how its answers are checked and saved (no Textual)."""

import pytest
from keyring.backends import fail

from tests.helpers.keyring import LockedKeyring, MemoryKeyring, use_keyring
from wallboard.config import AnalyticsSettings, Settings
from wallboard.errors import KeyringError
from wallboard.credentials.secret import Secret
from wallboard.credentials.store import SERVICE, store_secret
from wallboard.credentials.needs import SetupFieldError, SetupNeeds, SetupResult, check_answers, gather, save_to_keyring

TOKEN = "tok-Zx81-secret"
CONFIGURED = Settings(tenant="acme", realtime_url="https://na1.mycontactual.com/api/rtstats/stats")


def test_gather_finds_the_token_in_the_keyring_and_needs_nothing():
    store_secret("realtime-token", Secret(TOKEN))
    found, needs = gather("realtime", CONFIGURED, env={})
    assert found == {"realtime-token": Secret(TOKEN)}
    assert needs.missing == () and needs.needed is False


def test_gather_leaves_the_keyring_alone_when_the_environment_has_everything(monkeypatch):
    """Detecting the keyring imports its backends (a fifth of a second here): the first
    poll must not wait for it when the setup screen will not be shown."""

    def untouchable(*args, **kwargs):
        raise AssertionError("the keyring was consulted")

    monkeypatch.setattr("wallboard.credentials.needs.keyring_info", untouchable)
    monkeypatch.setattr("wallboard.credentials.store.read_secret", untouchable)
    found, needs = gather("realtime", CONFIGURED, env={"WALLBOARD_REALTIME_TOKEN": TOKEN})
    assert found == {"realtime-token": Secret(TOKEN)}
    assert needs.needed is False


def test_gather_names_only_what_is_missing():
    found, needs = gather("analytics", Settings(analytics=AnalyticsSettings(username="boss")), env={"WALLBOARD_ANALYTICS_API_KEY": "k"})
    assert found == {"analytics-api-key": Secret("k")}
    assert needs == SetupNeeds(
        purpose="analytics",
        missing=("analytics-password",),
        tenant="",
        realtime_url="",
        username="boss",
        keyring_usable=True,
        keyring_name="tests.helpers.keyring.MemoryKeyring",
        keyring_encryption="encryption unknown",
        keyring_advice="",
    )
    assert needs.fields() == ("username", "analytics-password")
    assert needs.needed


def test_gather_without_a_keyring_carries_the_advice():
    use_keyring(fail.Keyring())
    _, needs = gather("realtime", Settings(), env={})
    assert needs.keyring_usable is False
    assert needs.keyring_advice.startswith("no usable keyring on this machine")
    assert "WALLBOARD_REALTIME_TOKEN" in needs.keyring_advice
    assert needs.fields() == ("tenant", "realtime_url", "realtime-token")


@pytest.mark.parametrize(
    "needs, needed",
    [
        (SetupNeeds("realtime", (), tenant="acme", realtime_url="https://x.example"), False),
        (SetupNeeds("realtime", (), tenant="", realtime_url="https://x.example"), True),
        (SetupNeeds("realtime", (), tenant="acme", realtime_url=""), True),
        (SetupNeeds("analytics", (), username="boss"), False),
        (SetupNeeds("analytics", (), username=""), True),
        (SetupNeeds("analytics", ("analytics-password",), username="boss"), True),
    ],
)
def test_needed(needs, needed):
    assert needs.needed is needed


def test_check_answers_builds_a_result_with_secrets_kept_secret():
    needs = SetupNeeds("realtime", ("realtime-token",), tenant="", realtime_url="")
    result = check_answers(needs, {"tenant": " acme ", "realtime_url": "uk", "realtime-token": TOKEN}, save=True)
    assert result == SetupResult(
        secrets={"realtime-token": Secret(TOKEN)},
        tenant="acme",
        realtime_url="https://www.mycontactual.co.uk/api/rtstats/stats",
        username="",
        save_requested=True,
    )
    assert TOKEN not in repr(result) and TOKEN not in str(result)


def test_a_configured_url_is_kept_and_not_asked():
    needs = SetupNeeds("realtime", ("realtime-token",), tenant="acme", realtime_url="https://na2.mycontactual.com/api/rtstats/stats")
    result = check_answers(needs, {"tenant": "acme", "realtime-token": TOKEN}, save=False)
    assert result.realtime_url == "https://na2.mycontactual.com/api/rtstats/stats"


def test_saving_is_not_requested_without_a_usable_keyring():
    needs = SetupNeeds("realtime", ("realtime-token",), tenant="acme", realtime_url="https://x.example", keyring_usable=False)
    assert check_answers(needs, {"tenant": "acme", "realtime-token": TOKEN}, save=True).save_requested is False


@pytest.mark.parametrize(
    "answers, field, message",
    [
        ({"tenant": "", "realtime_url": "na1", "realtime-token": TOKEN}, "tenant", "Tenant is required."),
        ({"tenant": "acme", "realtime_url": " ", "realtime-token": TOKEN}, "realtime_url", "Region or URL is required."),
        ({"tenant": "acme", "realtime_url": "na1", "realtime-token": ""}, "realtime-token", "Data-request token is required."),
        ({"tenant": "ac me", "realtime_url": "na1", "realtime-token": TOKEN}, "tenant", "Tenant is one word, without spaces or ':' (the 8x8 tenant name)."),
        ({"tenant": "acme", "realtime_url": "na1", "realtime-token": "a\x1bb"}, "realtime-token", "Data-request token has control characters; type it on one line."),
        (
            {"tenant": "acme", "realtime_url": "http://example.com", "realtime-token": TOKEN},
            "realtime_url",
            "Region or URL: plain http:// is refused for example.com: use https:// (http is allowed only for this machine: "
            "127.0.0.1, ::1, localhost); or a region such as na4, vcc-na10b, eu2 or uk.",
        ),
        (
            {"tenant": "acme", "realtime_url": "na0", "realtime-token": TOKEN},
            "realtime_url",
            "Region or URL: unknown region 'na0'; use na1, na2, na3, ca, uk (the older mycontactual hosts), or naN, "
            "naNb, euN with or without vcc- (na4, na10b, vcc-na17, eu2: https://vcc-<name>.8x8.com); for any other "
            "host give its full https:// URL (realtime_url, --realtime-url).",
        ),
    ],
)
def test_check_answers_names_the_first_bad_field(answers, field, message):
    needs = SetupNeeds("realtime", ("realtime-token",))
    with pytest.raises(SetupFieldError) as caught:
        check_answers(needs, answers, save=False)
    assert (caught.value.field, str(caught.value)) == (field, message)
    assert TOKEN not in str(caught.value)


def test_save_to_keyring_stores_and_reports_what_it_saved(memory_keyring):
    result = SetupResult(secrets={"analytics-api-key": Secret("k1"), "analytics-password": Secret("p1")}, save_requested=True)
    saved = save_to_keyring(result)
    assert saved.saved == ("analytics-api-key", "analytics-password")
    assert memory_keyring.items == {(SERVICE, "analytics-api-key"): "k1", (SERVICE, "analytics-password"): "p1"}


def test_save_to_keyring_does_nothing_unless_asked(memory_keyring):
    result = SetupResult(secrets={"realtime-token": Secret(TOKEN)}, save_requested=False)
    assert save_to_keyring(result) is result
    assert memory_keyring.items == {}


def test_a_partial_save_says_what_was_saved():
    class SecondFails(MemoryKeyring):
        def set_password(self, service, username, password):
            if username == "analytics-password":
                raise RuntimeError("Failed to unlock the collection!")
            super().set_password(service, username, password)

    use_keyring(SecondFails())
    result = SetupResult(secrets={"analytics-api-key": Secret("k1"), "analytics-password": Secret("p1")}, save_requested=True)
    with pytest.raises(KeyringError) as caught:
        save_to_keyring(result)
    assert str(caught.value).endswith("said: Failed to unlock the collection! (analytics-api-key was saved)")


def test_a_locked_keyring_fails_the_save():
    use_keyring(LockedKeyring())
    with pytest.raises(KeyringError, match="^could not store realtime-token"):
        save_to_keyring(SetupResult(secrets={"realtime-token": Secret(TOKEN)}, save_requested=True))


def test_the_v5_source_asks_for_its_key_and_secret_and_nothing_else():
    found, needs = gather("cc-realtime", Settings(data_source="cc-realtime"), env={"WALLBOARD_CC_API_KEY": "k"})
    assert found == {"cc-api-key": Secret("k")}
    assert needs.missing == ("cc-api-secret",) and needs.fields() == ("cc-api-secret",)  # no tenant, no region: us by default
    assert needs.needed and needs.masked("cc-api-secret")
    found, needs = gather("cc-realtime", Settings(), env={"WALLBOARD_CC_API_KEY": "k", "WALLBOARD_CC_API_SECRET": "s"})
    assert not needs.needed and set(found) == {"cc-api-key", "cc-api-secret"}
    result = check_answers(SetupNeeds(purpose="cc-realtime", missing=("cc-api-key", "cc-api-secret")), {"cc-api-key": "k", "cc-api-secret": Secret("s")}, save=False)
    assert result.secrets == {"cc-api-key": Secret("k"), "cc-api-secret": Secret("s")}
