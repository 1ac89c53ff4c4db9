"""Snapshots of the embedded backend: moto's whole in-memory state (DynamoDB, SNS, SQS, S3) in one file.

A snapshot is written from a consistent moment without holding requests: the server forks while it holds
its lock (``services/platform/durable.py``), and the child, a copy-on-write image of that moment, pickles
the state and writes the file while the parent goes on serving. The file records which journal segments it
already contains, so start-up loads it and replays only the newer ones.

The format is moto's own objects, so a snapshot is read only by the moto version that wrote it (moto is
pinned in requirements.txt); another version stops start-up with a clear line instead of guessing.
"""

from __future__ import annotations

import _thread
import base64
import gc
import io
import json
import pickle
import struct
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import moto
from moto.backends import get_backend
from moto.dynamodb.models.dynamo_type import LimitedSizeDict

from services.platform.aws import Aws
from services.platform.private_files import DataFileError, write_private
from services.platform.schema import ALL_TABLES

MAGIC = b"MOVIEMAGIC-SNAPSHOT-1\n"
_HEADER = struct.Struct(">QI")
# What the embedded backend keeps: the app's tables, the topic and subscriptions, the mailbox queues, files.
DURABLE_SERVICES = ("dynamodb", "sns", "sqs", "s3")

State = dict[str, list[tuple[str, str, Any]]]


def capture() -> State:
    """moto's live backends of the durable services, by account and region (no copy: the caller forks)."""
    return {service: list(_backend_dict(service).iter_backends()) for service in DURABLE_SERVICES}


def install(state: State) -> None:
    """Put a loaded snapshot's backends in place of moto's (before the server serves anything)."""
    for service, backends in state.items():
        backend_dict = _backend_dict(service)
        for account, region, backend in backends:
            dict.__setitem__(backend_dict[account], region, backend)


def _backend_dict(service: str) -> Any:
    """moto's ``BackendDict`` of one service (account -> region -> backend)."""
    return get_backend(service)  # type: ignore[call-overload]


def encode(state: State, journal_through: int) -> bytes:
    buffer = io.BytesIO()
    with _no_cyclic_gc():
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(
            {"moto": moto.__version__, "journal_through": journal_through, "state": state}
        )
    payload = buffer.getvalue()
    return MAGIC + _HEADER.pack(len(payload), zlib.crc32(payload)) + payload


def write(path: Path, state: State, journal_through: int) -> None:
    write_private(path, encode(state, journal_through))


def read(path: Path) -> tuple[State, int]:
    """(state, the last journal segment it contains); :class:`DataFileError` for anything unusable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(path, f"cannot be read ({exc.strerror})") from exc
    start = len(MAGIC) + _HEADER.size
    if not data.startswith(MAGIC) or len(data) < start:
        raise DataFileError(path, "is not a Movie Magic snapshot")
    length, crc = _HEADER.unpack_from(data, len(MAGIC))
    payload = data[start : start + length]
    if len(payload) != length or zlib.crc32(payload) != crc:
        raise DataFileError(path, "is damaged (its checksum does not match)")
    try:
        with _no_cyclic_gc():
            content = pickle.loads(payload)
    except Exception as exc:  # a checksum-valid file that does not load: written by other code
        raise DataFileError(path, "cannot be loaded by this version of the app") from exc
    if content.get("moto") != moto.__version__:
        raise DataFileError(
            path, f"was written with moto {content.get('moto')} and this app has moto {moto.__version__}"
        )
    return content["state"], int(content["journal_through"])


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Millions of small objects at once would trigger the cyclic collector again and again, each pass
    walking everything loaded so far (7x slower measured); nothing here makes garbage cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Pickler(pickle.Pickler):
    """moto's queues carry locks; a snapshot stores fresh ones (nothing waits on them at that moment).
    An item's attributes live in a ``LimitedSizeDict`` whose ``__setitem__`` re-measures the whole item:
    loaded key by key (pickle's default) that is quadratic (9 s for 2,000 bookings); built from a plain
    dict in one ``update`` it is linear."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is LimitedSizeDict:
            return LimitedSizeDict, (dict(obj),)
        if isinstance(obj, threading.Condition):
            return threading.Condition, ()
        if type(obj) is _thread.LockType:
            return threading.Lock, ()
        if type(obj) is _thread.RLock:
            return threading.RLock, ()
        return NotImplemented


# The data file of earlier versions (a JSON dump of every table) is imported once, then set aside.
LEGACY_FILE = "embedded-data.json"


def import_legacy_file(aws: Aws, path: Path) -> int:
    """Load an earlier version's data file into the (journaled) tables; returns the items imported."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise DataFileError(path, "cannot be read as an earlier version's data file") from exc
    client = aws.session.client("dynamodb", endpoint_url=aws.ddb.meta.endpoint_url, config=aws.ddb.meta.config)
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


def _decode_bytes(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__b64__"}:
            return base64.b64decode(value["__b64__"])
        return {key: _decode_bytes(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_decode_bytes(inner) for inner in value]
    return value
