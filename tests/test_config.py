import re
import tomllib
from pathlib import Path

import pytest

import wallboard
from wallboard.config import (
    Settings,
    apply_overrides,
    documented_keys,
    load_settings,
    settings_from_mapping,
)
from wallboard.errors import ConfigError

EXAMPLE = Path(wallboard.__file__).parent / "config.example.toml"
README = Path(__file__).parent.parent / "README.md"


def write(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_default_file_gives_defaults(tmp_path, monkeypatch):
    monkeypatch.setattr("wallboard.config.default_config_path", lambda: tmp_path / "absent.toml")
    settings = load_settings(None, env={})
    assert settings == Settings()


def test_named_file_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", env={})


def test_env_names_the_file(tmp_path):
    path = write(tmp_path, 'tenant = "acme"\n')
    assert load_settings(None, env={"WALLBOARD_CONFIG": str(path)}).tenant == "acme"


def test_example_config_loads_and_documents_every_key():
    raw = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    settings = settings_from_mapping(raw, "example")
    assert settings.realtime_url == "https://na1.mycontactual.com/api/rtstats/stats"
    text = EXAMPLE.read_text(encoding="utf-8")
    for key in documented_keys():
        name = key.rpartition(".")[2]
        assert re.search(rf"^#? ?{re.escape(name)} =", text, re.MULTILINE), f"{key} is not in the example config"


def test_readme_documents_every_key():
    text = README.read_text(encoding="utf-8")
    for key in documented_keys():
        assert f"`{key}`" in text, f"{key} is not in the README"


def test_full_file(tmp_path):
    path = write(
        tmp_path,
        """
tenant = "acme"
region = "uk"
format = "xml"
interval = 5
timezone = "Europe/London"
start_tab = "queues"
tv = true
rotate = 30
[analytics]
pbx = "acmecorp, acmecorp2"
username = "boss@acme"
[thresholds]
waiting_alert = 20
""",
    )
    settings = load_settings(path, env={})
    assert settings.realtime_url == "https://www.mycontactual.co.uk/api/rtstats/stats"
    assert (settings.format, settings.interval, settings.start_tab, settings.tv, settings.rotate) == ("xml", 5.0, "queues", True, 30.0)
    assert settings.analytics.pbx == ("acmecorp", "acmecorp2")
    assert settings.thresholds.waiting_alert == 20
    assert settings.zone().key == "Europe/London"
    assert settings.source == path


def test_options_beat_the_file(tmp_path):
    path = write(tmp_path, 'tenant = "acme"\ninterval = 30\n')
    settings = load_settings(path, {"interval": ("7", "--interval"), "tenant": ("other", "--tenant")}, env={})
    assert (settings.interval, settings.tenant) == (7.0, "other")


def test_none_overrides_are_ignored(tmp_path):
    path = write(tmp_path, "interval = 30\n")
    assert load_settings(path, {"interval": (None, "--interval")}, env={}).interval == 30.0


def test_environment_user_name_beats_the_file(tmp_path):
    path = write(tmp_path, '[analytics]\nusername = "file"\n')
    assert load_settings(path, env={"WALLBOARD_ANALYTICS_USERNAME": "env"}).analytics.username == "env"


@pytest.mark.parametrize(
    "text, message",
    [
        ("intervall = 5", r"unknown key 'intervall'; did you mean 'interval'\?"),
        ("[thresholds]\nwait = 5", r"unknown key 'thresholds.wait'"),
        ("interval = 0.5", r"interval must be from 1 to 3600 seconds; got 0.5"),
        ('interval = "soon"', r"interval must be a number of seconds"),
        ('format = "csv"', r"format must be one of json, xml; got 'csv'"),
        ('timezone = "Mars/Base"', r"timezone: 'Mars/Base' is not an IANA time zone"),
        ('realtime_url = "http://example.com"', r"realtime_url: plain http:// is refused"),
        ('region = "mars"', r"region: unknown region 'mars'; use na1, na2, na3, ca, uk .*, or naN, naNb, euN with or without vcc-"),
        ('region = "vcc-ap1"', r"region: unknown region 'vcc-ap1'"),
        ('region = "na1"\nrealtime_url = "https://x.example/"', r"either realtime_url or region"),
        ("tv = 3", r"tv must be true or false"),
        ('start_tab = "history"', r"start_tab must be one of agents, queues, historical"),
        ("[thresholds]\nwaiting_warning = 9\nwaiting_alert = 3", r"waiting_warning must not exceed thresholds.waiting_alert"),
        ("[thresholds]\nwaiting_alert = 2.5", r"waiting_alert must be a whole number"),
        ('[analytics]\npbx = []', r"analytics.pbx is empty"),
        ('[analytics]\npbx = ["allpbxes", "acme"]', r"allpbxes"),
        ('[analytics]\nurl = "http://api.example.com"', r"analytics.url: plain http:// is refused"),
        ("analytics = 3", r"\[analytics\] must be a table"),
        ('token = "abc"', r"secrets do not belong in the config file"),
        ('[analytics]\npassword = "abc"', r"secrets do not belong in the config file"),
        ("tenant = [", r"not valid TOML"),
    ],
)
def test_bad_files_name_the_key(tmp_path, text, message):
    path = write(tmp_path, text + "\n")
    with pytest.raises(ConfigError, match=message) as caught:
        load_settings(path, env={})
    assert str(path) in str(caught.value)
    assert "abc" not in str(caught.value), "a secret value must never be echoed"


def test_bad_option_names_the_option(tmp_path):
    with pytest.raises(ConfigError, match=r"^--interval must be a number"):
        load_settings(write(tmp_path, ""), {"interval": ("x", "--interval")}, env={})


@pytest.mark.parametrize(
    "region, url",
    [
        ("vcc-na10b", "https://vcc-na10b.8x8.com/api/rtstats/stats"),
        ("eu2", "https://vcc-eu2.8x8.com/api/rtstats/stats"),
        ("na4", "https://vcc-na4.8x8.com/api/rtstats/stats"),
        ("na1", "https://na1.mycontactual.com/api/rtstats/stats"),
    ],
)
def test_region_forms_in_the_file_and_on_the_command_line(tmp_path, region, url):
    assert load_settings(write(tmp_path, f'region = "{region}"')).realtime_url == url
    assert apply_overrides(Settings(), {"realtime_url": (region, "--realtime-url")}).realtime_url == url


def test_the_data_source_and_its_sections(tmp_path):
    from wallboard.config import CC_CACHE_PERIOD

    path = write(tmp_path, 'source = "cc-realtime"\n[cc_realtime]\nregion = "eu"\ntenant_info = "acme01"\npercent_scale = "percent"\n[events]\nenabled = true\n')
    settings = load_settings(path, env={})
    assert settings.data_source == "cc-realtime" and settings.interval == CC_CACHE_PERIOD  # the v5 cache's 5 s
    assert settings.cc_realtime.base_url == "https://api.8x8.com/eu/analytics/cc/v5/realtime-metrics"
    assert (settings.cc_realtime.tenant_info, settings.cc_realtime.percent_scale, settings.events.enabled) == ("acme01", "percent", True)
    assert load_settings(path, {"interval": ("10", "--interval")}, env={}).interval == 10  # an explicit interval wins
    assert load_settings(path, {"source": ("rtstats", "--source")}, env={}).data_source == "rtstats"
    assert load_settings(None, env={"WALLBOARD_CONFIG": str(write(tmp_path, ""))}).data_source == "rtstats"


@pytest.mark.parametrize(
    "text, words",
    [
        ('source = "v5"', "source must be one of rtstats, cc-realtime"),
        ('[cc_realtime]\nregion = "mars"', "us, eu, au, ca"),
        ('[cc_realtime]\nurl = "http://api.8x8.com"', "plain http:// is refused"),
        ('[events]\nurl = "https://pulsar-ws-euw2.8x8.com"', "not a WebSocket URL"),
        ('[events]\nurl = "ws://pulsar-ws-euw2.8x8.com/ws"', "plain http:// is refused"),
    ],
)
def test_bad_source_settings_are_refused_naming_the_key(tmp_path, text, words):
    with pytest.raises(ConfigError, match=re.escape(words)):
        load_settings(write(tmp_path, text), env={})
