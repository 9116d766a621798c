"""A small HTTP/1.1 server on loopback that routes requests to simulator handlers.

Built on the standard library's threading HTTP server: real sockets, real keep-alive,
real Content-Length, so clients are tested exactly as they talk to 8x8. Routes are
registered by API modules (real-time statistics, Work Analytics) and each may be subject
to injected faults. Every request is counted, so tests can assert how hard a client hit it.
"""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterable
from urllib.parse import parse_qs, urlsplit

from wallboard.sim.faults import FaultPlan, FaultSpecError
from wallboard.urls import is_loopback


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    match: re.Match[str] | None = None

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default


@dataclass(slots=True)
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request], Response]


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    endpoint: str  # the fault target and request counter name
    handler: Handler


class SimServer:
    """Serves registered routes on a loopback port until :meth:`stop`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, faults: FaultPlan | None = None) -> None:
        if not is_loopback(host):
            raise ValueError(f"the simulator listens on loopback only, not {host!r}")
        self.host = host
        self.port = port
        self.faults = faults or FaultPlan()
        self.routes: list[Route] = []
        self.requests: Counter[str] = Counter()
        self.connections = 0
        self.last_headers: dict[str, dict[str, str]] = {}
        self.faults_applied: Counter[str] = Counter()
        self._counter_lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.websockets: list[tuple[re.Pattern[str], Callable]] = []
        self.add_route("GET", r"/_sim/stats", "control", self._stats)
        self.add_route("POST", r"/_sim/faults", "control", self._set_faults)

    def add_websocket(self, pattern: str, serve: Callable) -> None:
        """A path whose GET with ``Upgrade: websocket`` hands the connection to ``serve(handler,
        headers, path, query, match)``, which owns it until it returns (the event stream)."""
        self.websockets.append((re.compile(pattern + r"\Z"), serve))

    def add_route(self, method: str, pattern: str, endpoint: str, handler: Handler) -> None:
        self.routes.append(Route(method, re.compile(pattern + r"\Z"), endpoint, handler))

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> str:
        """Start serving in a background thread; returns ``http://host:port``."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        server_class = type("_Server", (ThreadingHTTPServer,), {"address_family": family, "handle_error": _handle_error})
        server_class.daemon_threads = True
        server_class.block_on_close = False
        self._httpd = server_class((self.host, self.port), _make_handler(self))
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="wallboard-sim", daemon=True
        )
        self._thread.start()
        return self.url

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def serve_forever(self) -> None:
        """Block until interrupted (used by ``wallboard simulate``)."""
        if self._thread is None:
            self.start()
        try:
            while not self._stopping.wait(0.5):
                pass
        finally:
            self.stop()

    def __enter__(self) -> "SimServer":
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def sleep(self, seconds: float) -> bool:
        """Wait ``seconds`` unless the server stops first; True if it is stopping."""
        return self._stopping.wait(seconds)

    # --- bookkeeping --------------------------------------------------------------------

    def count(self, endpoint: str, headers: dict[str, str] | None = None) -> None:
        with self._counter_lock:
            self.requests[endpoint] += 1
            if headers is not None:
                self.last_headers[endpoint] = headers

    def count_connection(self) -> None:
        with self._counter_lock:
            self.connections += 1

    def count_fault(self, kind: str) -> None:
        with self._counter_lock:
            self.faults_applied[kind] += 1

    def reset_counts(self) -> None:
        with self._counter_lock:
            self.requests.clear()
            self.faults_applied.clear()

    def _stats(self, request: Request) -> Response:
        with self._counter_lock:
            payload = {"requests": dict(self.requests), "faults": dict(self.faults_applied), "spec": self.faults.describe()}
        return Response(200, json.dumps(payload).encode())

    def _set_faults(self, request: Request) -> Response:
        try:
            self.faults = FaultPlan.parse(request.body.decode("utf-8", "replace"), seed=self.faults.next_seed())
        except FaultSpecError as error:
            return Response(400, str(error).encode(), "text/plain")
        return Response(200, self.faults.describe().encode(), "text/plain")

    def route(self, method: str, path: str) -> tuple[Route, re.Match[str]] | tuple[None, bool]:
        path_matched = False
        for route in self.routes:
            match = route.pattern.match(path)
            if match:
                if route.method == method:
                    return route, match
                path_matched = True
        return None, path_matched


def _handle_error(self: ThreadingHTTPServer, request: object, client_address: object) -> None:
    """A client that hung up (reset, broken pipe, timeout) is normal, not a traceback."""
    if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
        return
    ThreadingHTTPServer.handle_error(self, request, client_address)  # type: ignore[arg-type]


