"""Saving and restoring the embedded backend's data, so a restart of the app keeps users and bookings.

The save reads every table while the embedded server admits no other request, so the file is one
consistent moment (a seat is never saved as sold without its booking).
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from services.platform.aws import Aws
from services.platform.embedded import EXCLUSIVE_HEADER, SerializedWsgiApp
from services.platform.schema import ALL_TABLES

FORMAT_VERSION = 1


def save(aws: Aws, server_app: SerializedWsgiApp, path: Path, unless_writes: int | None = None) -> tuple[int, int]:
    """Write every table to ``path`` atomically; returns (items saved, the server's write count saved).

    With ``unless_writes``, nothing is read or written when the server has served exactly that many
    writes: an idle app does not stall every request for a save that would change nothing.
    """
    client = _low_level_client(aws)
    with server_app.exclusive() as token:
        writes = server_app.writes
        if writes == unless_writes:
            return 0, writes

        def add_header(request: Any, **_: Any) -> None:
            request.headers[EXCLUSIVE_HEADER] = token

        client.meta.events.register("before-sign.dynamodb.*", add_header)
        tables = {table.logical_name: _read_table(client, aws.table_name(table)) for table in ALL_TABLES}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"version": FORMAT_VERSION, "tables": tables}, default=_encode_bytes))
    os.replace(temporary, path)  # never leave a half-written data file behind
    return sum(len(items) for items in tables.values()), writes


def restore(aws: Aws, path: Path) -> int:
    """Load a saved file into freshly created tables; returns the number of items restored."""
    if not path.exists():
        return 0
    data = json.loads(path.read_text())
    client = _low_level_client(aws)
    count = 0
    for table in ALL_TABLES:
        items = [_decode_bytes(item) for item in data["tables"].get(table.logical_name, [])]
        name = aws.table_name(table)
        for start in range(0, len(items), 25):
            batch = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            request: dict[str, Any] = {name: batch}
            while request:
                request = client.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
        count += len(items)
    return count


def _low_level_client(aws: Aws) -> Any:
    """A plain DynamoDB client: items stay in DynamoDB's typed JSON, which round-trips exactly."""
    return aws.session.client("dynamodb", endpoint_url=aws.ddb.meta.endpoint_url, config=aws.ddb.meta.config)


def _read_table(client: Any, table_name: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=table_name, ConsistentRead=True):  # scan-ok: backup
        items += page["Items"]
    return items


def _encode_bytes(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return {"__b64__": base64.b64encode(value).decode()}
    raise TypeError(f"cannot save {type(value).__name__}")


def _decode_bytes(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__b64__"}:
            return base64.b64decode(value["__b64__"])
        return {key: _decode_bytes(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_decode_bytes(inner) for inner in value]
    return value
