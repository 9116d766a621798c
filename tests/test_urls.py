import socket

import pytest

from wallboard.errors import ConfigError, InsecureUrlError
from wallboard.sim.server import SimServer
from wallboard.urls import check_url, is_loopback, realtime_base_url, region_host


@pytest.mark.parametrize("host", ["127.0.0.1", "127.5.6.7", "::1", "[::1]", "localhost", "LOCALHOST"])
def test_loopback_hosts(host):
    assert is_loopback(host)


@pytest.mark.parametrize(
    "host",
    ["example.com", "10.0.0.1", "192.168.1.1", "128.0.0.1", "localhost.example.com", "::2", "app.localhost", "localhost."],
)
def test_not_loopback(host):
    assert not is_loopback(host)


@pytest.mark.parametrize("url", ["http://anything.localhost:8088/api", "http://a.b.localhost/", "http://localhost.:9/"])
def test_names_under_localhost_are_not_trusted_with_credentials_over_http(url, monkeypatch):
    """Issue 11 item 9: ``*.localhost`` may be resolved by a DNS server; nothing is looked up."""
    looked_up = []
    monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: looked_up.append(args) or [])
    monkeypatch.setattr(socket, "gethostbyname", lambda *args: looked_up.append(args) or "127.0.0.1")
    with pytest.raises(InsecureUrlError, match=r"plain http:// is refused"):
        check_url(url, "realtime_url")
    assert looked_up == []


def test_the_simulator_listens_on_literal_loopback_only():
    with pytest.raises(ValueError, match="loopback only"):
        SimServer(host="sim.localhost")


def test_https_is_accepted_and_trailing_slash_dropped():
    assert check_url("https://na1.mycontactual.com/api/rtstats/stats/", "x") == "https://na1.mycontactual.com/api/rtstats/stats"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8088/api", "http://[::1]:9/x", "http://localhost:1"])
def test_plain_http_is_accepted_for_loopback(url):
    assert check_url(url, "x").startswith("http://")


def test_plain_http_elsewhere_is_refused_with_the_setting_named():
    with pytest.raises(InsecureUrlError, match=r"^--realtime-url: plain http:// is refused for na1\.mycontactual\.com"):
        check_url("http://na1.mycontactual.com/api/rtstats/stats", "--realtime-url")


@pytest.mark.parametrize("url", ["ftp://host/x", "na1.mycontactual.com", "https://", "javascript:alert(1)"])
def test_non_urls_are_refused(url):
    with pytest.raises(InsecureUrlError, match="is not a URL"):
        check_url(url, "realtime_url")


def test_credentials_in_urls_are_refused():
    with pytest.raises(InsecureUrlError, match="no user name or password"):
        check_url("https://acme:token@na1.mycontactual.com/", "realtime_url")


@pytest.mark.parametrize(
    "region, host",
    [
        # the seed's mycontactual hosts, kept where no newer source moves them
        ("na1", "na1.mycontactual.com"),
        ("na2", "na2.mycontactual.com"),
        ("na3", "na3.mycontactual.com"),
        ("ca", "www.mycontactual.ca"),
        ("UK", "www.mycontactual.co.uk"),
        # the vendor now documents na4 as vcc-na4.8x8.com
        ("na4", "vcc-na4.8x8.com"),
        ("vcc-na4", "vcc-na4.8x8.com"),
        # the seed's na7, and the hosts real tenants run on: bare or with vcc-
        ("na7", "vcc-na7.8x8.com"),
        ("vcc-na10", "vcc-na10.8x8.com"),
        ("na10b", "vcc-na10b.8x8.com"),
        ("vcc-na10b", "vcc-na10b.8x8.com"),
        ("vcc-na17", "vcc-na17.8x8.com"),
        ("eu2", "vcc-eu2.8x8.com"),
        (" VCC-EU3 ", "vcc-eu3.8x8.com"),
        ("vcc-na1", "vcc-na1.8x8.com"),  # asked for by its vcc- name: that host
    ],
)
def test_regions(region, host):
    assert region_host(region) == host


@pytest.mark.parametrize(
    "region", ["mars", "na0", "na01", "eu", "vcc-", "vcc-ap1", "vcc-na10bb", "na10c", "vcc-na1.8x8.com", "vcc-na-1", "euN"]
)
def test_unknown_regions(region):
    assert region_host(region) is None


@pytest.mark.parametrize("region", ["mars", "na0", "vcc-ap1", "na10c"])
def test_an_unknown_region_lists_the_accepted_forms(region):
    with pytest.raises(ConfigError) as caught:
        realtime_base_url(region, "--realtime-url")
    message = str(caught.value)
    assert message.startswith(f"--realtime-url: unknown region '{region}'; use na1, na2, na3, ca, uk")
    assert "naN, naNb, euN with or without vcc-" in message and "https://vcc-<name>.8x8.com" in message


def test_realtime_base_url_forms():
    assert realtime_base_url("na2") == "https://na2.mycontactual.com/api/rtstats/stats"
    assert realtime_base_url("na4") == "https://vcc-na4.8x8.com/api/rtstats/stats"
    assert realtime_base_url("vcc-eu2") == "https://vcc-eu2.8x8.com/api/rtstats/stats"
    assert realtime_base_url("https://vcc-na17.8x8.com") == "https://vcc-na17.8x8.com/api/rtstats/stats"
    assert realtime_base_url("https://na4.mycontactual.com") == "https://na4.mycontactual.com/api/rtstats/stats"
    assert realtime_base_url("https://proxy.example.com/custom/path") == "https://proxy.example.com/custom/path"


@pytest.mark.parametrize("url", ["https://[evil", "https://[::1", "https://host:99999/x", "https://host:http/x", "https://exa mple.com/x"])
def test_malformed_hosts_and_ports_are_a_setting_error_not_a_crash(url):
    with pytest.raises(InsecureUrlError, match=r"^realtime_url: .* is not a URL"):
        check_url(url, "realtime_url")


def test_a_url_that_is_not_a_region_is_still_judged_as_a_url():
    with pytest.raises(InsecureUrlError, match="is not a URL"):
        realtime_base_url("vcc-na1.8x8.com", "--realtime-url")
