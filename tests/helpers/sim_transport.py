"""The simulator served in-process, for tests on the virtual clock: no socket, no thread.

:class:`SimTransport` is an ``httpx`` transport that routes each request to a
:class:`~wallboard.sim.server.SimServer`'s own handlers, counts it and draws its fault
exactly as the loopback server does, and then acts the fault out as the client would
see it over a socket: the same statuses and bodies, and for the faults that live on the
wire (a slow answer, a trickle, a reset, a dropped connection, a huge stream) the same
``httpx`` errors, raised at the same moments on the loop's (virtual) clock. It honours
the request's read timeout as httpcore does, so the client's own deadlines run unchanged.

What it cannot show is the socket itself (keep-alive, connection counts, TLS, proxies):
tests of those talk to the real server on loopback. ``tests/test_sim_transport.py``
checks, fault by fault, that the client sees the same error through this transport as
over loopback, so the two cannot drift apart.
"""

from __future__ import annotations

import asyncio
from typing import AsyncIterator
from urllib.parse import parse_qs

import httpx

from wallboard.sim.server import Request, Response, SimServer
from wallboard.sim.simulator import Simulator

PORT = 9
"""The port an in-process simulator's URLs name (nothing listens there; nothing connects)."""

TRICKLE_GAP = 0.2
"""Seconds between the bytes of a trickled body, as the loopback server sends them."""


class SimTransport(httpx.AsyncBaseTransport):
    def __init__(self, server: SimServer) -> None:
        self.server = server

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        server = self.server
        read_timeout = request.extensions.get("timeout", {}).get("read")
        body = await request.aread()
        path = request.url.path
        route, match = server.route(request.method, path)
        if route is None:
            status = 405 if match else 404
            return _answer(request, Response(status, b'{"error":"not found"}' if status == 404 else b""))
        headers = {name.lower(): value for name, value in request.headers.items()}
        if route.endpoint != "control":
            server.count(route.endpoint, headers)
        query = parse_qs(request.url.query.decode("ascii"), keep_blank_values=True)
        sim_request = Request(request.method, path, query, headers, body, match)
        fault = server.faults.draw(route.endpoint) if route.endpoint != "control" else None
        if fault is not None:
            server.count_fault(fault)
            replaced = await self._fault_before(fault, request, read_timeout)
            if replaced is not None:
                return replaced
        try:
            response = route.handler(sim_request)
        except Exception as error:  # as the loopback server: a simulator bug is a 500
            response = Response(500, f"simulator error: {type(error).__name__}".encode(), "text/plain")
        if fault is not None and response.status == 200:
            return self._fault_after(fault, request, response, read_timeout)
        return _answer(request, response)

    async def _fault_before(self, fault: str, request: httpx.Request, read_timeout: float | None) -> httpx.Response | None:
        plan = self.server.faults
        if fault in ("400", "401", "403", "404", "500"):
            return _answer(request, Response(int(fault), b'{"error":"injected"}'))
        if fault in ("429", "503"):
            headers = {"Retry-After": str(plan.retry_after)}
            return _answer(request, Response(int(fault), b'{"error":"injected"}', headers=headers))
        if fault == "reset":  # the server closed the connection without a word
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        if fault == "slow":
            await _wait_for_bytes(plan.slow_seconds, read_timeout, request)
        return None

    def _fault_after(self, fault: str, request: httpx.Request, response: Response, read_timeout: float | None) -> httpx.Response:
        body = response.body
        if fault == "truncate":
            return _answer(request, Response(200, body[: len(body) // 2], response.content_type))
        if fault == "garbage":
            return _answer(request, Response(200, b"\x00\xffGARBAGE<<{]}not a payload\xfe" * 7, response.content_type))
        if fault == "empty":
            return _answer(request, Response(200, b"", response.content_type))
        if fault == "drop":  # the full length announced, half sent, the connection closed
            stream = _Stream(_dropped(body, request))
            return _answer(request, Response(200, b"", response.content_type), length=len(body), stream=stream)
        if fault == "trickle":
            stream = _Stream(_trickled(body, read_timeout, request))
            return _answer(request, Response(200, b"", response.content_type), length=len(body), stream=stream)
        if fault == "huge":  # 40 MiB in chunks, no length announced
            stream = _Stream(_huge())
            return _answer(request, Response(200, b"", response.content_type), length=None, stream=stream)
        return _answer(request, response)


def transport_for(sim) -> SimTransport | None:
    """The in-process transport to ``sim`` (a :class:`SimServer`, or anything with a
    ``server``, as a :class:`Simulator`) on the virtual-time loop; None (loopback, the
    simulator started) on a real loop or outside one (a snapshot test runs the app on a real loop)."""
    from tests.helpers.virtual_time import VirtualTimeLoop

    try:
        virtual = isinstance(asyncio.get_running_loop(), VirtualTimeLoop)
    except RuntimeError:
        virtual = False
    if not virtual:
        return None
    return SimTransport(sim if isinstance(sim, SimServer) else sim.server)


def in_process(simulator: Simulator) -> SimTransport:
    """A transport to ``simulator`` (not started: it never listens), whose URLs name :data:`PORT`."""
    simulator.server.port = PORT
    return SimTransport(simulator.server)


def _answer(
    request: httpx.Request,
    response: Response,
    *,
    length: int | None | bool = True,
    stream: httpx.AsyncByteStream | None = None,
) -> httpx.Response:
    headers = {"Content-Type": response.content_type, **response.headers}
    if length is True:
        headers["Content-Length"] = str(len(response.body))
    elif length is not None and length is not False:
        headers["Content-Length"] = str(length)
    else:
        headers["Transfer-Encoding"] = "chunked"
    return httpx.Response(response.status, headers=headers, stream=stream or httpx.ByteStream(response.body), request=request)


class _Stream(httpx.AsyncByteStream):
    def __init__(self, chunks: AsyncIterator[bytes]) -> None:
        self._chunks = chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._chunks:
            yield chunk

    async def aclose(self) -> None:
        await self._chunks.aclose()  # type: ignore[attr-defined]


async def _wait_for_bytes(seconds: float, read_timeout: float | None, request: httpx.Request) -> None:
    """Wait ``seconds`` for the next bytes, or raise ``ReadTimeout`` as httpcore would."""
    if read_timeout is not None and seconds > read_timeout:
        await asyncio.sleep(read_timeout)
        raise httpx.ReadTimeout("timed out", request=request)
    await asyncio.sleep(seconds)


async def _dropped(body: bytes, request: httpx.Request) -> AsyncIterator[bytes]:
    yield body[: len(body) // 2]
    raise httpx.RemoteProtocolError(
        f"peer closed connection without sending complete message body: received {len(body) // 2} bytes, "
        f"expected {len(body)}",
        request=request,
    )


async def _trickled(body: bytes, read_timeout: float | None, request: httpx.Request) -> AsyncIterator[bytes]:
    for i in range(len(body)):
        await _wait_for_bytes(TRICKLE_GAP, read_timeout, request)
        yield body[i : i + 1]


async def _huge() -> AsyncIterator[bytes]:
    chunk = b"[" + b"0," * (512 * 1024)
    for _ in range(40):
        yield chunk
