import pytest

from wallboard.errors import InsecureUrlError
from wallboard.urls import check_url, is_loopback, realtime_base_url, region_host


@pytest.mark.parametrize("host", ["127.0.0.1", "127.5.6.7", "::1", "[::1]", "localhost", "LOCALHOST", "app.localhost"])
def test_loopback_hosts(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["example.com", "10.0.0.1", "192.168.1.1", "128.0.0.1", "localhost.example.com", "::2"])
def test_not_loopback(host):
    assert not is_loopback(host)


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
        ("na1", "na1.mycontactual.com"),
        ("na4", "na4.mycontactual.com"),
        ("na7", "vcc-na7.8x8.com"),
        ("vcc-na10b", "vcc-na10b.8x8.com"),
        ("ca", "www.mycontactual.ca"),
        ("UK", "www.mycontactual.co.uk"),
        ("mars", None),
    ],
)
def test_regions(region, host):
    assert region_host(region) == host


def test_realtime_base_url_forms():
    assert realtime_base_url("na2") == "https://na2.mycontactual.com/api/rtstats/stats"
    assert realtime_base_url("https://vcc-na17.8x8.com") == "https://vcc-na17.8x8.com/api/rtstats/stats"
    assert realtime_base_url("https://proxy.example.com/custom/path") == "https://proxy.example.com/custom/path"


@pytest.mark.parametrize("url", ["https://[evil", "https://[::1", "https://host:99999/x", "https://host:http/x", "https://exa mple.com/x"])
def test_malformed_hosts_and_ports_are_a_setting_error_not_a_crash(url):
    with pytest.raises(InsecureUrlError, match=r"^realtime_url: .* is not a URL"):
        check_url(url, "realtime_url")
