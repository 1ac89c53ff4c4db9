"""Two app instances on one machine, as the README runs several: a redis-server (Debian's), the shared durable
embedded backend (``python main.py backend``) and two apps on it with ``MOVIEMAGIC_REDIS_URL``."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.app_process import RunningApp, start_app, start_backend
from tests.redis_server import RedisServer


@dataclass
class TwoInstances:
    backend: RunningApp
    apps: list[RunningApp]


@contextlib.contextmanager
def two_instances(on_stop: Callable[[str, RunningApp], None] | None = None,
                  **settings: str) -> Iterator[TwoInstances]:
    """Start everything (apps with ``settings`` as MOVIEMAGIC_* values), stop it all afterwards;
    ``on_stop(name, app)`` sees each app ("a", "b") once it has stopped (e.g. to read its log)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        redis = RedisServer(root / "redis").start()
        backend = start_backend(root / "data", snapshot_seconds="3600")
        apps: list[RunningApp] = []
        try:
            for _ in range(2):
                apps.append(start_app(root / "data", endpoint_url=backend.url, redis_url=redis.url,
                                      snapshot_seconds="3600", **settings))
            yield TwoInstances(backend, apps)
        finally:
            for name, app in zip("ab", apps, strict=False):
                app.stop()
                if on_stop is not None:
                    on_stop(name, app)
            backend.stop()
            redis.stop()
