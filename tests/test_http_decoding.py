"""Compressed answers from hostile loopback servers: decoded within the cap, off the loop.

A server may answer with ``Content-Encoding`` it was never asked for, stack two
(``gzip, gzip``: a 1.8 KB body that expands to gigabytes), or send a bomb in a single
layer. The shared ``fetch()`` must refuse the first two, stop the third as soon as the
decoded bytes pass the cap (having produced little more than the cap), and decode
everything in a worker thread so the board's event loop never waits on it.
"""

from __future__ import annotations

import gzip
import json
import threading
import tracemalloc
import zlib

import pytest

from wallboard.clients import decoding
from wallboard.clients.http import Timeouts
from wallboard.clients.rtstats import RealtimeClient
from wallboard.errors import BadPayloadError, ResponseTooLargeError
from wallboard.sim.server import Response, SimServer

TIMEOUTS = Timeouts(connect=10, read=20, total=30)  # long: a busy machine is slow, never a timeout
CAP = 2 * 1024 * 1024
AGENTS = {"agent": [{"agent-id": f"a{i}", "agent-name": f"Agent {i}", "agent-status": 1} for i in range(50)]}
QUEUES = {"queue": [{"queue-id": "1", "queue-name": "Sales"}]}


def bomb(decoded_mib: int) -> bytes:
    """A gzip body of a few KB that decodes to ``decoded_mib`` MiB of spaces."""
    return gzip.compress(b" " * (decoded_mib * 1024 * 1024), compresslevel=9)


class Server(SimServer):
    """Answers ``/agents.json`` with a fixed body and headers; records what it was asked."""

    def __init__(self, body: bytes, headers: dict[str, str]) -> None:
        super().__init__()
        self.asked: dict[str, str] = {}

        def agents(request):
            self.asked = request.headers
            return Response(200, body, headers=headers)

        self.add_route("GET", r"/api/rtstats/stats/agents\.json", "agents", agents)


async def fetch_agents(body: bytes, headers: dict[str, str], cap: int = CAP):
    with Server(body, headers) as server:
        async with RealtimeClient(server.url + "/api/rtstats/stats", "t", "x", timeouts=TIMEOUTS, max_body=cap) as client:
            return await client.agents(), server.asked


async def test_we_ask_for_gzip_and_deflate_only_and_decode_both():
    plain = json.dumps(AGENTS).encode()
    deflated = zlib.compress(plain)
    raw_deflate = zlib.compressobj(wbits=-15)
    raw = raw_deflate.compress(plain) + raw_deflate.flush()
    for body, coding in ((gzip.compress(plain), "gzip"), (deflated, "deflate"), (raw, "deflate"), (plain, "identity")):
        fetched, asked = await fetch_agents(body, {"Content-Encoding": coding})
        assert len(fetched.result.records) == 50, coding
    assert asked["accept-encoding"] == "gzip, deflate"
    # two gzip members one after the other are one body (RFC 1952)
    half = len(plain) // 2
    fetched, _ = await fetch_agents(gzip.compress(plain[:half]) + gzip.compress(plain[half:]), {"Content-Encoding": "gzip"})
    assert len(fetched.result.records) == 50


async def test_stacked_encodings_are_refused():
    """The issue's 1.8 KB ``gzip, gzip`` body: refused for what it is, not decoded."""
    body = gzip.compress(bomb(64))
    assert len(body) < 4096
    with pytest.raises(BadPayloadError, match=r"compressed more than once \(gzip, gzip\); refused"):
        await fetch_agents(body, {"Content-Encoding": "gzip, gzip"})


@pytest.mark.parametrize("coding", ["br", "zstd", "compress", "x-evil"])
async def test_an_encoding_we_did_not_ask_for_is_refused(coding):
    with pytest.raises(BadPayloadError, match=rf"compressed as '{coding}', which we did not ask for"):
        await fetch_agents(b"whatever", {"Content-Encoding": coding})


async def test_a_gzip_bomb_stops_at_the_cap_having_produced_little_more():
    """64 MiB of spaces in 64 KB of gzip against a 2 MiB cap: refused, and at no moment
    were more than a few MiB held (httpx's own decoder would expand the whole chunk)."""
    body = bomb(64)
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLargeError, match="larger than 2 MiB"):
            await fetch_agents(body, {"Content-Encoding": "gzip"})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * CAP, f"{peak / 2**20:.1f} MiB held while decoding"


async def test_a_damaged_or_cut_short_compressed_body_is_a_bad_answer():
    whole = gzip.compress(json.dumps(AGENTS).encode())
    with pytest.raises(BadPayloadError, match="gzip compression ends early"):
        await fetch_agents(whole[: len(whole) // 2], {"Content-Encoding": "gzip"})
    with pytest.raises(BadPayloadError, match="gzip compression is damaged"):
        await fetch_agents(b"\x1f\x8b" + b"\xff" * 64, {"Content-Encoding": "gzip"})


async def test_decoding_happens_off_the_event_loop(monkeypatch):
    threads: set[int] = set()
    feed = decoding.Decoder.feed

    def recording_feed(self, data):
        threads.add(threading.get_ident())
        return feed(self, data)

    monkeypatch.setattr(decoding.Decoder, "feed", recording_feed)
    fetched, _ = await fetch_agents(gzip.compress(json.dumps(AGENTS).encode()), {"Content-Encoding": "gzip"})
    assert len(fetched.result.records) == 50
    assert threads and threading.get_ident() not in threads
