"""Proxies and private CAs, over real loopback sockets.

A corporate network reaches 8x8 through ``HTTPS_PROXY`` and may inspect TLS with its own
CA. The clients honour the standard proxy variables (never for loopback), trust the
``ca_bundle`` setting or ``SSL_CERT_FILE`` besides the public CAs, name a certificate
failure as such, and take no credentials from anywhere else (``.netrc``).
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wallboard.clients.http import Timeouts, fetch, make_client
from wallboard.clients.network import proxy_for, tls_context
from wallboard.clients.rtstats import RealtimeClient
from wallboard.errors import ConfigError, ConnectionFailedError
from wallboard.sim.server import Response, SimServer
from wallboard.sim.simulator import Simulator

TIMEOUTS = Timeouts(connect=10, read=20, total=30)  # healthy answers only: long, so a busy machine is never a timeout
PROXY_VARIABLES = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "all_proxy", "no_proxy")
AGENTS = json.dumps({"agent": [{"agent-id": "a1", "agent-name": "Ann", "agent-status": 1}]}).encode()


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch):
    for name in (*PROXY_VARIABLES, "SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)


class RecordingProxy:
    """An HTTP proxy on loopback that records what it is asked and refuses every tunnel."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_CONNECT(self):
                proxy.asked.append(f"CONNECT {self.path}")
                self.send_response(403, "Forbidden")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self):
                proxy.asked.append(f"GET {self.path}")
                self.send_response(502)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recording_proxy():
    proxy = RecordingProxy()
    yield proxy
    proxy.close()


# --- which proxy, if any -----------------------------------------------------------------------


def test_the_standard_variables_choose_the_proxy():
    env = {"HTTPS_PROXY": "http://proxy.corp:3128", "NO_PROXY": "internal.corp,.example.org"}
    assert proxy_for("https://na1.mycontactual.com/api/rtstats/stats", env) == "http://proxy.corp:3128"
    assert proxy_for("https://api.internal.corp/x", env) is None
    assert proxy_for("https://vcc.example.org/x", env) is None
    assert proxy_for("https://a.b/x", {"https_proxy": "proxy:8080", "HTTPS_PROXY": "other:1"}) == "http://proxy:8080"
    assert proxy_for("https://a.b/x", {"ALL_PROXY": "http://all:1"}) == "http://all:1"
    assert proxy_for("https://a.b/x", {"HTTPS_PROXY": "http://p:1", "NO_PROXY": "*"}) is None
    assert proxy_for("https://a.b/x", {}) is None
    with pytest.raises(ConfigError, match="only http:// and https:// proxies"):
        proxy_for("https://a.b/x", {"HTTPS_PROXY": "socks5://p:1080"})


@pytest.mark.parametrize("url", ["http://127.0.0.1:8088/x", "http://localhost:1/x", "http://[::1]:9/x", "https://127.0.0.2/x"])
def test_loopback_urls_never_go_through_a_proxy(url):
    everything = {"HTTPS_PROXY": "http://proxy:1", "HTTP_PROXY": "http://proxy:1", "ALL_PROXY": "http://proxy:1"}
    assert proxy_for(url, everything) is None


async def test_the_simulator_on_loopback_is_reached_directly_whatever_the_proxy_variables_say(monkeypatch, recording_proxy):
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, recording_proxy.url)
    with Simulator(seed=3, agents=4, queues=1) as sim:
        async with RealtimeClient(sim.realtime_url, "demo", "demo", timeouts=TIMEOUTS) as client:
            assert len((await client.agents()).result.records) == 4
    assert recording_proxy.asked == []


async def test_a_remote_host_is_reached_through_the_proxy(monkeypatch, recording_proxy):
    """No DNS lookup of our own: the tunnel is asked of the proxy, whose refusal is named."""
    monkeypatch.setenv("HTTPS_PROXY", recording_proxy.url)
    port = recording_proxy.url.rsplit(":", 1)[1]
    async with RealtimeClient("https://wallboard-test.invalid/api/rtstats/stats", "t", "x", timeouts=TIMEOUTS) as client:
        with pytest.raises(ConnectionFailedError) as raised:
            await client.agents()
    assert recording_proxy.asked == ["CONNECT wallboard-test.invalid:443"]
    assert str(raised.value) == (
        f"the proxy 127.0.0.1:{port} would not connect us for agents from wallboard-test.invalid "
        "(403 Forbidden): check HTTPS_PROXY and NO_PROXY"
    )


