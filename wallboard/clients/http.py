"""What every wallboard HTTP client shares: limits, identity and error mapping.

* Time: a connect and a read timeout per request, plus an overall deadline, so a server
  that trickles one byte a second cannot hold a poll forever.
* Size: bodies over :data:`MAX_BODY_BYTES` are refused before parsing; a body is read as a
  stream and abandoned the moment it passes the cap.
* Compression: we ask for gzip or deflate and decode it ourselves, a bounded step at a
  time in a worker thread, counting the decoded bytes after every step: a 2 KB
  decompression bomb stops at the cap having produced little more than the cap, and the
  event loop (the board) never waits on it. An encoding we did not ask for, or two
  stacked (``gzip, gzip``), is refused: no real server needs either.
* Errors: every failure becomes a typed :class:`~wallboard.errors.ApiError` whose message
  is one line a supervisor can act on.
* Network: the standard proxy variables are honoured (``HTTPS_PROXY``, ``HTTP_PROXY``,
  ``ALL_PROXY``, ``NO_PROXY``, any case, as the standard library reads them), except for
  loopback URLs, which never go through a proxy. Certificates are always verified, against
  the public CAs plus the ``ca_bundle`` config key or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``
  (a private CA, TLS inspection). httpx's own ``trust_env`` stays off: it is exactly
  these and nothing else (no ``.netrc``, no credentials from anywhere but our own).
"""

from __future__ import annotations

import asyncio
import email.utils
import os
import socket
import ssl
import time
import urllib.request
import zlib
from pathlib import Path
from urllib.parse import urlsplit
from dataclasses import dataclass
from typing import Any, Callable, Mapping, TypeVar

import httpx

from wallboard import __version__
from wallboard.core.text import clean_text
from wallboard.urls import is_loopback
from wallboard.errors import (
    ApiError,
    ConfigError,
    ApiTimeoutError,
    AuthError,
    BadPayloadError,
    BadRequestError,
    ConnectionFailedError,
    NotFoundError,
    RateLimitedError,
    ResponseTooLargeError,
    ServerBusyError,
    ServerError,
)

MAX_BODY_BYTES = 32 * 1024 * 1024
ACCEPTED_ENCODINGS = ("gzip", "deflate")
ACCEPT_ENCODING = ", ".join(ACCEPTED_ENCODINGS)
DECODE_STEP = 256 * 1024
"""Most bytes one decompression step may produce before the running total is checked."""
USER_AGENT = f"wallboard/{__version__} (+terminal wallboard for 8x8 contact centres)"
MAX_RETRY_AFTER = 600.0
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds allowed to connect, between bytes read, and for the whole request."""

    connect: float = 5.0
    read: float = 10.0
    total: float = 20.0


@dataclass(frozen=True, slots=True)
class Reply:
    """A successful answer: its body and when it arrived (monotonic seconds)."""

    status: int
    body: bytes
    headers: Mapping[str, str]
    received_at: float
    elapsed: float


class Client(httpx.AsyncClient):
    """An ``httpx.AsyncClient`` that remembers which proxy it uses, for messages."""

    proxy_shown: str = ""
    """The proxy as ``host:port`` (never its credentials), or '' when connecting directly."""


_default_ca_bundle = ""


def set_default_ca_bundle(path: str) -> None:
    """The ``ca_bundle`` setting for every client made afterwards (set once from the config)."""
    global _default_ca_bundle
    _default_ca_bundle = path


def make_client(
    timeouts: Timeouts,
    *,
    url: str | None = None,
    ca_bundle: str | None = None,
    auth: httpx.Auth | tuple[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    env: Mapping[str, str] | None = None,
) -> Client:
    """A client with keep-alive, our User-Agent and timeouts, the proxy for ``url`` (from the
    environment) and our certificate trust; ``ca_bundle`` None means the configured one."""
    env = os.environ if env is None else env
    proxy = proxy_for(url, env) if url and transport is None else None
    client = Client(
        auth=auth,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING, **(headers or {})},
        timeout=httpx.Timeout(timeouts.read, connect=timeouts.connect),
        limits=httpx.Limits(max_connections=8, max_keepalive_connections=4, keepalive_expiry=60),
        transport=transport,
        verify=tls_context(_default_ca_bundle if ca_bundle is None else ca_bundle, env),
        proxy=proxy,
        follow_redirects=False,
        trust_env=False,
    )
    if proxy:
        client.proxy_shown = urlsplit(proxy).netloc.rpartition("@")[2]
    return client


def proxy_for(url: str, env: Mapping[str, str] | None = None) -> str | None:
    """The proxy URL the standard variables name for ``url``, or ``None`` to connect directly.

    Loopback hosts (the simulator, a local relay) are never proxied, whatever NO_PROXY says.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if is_loopback(host):
        return None
    proxies = _environment_proxies(os.environ if env is None else env)
    if not proxies or urllib.request.proxy_bypass_environment(host, proxies):
        return None
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy:
        return None
    if "://" not in proxy:
        proxy = f"http://{proxy}"
    scheme = urlsplit(proxy).scheme
    if scheme not in ("http", "https"):
        raise ConfigError(f"the proxy for {host} is a {scheme}:// proxy; only http:// and https:// proxies are supported")
    return proxy


