"""`wallboard serve`: the page, its websocket and a board per browser session, fed by the
relay inside the serve process (simulator -> relay -> board processes -> browser)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import aiohttp
import pytest

from tests.browser import Browser
from tests.helpers.relay import RELAY_TOKEN, basic as _basic
from wallboard.clients.rtstats import RealtimeClient
from wallboard.credentials.secret import Secret
from wallboard.sim.simulator import Simulator
from wallboard.web.server import ServedFloor
from wallboard.web.sessions import SessionOptions, board_command


@pytest.fixture
def config(tmp_path, monkeypatch):
    """The boards the sessions start read this config (one view, "sales", of every queue),
    not the machine's."""
    path = tmp_path / "config.toml"
    path.write_text('[views.sales]\ntitle = "Sales"\nqueues = ["*"]\n')
    monkeypatch.setenv("WALLBOARD_CONFIG", str(path))
    return path


@pytest.fixture
def live_sim():
    with Simulator(seed=3, agents=12, queues=3) as sim:
        yield sim


async def _floor(sim: Simulator, **options) -> tuple[ServedFloor, RealtimeClient]:
    upstream = RealtimeClient(sim.realtime_url, "demo", "demo")
    floor = ServedFloor(upstream, "demo", **options)
    await floor.start()
    return floor, upstream


async def _screen_text(url: str, seconds: float = 60.0) -> str:
    """Connect as the page's script does and collect the board's output until it shows agents."""
    text = ""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url + "?width=120&height=40") as ws:
            async with asyncio.timeout(seconds):
                while "Agent" not in text or "demo" not in text:
                    message = await ws.receive()
                    if message.type == aiohttp.WSMsgType.BINARY:
                        text += message.data.decode("utf-8", "replace")
                    elif message.type == aiohttp.WSMsgType.TEXT:
                        text += message.data
                    else:
                        break
    return text


def test_session_options_from_the_url_are_checked_and_quoted():
    options = SessionOptions.from_query({"tv": "1", "view": "sales,$(reboot),a b;c,support"})
    assert options == SessionOptions(True, ("sales", "support"))
    assert SessionOptions.from_segment(options.path_segment()) == options
    assert SessionOptions.from_query({}).path_segment() == "-"
    command = board_command(options, "http://127.0.0.1:9/api/rtstats/stats", "acme; rm -rf /", views_supported=True, python="py")
    assert command == "py -m wallboard run --realtime-url http://127.0.0.1:9/api/rtstats/stats --tenant 'acme; rm -rf /' --tv --view sales,support"
    assert "--view" not in board_command(options, "u", "t", views_supported=False)


async def test_the_page_and_its_websocket_show_the_board_fed_by_the_relay(live_sim, config):
    floor, upstream = await _floor(live_sim)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(floor.url + "/?tv=1&view=sales") as page:
                html = await page.text()
            assert page.status == 200
            websocket = f"ws://127.0.0.1:{floor.port}/ws/tv=1;view=sales"
            assert f'data-session-websocket-url="{websocket}"' in html
            async with session.get(floor.url + "/static/js/textual.js") as script:
                assert script.status == 200
        text = await asyncio.gather(_screen_text(websocket), _screen_text(f"ws://127.0.0.1:{floor.port}/ws/-"))
        names = {agent["agent-name"] for agent in __import__("wallboard.sim.rtstats_wire", fromlist=["x"]).agents_wire(live_sim.scenario)}
        for screen in text:
            assert any(name in screen for name in names)  # the simulator's agents, through the relay
        assert floor.server.commands[0].endswith("--tenant demo --tv" + (" --view sales" if floor.views else ""))
        assert RELAY_TOKEN not in " ".join(floor.server.commands) and "demo" not in floor.server.commands[0].split("--tenant")[0]
        # two boards, one relay: every request the simulator saw is the relay's own poll
        assert live_sim.requests["agents"] == floor.relay.poller.requests["agents"]
        assert sum(floor.relay.served.values()) >= 2  # both boards asked the relay
    finally:
        await floor.stop()
        await upstream.aclose()


async def test_off_loopback_the_page_needs_the_tenant_and_relay_token(live_sim, config, tmp_path):
    from tests.relay_certs import make_ca_and_server_cert

    ca, cert, key = make_ca_and_server_cert(tmp_path)
    floor, upstream = await _floor(live_sim, certfile=str(cert), keyfile=str(key), viewer_token=Secret(RELAY_TOKEN))
    try:
        import ssl

        context = ssl.create_default_context(cafile=str(ca))
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context)) as session:
            base = floor.url.replace("127.0.0.1", "localhost")
            async with session.get(base + "/") as anonymous:
                assert anonymous.status == 401 and "Basic" in anonymous.headers["WWW-Authenticate"]
            async with session.get(base + "/", headers={"Authorization": _basic("demo", "wrong")}) as wrong:
                assert wrong.status == 403
            async with session.get(base + "/", headers={"Authorization": _basic("demo", RELAY_TOKEN)}) as page:
                assert page.status == 200 and "wss://localhost:" in await page.text()
            async with session.get(base + "/ws/-") as socket:
                assert socket.status == 401  # the websocket too
    finally:
        await floor.stop()
        await upstream.aclose()


async def test_a_real_browser_shows_the_board(live_sim, config, tmp_path):
    floor, upstream = await _floor(live_sim)
    try:
        async with Browser() as browser:
            await browser.goto(floor.url + "/?tv=1")
            await browser.wait_for("document.body.classList.contains('-first-byte')")  # the board's first bytes
            names = {record.name for record in (await upstream.agents()).result.records}
            shown = "(document.querySelector('.xterm-rows') || document.body).innerText"
            await browser.wait_for(f"{shown}.includes('demo')")
            text = await browser.evaluate(shown)
            assert any(name in text for name in names), text[:500]
            shot = await browser.screenshot(Path(os.environ.get("WALLBOARD_SCREENSHOT_DIR", tmp_path)) / "board-in-browser.png")
            assert shot.stat().st_size > 20_000
    finally:
        await floor.stop()
        await upstream.aclose()


async def test_with_events_the_browsers_boards_get_push_through_the_relay_inside(live_sim, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("[events]\nenabled = true\n")  # no url: the boards find the relay's stream by themselves
    monkeypatch.setenv("WALLBOARD_CONFIG", str(config))
    floor, upstream = await _floor(live_sim, events_url=live_sim.stream_url)
    try:
        text = ""
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(f"ws://127.0.0.1:{floor.port}/ws/-?width=120&height=40") as ws:
                async with asyncio.timeout(60):
                    while "⚡ push" not in text:  # the header says so
                        message = await ws.receive()
                        if message.type not in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                            break
                        text += message.data.decode("utf-8", "replace") if isinstance(message.data, bytes) else message.data
        assert "⚡ push" in text
        assert live_sim.requests["stream"] == 1 and floor.relay.relayed.connections >= 1  # one stream from 8x8, re-served
    finally:
        await floor.stop()
        await upstream.aclose()