async def test_an_unreachable_proxy_is_named(monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("HTTPS_PROXY", f"http://user:hunter2@127.0.0.1:{port}")
    async with RealtimeClient("https://wallboard-test.invalid/api/rtstats/stats", "t", "x", timeouts=TIMEOUTS) as client:
        with pytest.raises(ConnectionFailedError, match=rf"^cannot reach the proxy 127\.0\.0\.1:{port} for agents") as raised:
            await client.agents()
    assert "hunter2" not in str(raised.value)


async def test_no_credentials_come_from_netrc(monkeypatch, tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password NETRC-SECRET\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".netrc").write_text(netrc.read_text())
    seen: list[dict[str, str]] = []
    server = SimServer()
    server.add_route("GET", r"/x", "x", lambda request: seen.append(request.headers) or Response(200, b"{}"))
    with server:
        async with make_client(TIMEOUTS, url=server.url + "/x") as client:
            await fetch(client, "GET", server.url + "/x", timeouts=TIMEOUTS, what="x", auth_message="")
    assert seen and "authorization" not in seen[0]


# --- certificates ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (a private CA, as TLS inspection presents)."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "wallboard test CA")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return folder


@pytest.fixture
def tls_server(certificate):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(AGENTS)))
            self.end_headers()
            self.wfile.write(AGENTS)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate / "cert.pem", certificate / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_address[1]}/api/rtstats/stats"
    server.shutdown()
    server.server_close()


async def test_an_untrusted_certificate_is_named_as_such(tls_server):
    async with RealtimeClient(tls_server, "t", "x", timeouts=TIMEOUTS) as client:
        with pytest.raises(ConnectionFailedError) as raised:
            await client.agents()
    message = str(raised.value)
    assert message.startswith("the server's certificate is not trusted for agents from 127.0.0.1:"), message
    assert "self-signed certificate" in message and "set ca_bundle in the config (or SSL_CERT_FILE)" in message


async def test_ca_bundle_trusts_a_private_ca(tls_server, certificate):
    async with RealtimeClient(tls_server, "t", "x", timeouts=TIMEOUTS, ca_bundle=str(certificate / "cert.pem")) as client:
        assert [agent.agent_id for agent in (await client.agents()).result.records] == ["a1"]


async def test_ssl_cert_file_trusts_a_private_ca(tls_server, certificate, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate / "cert.pem"))
    async with RealtimeClient(tls_server, "t", "x", timeouts=TIMEOUTS) as client:
        assert len((await client.agents()).result.records) == 1


def test_a_ca_bundle_that_is_not_certificates_is_a_setting_error(tmp_path):
    junk = tmp_path / "ca.pem"
    junk.write_text("not a certificate")
    with pytest.raises(ConfigError, match=r"^ca_bundle: cannot use .*ca\.pem' as CA certificates"):
        tls_context(str(junk))
    with pytest.raises(ConfigError, match="SSL_CERT_FILE: cannot use"):
        tls_context("", {"SSL_CERT_FILE": str(tmp_path / "missing.pem")})


def test_the_config_key_must_name_an_existing_file(tmp_path):
    from wallboard.config import settings_from_mapping

    assert settings_from_mapping({"ca_bundle": str(tmp_path)}).ca_bundle == str(tmp_path)
    with pytest.raises(ConfigError, match=r"ca_bundle: '/nonexistent/ca\.pem' does not exist"):
        settings_from_mapping({"ca_bundle": "/nonexistent/ca.pem"})


@pytest.mark.parametrize(
    "url, proxy, loads_cas",
    [
        ("http://relay.lan:8089/api/rtstats/stats", "", False),  # a relay on the LAN: plain HTTP only
        ("https://vcc-na1.8x8.com/api/stats", "", True),
        ("http://relay.lan:8089/api/rtstats/stats", "https://proxy.example:3128", True),  # TLS to the proxy
    ],
)
def test_only_a_client_that_may_speak_tls_loads_the_certificate_authorities(monkeypatch, url, proxy, loads_cas):
    import wallboard.clients.http as http

    loaded = []
    monkeypatch.setattr(http, "tls_context", lambda *args: loaded.append(args) or ssl.create_default_context())
    env = {"HTTP_PROXY": proxy, "HTTPS_PROXY": proxy} if proxy else {}
    make_client(Timeouts(), url=url, env=env)
    assert bool(loaded) == loads_cas


def test_the_plain_http_clients_tls_context_could_never_accept_a_certificate():
    from wallboard.clients.http import _trusts_nothing

    context = _trusts_nothing()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.get_ca_certs() == [] and context.cert_store_stats()["x509_ca"] == 0
