"""Is the app able to serve? A cheap DynamoDB read with an action the app already has."""

from __future__ import annotations

import time
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from services.platform.aws import Aws
from services.platform.schema import USERS


def check(aws: Aws) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        # A GetItem of a key that never exists: proves the table is reachable and readable.
        aws.table(USERS).get_item(Key={"email": "healthcheck@invalid"}, ProjectionExpression="email")
    except (ClientError, BotoCoreError) as exc:
        return {"status": "unavailable", "dynamodb": "unreachable", "error": type(exc).__name__}
    return {"status": "ok", "dynamodb": "ok", "latency_ms": round((time.perf_counter() - started) * 1000, 1)}