def _environment_proxies(env: Mapping[str, str]) -> dict[str, str]:
    """``urllib.request.getproxies_environment`` over ``env`` instead of ``os.environ``."""
    proxies: dict[str, str] = {}
    for name, value in env.items():  # lower case wins, as in the standard library
        lower = name.lower()
        if value and lower.endswith("_proxy") and (name == lower or lower[:-6] not in proxies):
            proxies[lower[:-6]] = value
    return proxies


def tls_context(ca_bundle: str = "", env: Mapping[str, str] | None = None) -> ssl.SSLContext:
    """Verification against the public CAs (certifi), plus ``ca_bundle`` (a file or a
    directory of PEM certificates) or else ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``."""
    import certifi

    env = os.environ if env is None else env
    context = ssl.create_default_context(cafile=certifi.where())
    extra, origin = (ca_bundle, "ca_bundle") if ca_bundle else (env.get("SSL_CERT_FILE") or env.get("SSL_CERT_DIR") or "", "SSL_CERT_FILE")
    if extra:
        path = Path(extra).expanduser()
        try:
            if path.is_dir():
                context.load_verify_locations(capath=str(path))
            else:
                context.load_verify_locations(cafile=str(path))
        except (OSError, ssl.SSLError) as error:
            reason = "no such file" if isinstance(error, FileNotFoundError) else (getattr(error, "reason", None) or type(error).__name__)
            raise ConfigError(f"{origin}: cannot use {str(path)!r} as CA certificates ({reason}); give a PEM file or directory") from None
    return context


async def fetch(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    timeouts: Timeouts,
    what: str,
    auth_message: str,
    max_body: int = MAX_BODY_BYTES,
    **kwargs: Any,
) -> Reply:
    """Send one request and return its body, or raise a typed :class:`ApiError`.

    ``what`` names the thing fetched for messages ("agents from na1.mycontactual.com");
    ``auth_message`` is the advice shown when credentials are refused.
    """
    started = time.monotonic()
    try:
        async with asyncio.timeout(timeouts.total):
            async with client.stream(method, url, **kwargs) as response:
                _raise_for_status(response, what, auth_message)
                body = await _read_capped(response, max_body, what)
                status, headers = response.status_code, response.headers
    except ApiError:
        raise
    except httpx.ConnectTimeout:
        raise ApiTimeoutError(f"no connection for {what} within {timeouts.connect:g}s; retrying") from None
    except httpx.TimeoutException:
        raise ApiTimeoutError(f"no answer for {what} within {timeouts.read:g}s; retrying") from None
    except TimeoutError:
        raise ApiTimeoutError(
            f"no complete answer for {what} within {timeouts.total:g}s; retrying"
        ) from None
    except httpx.ConnectError as error:
        raise ConnectionFailedError(_connect_message(error, what, getattr(client, "proxy_shown", ""))) from None
    except httpx.ProxyError as error:
        raise ConnectionFailedError(
            f"the proxy {getattr(client, 'proxy_shown', '')} would not connect us for {what} "
            f"({clean_text(str(error), 60)}): check HTTPS_PROXY and NO_PROXY"
        ) from None
    except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
        raise ConnectionFailedError(
            f"the connection broke off while fetching {what} ({_kind(error)}); retrying"
        ) from None
    except httpx.HTTPError as error:
        raise ConnectionFailedError(f"request for {what} failed ({_kind(error)}); retrying") from None
    now = time.monotonic()
    return Reply(status, body, headers, now, now - started)


