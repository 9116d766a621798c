"""What every wallboard HTTP client shares: limits, identity and error mapping.

* Time: a connect and a read timeout per request, plus an overall deadline, so a server
  that trickles one byte a second cannot hold a poll forever.
* Size: bodies over :data:`MAX_BODY_BYTES` are refused before parsing; a body is read as a
  stream and abandoned the moment it passes the cap.
* Compression: we ask for gzip or deflate and decode it ourselves
  (:mod:`wallboard.clients.decoding`), in a worker thread, bounded by the same cap.
* Errors: every failure becomes a typed :class:`~wallboard.errors.ApiError` whose message
  is one line a supervisor can act on. When the server explains a refusal in its body
  (``{"message": "Invalid 8x8-apikey", "code": "SHA001"}``, OAuth's ``error_description``,
  Spring's ``messages``), its words are shown beside our advice, cleaned to one short line
  with anything that looks like a token cut out, and kept on the error
  (``server_message``, ``server_code``) for clients that know what the codes mean.
* Network: proxies from the standard variables (never for loopback) and certificate
  trust with ``ca_bundle`` (:mod:`wallboard.clients.network`).
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import os
import re
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from typing import Any, Callable, Mapping, TypeVar
from urllib.parse import urlsplit

import httpx

from wallboard import __version__
from wallboard.clients.decoding import ACCEPT_ENCODING, decoder_for, too_large
from wallboard.clients.network import default_ca_bundle, proxy_for, tls_context
from wallboard.core.text import clean_text
from wallboard.errors import (
    ApiError,
    ApiTimeoutError,
    AuthError,
    BadRequestError,
    ConnectionFailedError,
    NotFoundError,
    RateLimitedError,
    ServerBusyError,
    ServerError,
)

MAX_BODY_BYTES = 32 * 1024 * 1024
USER_AGENT = f"wallboard/{__version__} (+terminal wallboard for 8x8 contact centres)"
MAX_RETRY_AFTER = 600.0
ERROR_BODY_BYTES = 8 * 1024
"""Most of an error answer's body read for the server's own explanation."""
SERVER_MESSAGE_LENGTH = 160
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


_Api = TypeVar("_Api", bound="ApiClient")


class ApiClient:
    """What every client of ours does with its one connection pool (``self._client``):
    used as ``async with``, closed once, whatever happened inside."""

    _client: Client

    async def __aenter__(self: _Api) -> _Api:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()


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
    plain = url is not None and urlsplit(url).scheme == "http" and (not proxy or urlsplit(proxy).scheme == "http")
    client = Client(
        auth=auth,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING, **(headers or {})},
        timeout=httpx.Timeout(timeouts.read, connect=timeouts.connect),
        limits=httpx.Limits(max_connections=8, max_keepalive_connections=4, keepalive_expiry=60),
        transport=transport,
        verify=_trusts_nothing() if plain else tls_context(default_ca_bundle() if ca_bundle is None else ca_bundle, env),
        proxy=proxy,
        follow_redirects=False,
        trust_env=False,
    )
    if proxy:
        client.proxy_shown = urlsplit(proxy).netloc.rpartition("@")[2]
    return client


def _trusts_nothing() -> ssl.SSLContext:
    """The TLS context of a client that only ever speaks plain HTTP (a relay on the LAN,
    the simulator): verifying, and trusting no certificate at all, so it could never
    accept one. Loading the public CAs (about 0.1 s of a start) would be for nothing: the
    client follows no redirect, so it never reaches an ``https`` URL."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED and hostname checks, no CA


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
    clock = asyncio.get_running_loop().time  # monotonic, and the one the deadlines below run on
    started = clock()
    try:
        async with asyncio.timeout(timeouts.total):
            async with client.stream(method, url, **kwargs) as response:
                await _raise_for_status(response, what, auth_message)
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
    now = clock()
    return Reply(status, body, headers, now, now - started)


