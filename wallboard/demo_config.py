"""The demo's own views and per-queue targets (``wallboard/demo.toml``).

``wallboard demo`` shows views at once, so a newcomer sees what they are: when the
user's config defines no views, the demo's are used; when it sets no per-queue
thresholds, the demo's are. A user's own always win.
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from importlib import resources

from wallboard.config import Settings, settings_from_mapping

DEMO_CONFIG = "wallboard/demo.toml"


def demo_text() -> str:
    return resources.files("wallboard").joinpath("demo.toml").read_text(encoding="utf-8")


def with_demo_views(settings: Settings) -> Settings:
    """``settings`` with the demo's views and per-queue thresholds where it has none."""
    demo = settings_from_mapping(tomllib.loads(demo_text()), f"the demo config ({DEMO_CONFIG})")
    if not settings.views:
        settings = replace(settings, views=demo.views)
    if not settings.thresholds.queue_rules:
        settings = replace(settings, thresholds=replace(settings.thresholds, queue_rules=demo.thresholds.queue_rules))
    return settings