async def _read_capped(response: httpx.Response, max_body: int, what: str) -> bytes:
    """The body, decoded, or :class:`ResponseTooLargeError` as soon as either the bytes
    received or the bytes decoded pass ``max_body``."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body:
        raise _too_large(what, max_body)
    decoder = _decoder_for(response.headers.get("content-encoding", ""), max_body, what)
    chunks: list[bytes] = []
    size = 0
    async for raw in response.aiter_raw():  # as sent: httpx's own decoding has no bound
        size += len(raw)
        if size > max_body:
            raise _too_large(what, max_body)
        if decoder is None:
            chunks.append(raw)
        elif raw:
            chunks.extend(await asyncio.to_thread(decoder.feed, raw))
    if decoder is not None:
        chunks.extend(await asyncio.to_thread(decoder.finish))
    return b"".join(chunks)


def _decoder_for(header: str, max_body: int, what: str) -> "_Decoder | None":
    """The decoder for a ``Content-Encoding`` value; ``None`` for none or identity."""
    codings = [coding.strip().lower() for coding in header.split(",") if coding.strip()]
    codings = [coding for coding in codings if coding != "identity"]
    if not codings:
        return None
    shown = clean_text(header, 60)
    if len(codings) > 1:
        raise BadPayloadError(
            f"the answer for {what} could not be read: it is compressed more than once ({shown}); refused"
        )
    if codings[0] not in ACCEPTED_ENCODINGS:
        raise BadPayloadError(
            f"the answer for {what} could not be read: it is compressed as {shown!r}, which we did not ask for; refused"
        )
    return _Decoder(codings[0], max_body, what)


class _Decoder:
    """Incremental gzip / deflate decoding that never produces much more than the cap.

    Each :meth:`feed` decodes in steps of at most :data:`DECODE_STEP` output bytes and
    checks the running total after each, so a small body that would expand to gigabytes
    costs at most the cap. Concatenated gzip members are read one after another; a
    ``deflate`` body may be zlib-wrapped (as the standard says) or raw (as some servers send).
    """

    def __init__(self, coding: str, max_body: int, what: str) -> None:
        self.coding = coding
        self.max_body = max_body
        self.what = what
        self.size = 0
        self._fed = False
        self._members = 1
        self._raw_deflate = False
        self._inner = self._new()

    def _new(self):
        if self.coding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if self._raw_deflate else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> list[bytes]:
        out: list[bytes] = []
        self._fed = True
        if not self._members:  # past the end: what follows the last member is ignored
            return out
        while data:
            if self._inner.eof:  # another gzip member follows (or junk after the end)
                if self.coding != "gzip":
                    break
                self._inner = self._new()
                self._members += 1
            try:
                piece = self._inner.decompress(data, DECODE_STEP)
            except zlib.error:
                if self.coding == "deflate" and not self._raw_deflate and self.size == 0:
                    self._raw_deflate = True  # not zlib-wrapped: try raw deflate
                    self._inner = self._new()
                    continue
                if self._members > 1 and not self._inner.eof:  # padding after the last member: ignored
                    self._members = 0
                    break
                raise BadPayloadError(
                    f"the answer for {self.what} could not be read: its {self.coding} compression is damaged"
                ) from None
            self._count(piece)
            out.append(piece)
            data = self._inner.unconsumed_tail or (self._inner.unused_data if self._inner.eof else b"")
        return out

    def finish(self) -> list[bytes]:
        if self._fed and self._members and not self._inner.eof:
            raise BadPayloadError(
                f"the answer for {self.what} could not be read: its {self.coding} compression ends early (cut short)"
            )
        return []

    def _count(self, piece: bytes) -> None:
        self.size += len(piece)
        if self.size > self.max_body:
            raise _too_large(self.what, self.max_body)


PARSE_IN_THREAD_BYTES = 128 * 1024
"""Bodies larger than this are parsed in a worker thread: the board would feel it."""


async def parse_off_loop(parse: Callable[..., T], body: bytes, *args: Any, **kwargs: Any) -> T:
    """``parse(body, *args, **kwargs)``, in a worker thread when ``body`` is large."""
    if len(body) > PARSE_IN_THREAD_BYTES:
        return await asyncio.to_thread(parse, body, *args, **kwargs)
    return parse(body, *args, **kwargs)


def _too_large(what: str, max_body: int) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"the answer for {what} is larger than {max_body // (1024 * 1024)} MiB; refused"
    )


def _raise_for_status(response: httpx.Response, what: str, auth_message: str) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    if status in (401, 403):
        raise AuthError(f"{auth_message} (HTTP {status})", status=status)
    if status == 400:
        raise BadRequestError(
            f"the server called the request for {what} malformed (HTTP 400): check the URL",
            status=status,
        )
    if status == 404:
        raise NotFoundError(f"{what}: not found (HTTP 404): check the URL or id", status=status)
    if status == 429:
        raise RateLimitedError(
            f"the server asked us to slow down for {what} (HTTP 429); {_retry_text(retry_after)}",
            status=status,
            retry_after=retry_after,
        )
    if status == 503:
        raise ServerBusyError(
            f"the server is busy (HTTP 503) answering {what}; {_retry_text(retry_after)}",
            status=status,
            retry_after=retry_after,
        )
    if status >= 500:
        raise ServerError(
            f"the server failed (HTTP {status}) answering {what}; {_retry_text(retry_after)}",
            status=status,
            retry_after=retry_after,
        )
    if 300 <= status < 400:
        raise BadRequestError(
            f"{what}: the server redirected (HTTP {status}); give the final URL instead",
            status=status,
        )
    raise ApiError(f"{what}: unexpected HTTP {status}", status=status)


def _retry_text(retry_after: float | None) -> str:
    return f"retrying in {retry_after:g}s" if retry_after is not None else "retrying"


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    delta = when.timestamp() - (time.time() if now is None else now)
    return min(max(0.0, delta), MAX_RETRY_AFTER)


def _connect_message(error: httpx.ConnectError, what: str, proxy: str = "") -> str:
    causes = list(_causes(error))
    text = " ".join(str(cause).lower() for cause in causes)
    untrusted = next((cause for cause in causes if isinstance(cause, ssl.SSLCertVerificationError)), None)
    if untrusted is not None or "certificate verify failed" in text:
        reason = clean_text(getattr(untrusted, "verify_message", "") or "certificate verify failed", 120)
        return (
            f"the server's certificate is not trusted for {what}: {reason}; if a proxy or TLS inspection "
            "re-signs traffic here, set ca_bundle in the config (or SSL_CERT_FILE) to its CA certificate"
        )
    if any(isinstance(cause, ssl.SSLError) for cause in causes):
        return f"the secure connection (TLS) for {what} failed ({_kind(error)}): check the URL and any proxy"
    if proxy:
        return f"cannot reach the proxy {proxy} for {what}: check HTTPS_PROXY (and NO_PROXY)"
    if any(isinstance(cause, socket.gaierror) for cause in causes) or "name or service not known" in text or "name resolution" in text:
        return f"cannot resolve the host for {what}: check the URL and this machine's DNS (or HTTPS_PROXY, if this network needs a proxy)"
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes) or "refused" in text or "all connection attempts failed" in text:
        return f"connection refused for {what}: is the server running, and is the URL right?"
    return f"cannot connect for {what} ({_kind(error)}): check the network, any proxy, and the URL"


def _causes(error: BaseException):
    seen = 0
    current: BaseException | None = error
    while current is not None and seen < 10:
        yield current
        current = current.__cause__ or current.__context__
        seen += 1


def _kind(error: Exception) -> str:
    return type(error).__name__
