"""The simulator as one object: a scenario, a loopback HTTP server and its API routes.

Work Analytics endpoints are installed beside the real-time ones by their own module
(:mod:`wallboard.sim.analytics`); this class only wires the pieces together and reports
where they listen.
"""

from __future__ import annotations

import time
from typing import Callable
from zoneinfo import ZoneInfo

from wallboard.sim.analytics import (
    ANALYTICS_PATH,
    DEMO_API_KEY,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    AnalyticsEndpoints,
)
from wallboard.sim.analytics_calls import AnalyticsData
from wallboard.sim.ccrealtime import CcRealtimeEndpoints
from wallboard.sim.faults import FaultPlan
from wallboard.sim.stream import STREAM_PATH, EventStream, demo_keys
from wallboard.sim.rtstats import RealtimeEndpoints
from wallboard.sim.scenario import RealtimeScenario
from wallboard.sim.server import SimServer
from wallboard.urls import CC_REALTIME_PATH, REALTIME_PATH

DEMO_TENANT = "demo"
DEMO_TOKEN = "demo"


class Simulator:
    """Start with :meth:`start` (or ``with Simulator(...) as sim:``); stop with :meth:`stop`."""

    def __init__(
        self,
        *,
        seed: int = 1,
        agents: int = 40,
        queues: int = 8,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: FaultPlan | str | None = None,
        tenant: str = DEMO_TENANT,
        token: str = DEMO_TOKEN,
        cycle: float = 10.0,
        phase: float | None = None,
        clock: Callable[[], float] = time.time,
        hostile: bool = False,
        token_expiry: float = 1800,
        cc_token_expiry: float = 1799,
        tenant_info: str = "",
        percent_scale: str = "fraction",
        stream_events: bool = True,
        timezone: str = "UTC",
    ) -> None:
        plan = faults if isinstance(faults, FaultPlan) else FaultPlan.parse(faults, seed=seed)
        self.scenario = RealtimeScenario(
            seed, agents, queues, cycle=cycle, phase=phase, clock=clock, hostile=hostile, zone=ZoneInfo(timezone)
        )
        self.server = SimServer(host, port, plan)
        self.realtime = RealtimeEndpoints(self.scenario, tenant, token)
        self.realtime.install(self.server)
        self.analytics = AnalyticsEndpoints(
            AnalyticsData(self.scenario),
            clock,
            api_key=DEMO_API_KEY,
            username=DEMO_USERNAME,
            password=DEMO_PASSWORD,
            token_expiry=token_expiry,
        )
        self.analytics.install(self.server)
        self.cc_realtime = CcRealtimeEndpoints(
            self.scenario, token_expiry=cc_token_expiry, tenant_info=tenant_info, percent_scale=percent_scale, clock=clock
        )
        self.cc_realtime.install(self.server)
        self.stream = EventStream(
            self.scenario, tenant, demo_keys(tenant, token, DEMO_API_KEY, self.cc_realtime.valid), clock, stream_events
        )
        self.server.add_websocket(
            STREAM_PATH, lambda handler, headers, path, query, match: self.stream.serve(handler, headers, path, query, match["tenant"])
        )

    @property
    def faults(self) -> FaultPlan:
        return self.server.faults

    @faults.setter
    def faults(self, plan: FaultPlan | str | None) -> None:
        self.server.faults = plan if isinstance(plan, FaultPlan) else FaultPlan.parse(plan, seed=self.scenario.seed)

    @property
    def requests(self):
        """Requests served so far, counted per endpoint (``agents``, ``queues``, ...)."""
        return self.server.requests

    @property
    def realtime_url(self) -> str:
        return self.server.url + REALTIME_PATH

    @property
    def analytics_url(self) -> str:
        """The Work Analytics base URL (key ``demo``, user ``demo``, password ``demo``)."""
        return self.server.url + ANALYTICS_PATH

    @property
    def cc_realtime_url(self) -> str:
        """The Contact Center Real-time Metrics (v5) base URL (key ``demo``, secret ``demo``)."""
        return self.server.url + CC_REALTIME_PATH

    @property
    def stream_url(self) -> str:
        """The event stream (``ws://``; keys: ``demo``, a v5 access token, or base64 ``demo:demo``)."""
        return "ws" + self.server.url.removeprefix("http") + f"/ws/v2/reader/persistent/{self.realtime.tenant}/event-v1/all"

    def start(self) -> "Simulator":
        self.server.start()
        return self

    def stop(self) -> None:
        self.stream.stop()
        self.server.stop()

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def __enter__(self) -> "Simulator":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
