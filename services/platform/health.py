"""Is the app able to serve? A cheap DynamoDB read with an action the app already has."""

from __future__ import annotations

import time
from typing import Any

from services.errors import ServiceUnavailable
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.aws_errors import error_code
from services.platform.schema import USERS


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