async def _read_capped(response: httpx.Response, max_body: int, what: str) -> bytes:
    """The body, decoded, or :class:`ResponseTooLargeError` as soon as either the bytes
    received or the bytes decoded pass ``max_body``."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_body:
        raise too_large(what, max_body)
    decoder = decoder_for(response.headers.get("content-encoding", ""), max_body, what)
    chunks: list[bytes] = []
    size = 0
    async for raw in response.aiter_raw():  # as sent: httpx's own decoding has no bound
        size += len(raw)
        if size > max_body:
            raise too_large(what, max_body)
        if decoder is None:
            chunks.append(raw)
        elif raw:
            chunks.extend(await asyncio.to_thread(decoder.feed, raw))
    if decoder is not None:
        chunks.extend(await asyncio.to_thread(decoder.finish))
    return b"".join(chunks)


PARSE_IN_THREAD_BYTES = 128 * 1024
"""Bodies larger than this are parsed in a worker thread: the board would feel it."""


async def parse_off_loop(parse: Callable[..., T], body: bytes, *args: Any, **kwargs: Any) -> T:
    """``parse(body, *args, **kwargs)``, in a worker thread when ``body`` is large."""
    if len(body) > PARSE_IN_THREAD_BYTES:
        return await asyncio.to_thread(parse, body, *args, **kwargs)
    return parse(body, *args, **kwargs)


async def _raise_for_status(response: httpx.Response, what: str, auth_message: str) -> None:
    status = response.status_code
    if 200 <= status < 300 or status == 304:  # 304: only ever the answer to our own If-None-Match
        return
    said = await server_says(response)
    error = _status_error(status, response, what, auth_message)
    if said is not None:
        if said.message:
            error.message = f"{error.message}; the server said: {said.describe()}"
            error.args = (error.message,)
        error.server_message, error.server_code = said.message, said.code
    raise error


def _status_error(status: int, response: httpx.Response, what: str, auth_message: str) -> ApiError:
    """Our own words for an HTTP status: what went wrong and what to do."""
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    if status in (401, 403):
        return AuthError(f"{auth_message} (HTTP {status})", status=status)
    if status == 400:
        return BadRequestError(
            f"the server called the request for {what} malformed (HTTP 400): check the URL",
            status=status,
        )
    if status == 404:
        return NotFoundError(f"{what}: not found (HTTP 404): check the URL or id", status=status)
    if status == 429:
        return RateLimitedError(
            f"the server asked us to slow down for {what} (HTTP 429); {_retry_text(retry_after)}",
            status=status,
            retry_after=retry_after,
        )
    if status == 503:
        return ServerBusyError(
            f"the server is busy (HTTP 503) answering {what}; {_retry_text(retry_after)}",
            status=status,
            retry_after=retry_after,
        )
    if status >= 500:
        return ServerError(
            f"the server failed (HTTP {status}) answering {what}; {_retry_text(retry_after)}",
            status=status,
            retry_after=retry_after,
        )
    if 300 <= status < 400:
        return BadRequestError(
            f"{what}: the server redirected (HTTP {status}); give the final URL instead",
            status=status,
        )
    return ApiError(f"{what}: unexpected HTTP {status}", status=status)


@dataclass(frozen=True, slots=True)
class ServerSays:
    """The server's own explanation of a refusal: its message and its code, cleaned.

    A body with a code alone (``{"error": "invalid_client"}``) has no message: the code
    is kept for clients that know it, but a bare code is not shown to people."""

    message: str
    code: str = ""

    def describe(self) -> str:
        """``"Invalid 8x8-apikey" (SHA001)``: quoted, so it reads as the server's words."""
        return f'"{self.message}"' + (f" ({self.code})" if self.code and self.code != self.message else "")


async def server_says(response: httpx.Response) -> ServerSays | None:
    """The explanation in an error answer's body, if it is JSON that carries one.

    At most :data:`ERROR_BODY_BYTES` are read (and decoded, for gzip or deflate, to no
    more than that); anything else is ignored, as is any failure reading it.
    """
    try:
        raw = bytearray()
        async for chunk in response.aiter_raw():
            raw += chunk
            if len(raw) >= ERROR_BODY_BYTES:
                break
    except (httpx.HTTPError, OSError):
        return None
    body = _decoded(bytes(raw[:ERROR_BODY_BYTES]), response.headers.get("content-encoding", ""))
    return read_server_says(body) if body else None


def _decoded(raw: bytes, encoding: str) -> bytes | None:
    coding = encoding.strip().lower()
    if coding in ("", "identity"):
        return raw
    if coding in ("gzip", "x-gzip", "deflate"):
        try:  # wbits 47: gzip or zlib framing; max_length bounds what a bomb could expand to
            return zlib.decompressobj(47).decompress(raw, ERROR_BODY_BYTES)
        except zlib.error:
            return None
    return None


def read_server_says(body: bytes | str) -> ServerSays | None:
    """The message and code of a JSON error body in the shapes 8x8's services use.

    ``{"message", "code"}`` (API gateway), ``{"error", "error_description"}`` (OAuth),
    ``{"messages": [...]}`` (Spring), ``{"detail"}`` / ``{"title"}`` (problem+json).
    """
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict):
        return None

    def texts(*keys: str) -> list[str]:
        found = []
        for key in keys:
            value = document.get(key)
            items = value if isinstance(value, list) else [value]
            found.extend(item for item in items[:3] if isinstance(item, (str, int)) and not isinstance(item, bool))
        return [str(item) for item in found if str(item).strip()]

    messages = texts("message", "messages", "error_description", "detail", "title")
    codes = texts("code", "error")
    message = _safe("; ".join(messages)) if messages else ""
    code = _safe(codes[0], 40) if codes else ""
    return ServerSays(message, code) if message or code else None


_SECRET_LOOKING = re.compile(
    r"(?i:bearer)\s+\S+|(?i:basic)\s+[A-Za-z0-9+/]{8,}=*"  # an Authorization value
    r"|eyJ[\w-]+(?:\.[\w-]+){1,2}"  # a JWT
    r"|(?=[\w+/=.-]*\d)(?=[\w+/=.-]*[A-Za-z])[\w+/=.-]{24,}"  # a long opaque key or token
)


def _safe(text: str, limit: int = SERVER_MESSAGE_LENGTH) -> str:
    """One short line of the server's words, with anything that looks like a secret cut out."""
    cleaned = clean_text(text, max_length=4 * limit)
    cleaned = _SECRET_LOOKING.sub("…", cleaned)
    cleaned = cleaned.replace('"', "'")
    return clean_text(cleaned, max_length=limit)


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