def _make_handler(server: SimServer) -> type[BaseHTTPRequestHandler]:
    class SimHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "wallboard-sim"

        def log_message(self, format: str, *args: object) -> None:  # quiet by default
            pass

        def setup(self) -> None:
            super().setup()
            server.count_connection()

        def do_GET(self) -> None:
            self._dispatch("GET")

        def do_POST(self) -> None:
            self._dispatch("POST")

        def _dispatch(self, method: str) -> None:
            parts = urlsplit(self.path)
            if method == "GET" and self.headers.get("Upgrade", "").lower() == "websocket" and self._upgrade(parts):
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(min(length, 1 << 20)) if length else b""
            route, match = server.route(method, parts.path)
            if route is None:
                status = 405 if match else 404
                self._send(Response(status, b'{"error":"not found"}' if status == 404 else b""))
                return
            headers = {k.lower(): v for k, v in self.headers.items()}
            if route.endpoint != "control":
                server.count(route.endpoint, headers)
            request = Request(method, parts.path, parse_qs(parts.query, keep_blank_values=True), headers, body, match)
            fault = server.faults.draw(route.endpoint) if route.endpoint != "control" else None
            if fault is not None:
                server.count_fault(fault)
                if self._fault_before(fault):
                    return
            try:
                response = route.handler(request)
            except Exception as error:  # a simulator bug must not kill the connection thread
                response = Response(500, f"simulator error: {type(error).__name__}".encode(), "text/plain")
            if fault is not None and response.status == 200:
                self._fault_after(fault, response)
            else:
                self._send(response)

        def _upgrade(self, parts) -> bool:
            for pattern, serve in server.websockets:
                match = pattern.match(parts.path)
                if match:
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    server.count("stream", headers)
                    self.close_connection = True
                    serve(self, headers, parts.path, parse_qs(parts.query, keep_blank_values=True), match)
                    return True
            return False

        def _fault_before(self, fault: str) -> bool:
            """Faults that replace the answer entirely; True when handled."""
            plan = server.faults
            if fault in ("400", "401", "403", "404", "500"):
                self._send(Response(int(fault), b'{"error":"injected"}'))
                return True
            if fault in ("429", "503"):
                self._send(Response(int(fault), b'{"error":"injected"}', headers={"Retry-After": str(plan.retry_after)}))
                return True
            if fault == "reset":
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return True
            if fault == "slow":
                if server.sleep(plan.slow_seconds):
                    return True
            return False

        def _fault_after(self, fault: str, response: Response) -> None:
            body = response.body
            if fault == "truncate":
                self._send(Response(200, body[: len(body) // 2], response.content_type))
            elif fault == "drop":
                self._send_headers(200, response.content_type, len(body), {})
                self._write(body[: len(body) // 2])
                self.close_connection = True
            elif fault == "garbage":
                self._send(Response(200, b"\x00\xffGARBAGE<<{]}not a payload\xfe" * 7, response.content_type))
            elif fault == "empty":
                self._send(Response(200, b"", response.content_type))
            elif fault == "trickle":
                self._send_headers(200, response.content_type, len(body), {})
                for i in range(len(body)):
                    if server.sleep(0.2) or not self._write(body[i : i + 1]):
                        break
                self.close_connection = True
            elif fault == "huge":
                self._stream_huge(response.content_type)
            else:
                self._send(response)

        def _stream_huge(self, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"[" + b"0," * (512 * 1024)
            for _ in range(40):
                if not self._write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"):
                    break
            self._write(b"0\r\n\r\n")
            self.close_connection = True

        def _send_headers(self, status: int, content_type: str, length: int, headers: dict[str, str]) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(length))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()

        def _send(self, response: Response) -> None:
            try:
                self._send_headers(response.status, response.content_type, len(response.body), response.headers)
                self._write(response.body)
            except OSError:
                self.close_connection = True

        def _write(self, data: bytes) -> bool:
            try:
                self.wfile.write(data)
                self.wfile.flush()
                return True
            except OSError:
                self.close_connection = True
                return False

    return SimHandler


def iter_routes(server: SimServer) -> Iterable[str]:
    """Human-readable list of routes (for ``wallboard simulate`` start-up output)."""
    for route in server.routes:
        if route.endpoint != "control":
            yield f"{route.method} {route.pattern.pattern.removesuffix(chr(92) + 'Z')}"
