"""Headless Chromium driven over the DevTools protocol (aiohttp's websocket client):
load a page, wait for a condition in it, take a screenshot. Tests skip without Chromium."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import aiohttp
import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")


def chromium_path() -> str | None:
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


class Browser:
    """One headless Chromium with one page; ``async with Browser() as page: ...``.

    WebGL is off, so xterm.js (textual-serve's terminal) draws with its DOM renderer, whose
    text a test can read (``.xterm-rows``); the screenshot looks the same.
    """

    def __init__(self, width: int = 1600, height: int = 900) -> None:
        path = chromium_path()
        if path is None:
            pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does)")
        self.path, self.width, self.height = path, width, height
        self._ids = itertools.count(1)

    async def __aenter__(self) -> "Browser":
        self._profile = tempfile.TemporaryDirectory(prefix="wallboard-chromium-")
        self.process = subprocess.Popen(
            [self.path, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-3d-apis", "--no-first-run", "--disable-extensions",
             f"--window-size={self.width},{self.height}", "--remote-debugging-port=0",
             f"--user-data-dir={self._profile.name}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        port_file = Path(self._profile.name) / "DevToolsActivePort"
        async with asyncio.timeout(30):
            while not port_file.exists() or not port_file.read_text().strip():
                await asyncio.sleep(0.1)
        port = port_file.read_text().split()[0]
        self.session = aiohttp.ClientSession()
        async with self.session.get(f"http://127.0.0.1:{port}/json/list") as answer:
            targets = await answer.json(content_type=None)
        page = next(target for target in targets if target.get("type") == "page")
        self.ws = await self.session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.ws.close()
        await self.session.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._profile.cleanup()

    async def call(self, method: str, **params):
        ident = next(self._ids)
        await self.ws.send_str(json.dumps({"id": ident, "method": method, "params": params}))
        async for message in self.ws:
            data = json.loads(message.data)
            if data.get("id") == ident:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                return data.get("result", {})
        raise RuntimeError("the browser went away")

    async def goto(self, url: str) -> None:
        await self.call("Page.navigate", url=url)

    async def evaluate(self, expression: str):
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def wait_for(self, expression: str, timeout: float = 60.0) -> None:
        async with asyncio.timeout(timeout):
            while not await self.evaluate(expression):
                await asyncio.sleep(0.2)

    async def screenshot(self, path: Path) -> Path:
        result = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(result["data"]))
        return path
