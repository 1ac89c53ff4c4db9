"""Is the app able to serve? A cheap DynamoDB read with an action the app already has, and the commit
that is running (deploy/release.sh writes REVISION into each release; it waits for /healthz to name it).

``/healthz`` is public (CloudFront, the release script, an uptime monitor) and may be called often, so it
answers from a result at most ``max_age`` seconds old: however many requests come, DynamoDB is read at
most once per window. The fresh, detailed check (``deep``) is served only to loopback (nginx refuses
it from outside; see api/__init__.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from services.errors import ServiceUnavailable
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.aws_errors import error_code
from services.platform.schema import USERS

APP_ROOT = Path(__file__).resolve().parents[2]


def check(aws: Aws) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        # A GetItem of a key that never exists: proves the table is reachable and readable.
        dynamo.get_item(aws.table(USERS), {"email": "healthcheck@invalid"}, ProjectionExpression="email")
    except ServiceUnavailable as exc:
        cause = exc.__cause__ or exc
        return {"status": "unavailable", "dynamodb": "unreachable", "error": type(cause).__name__,
                "code": error_code(cause)}
    return {"status": "ok", "dynamodb": "ok", "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


def deployed_commit(root: Path = APP_ROOT) -> str | None:
    """The commit of this release (REVISION, written by deploy/release.sh); None in a development checkout."""
    try:
        return (root / "REVISION").read_text().strip() or None
    except OSError:
        return None


class HealthCheck:
    """The cached public answer and the fresh deep one, both naming the running commit."""

    def __init__(self, aws: Aws, *, max_age: float = 10.0, monotonic: Callable[[], float] = time.monotonic,
                 root: Path = APP_ROOT) -> None:
        self._aws = aws
        self._max_age = max_age
        self._monotonic = monotonic
        self._commit = deployed_commit(root)
        self._lock = threading.Lock()
        self._last: tuple[float, dict[str, Any]] | None = None

    def summary(self) -> dict[str, Any]:
        """Status, DynamoDB ok or not, commit; DynamoDB read at most once per ``max_age`` seconds."""
        with self._lock:  # concurrent callers wait for the one check instead of each running their own
            now = self._monotonic()
            if self._last is None or now - self._last[0] >= self._max_age:
                self._last = (now, check(self._aws))
            result = self._last[1]
        return {"status": result["status"], "dynamodb": result["dynamodb"], "commit": self._commit}

    def deep(self) -> dict[str, Any]:
        """A fresh check with its latency or error (for health checkers on the instance)."""
        result = check(self._aws)
        with self._lock:
            self._last = (self._monotonic(), result)
        return result | {"commit": self._commit}
