"""The embedded backend: moto's server in-process on 127.0.0.1, spoken to over HTTP exactly like AWS.

moto's DynamoDB has no locking of its own (a failing transaction running beside other writes was
measured to erase some of them), so this server admits one request at a time. Nothing may block
inside a request for that reason (no long polling, no huge pages).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import BaseWSGIServer, make_server

# A request carrying this header with the current token passes while a snapshot holds the server.
EXCLUSIVE_HEADER = "x-moviemagic-exclusive"
# DynamoDB operations that change nothing: every other DynamoDB request counts as a write.
_DYNAMODB_READS = frozenset(
    {
        "GetItem",
        "BatchGetItem",
        "Query",
        "Scan",  # scan-ok: an operation name to recognise, not a call
        "TransactGetItems",
        "DescribeTable",
        "DescribeTimeToLive",
        "ListTables",
        "DescribeContinuousBackups",
        "ListTagsOfResource",
        "DescribeEndpoints",
    }
)


class SerializedWsgiApp:
    """Runs one request at a time, fully (the response body is produced inside the lock)."""

    def __init__(self, app: Any) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._exclusive_token: str | None = None
        # DynamoDB writes served so far: a snapshot is skipped when nothing changed since the last one.
        self.writes = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target.startswith("DynamoDB_") and target.rsplit(".", 1)[-1] not in _DYNAMODB_READS:
            self.writes += 1  # counted before the request runs, so a snapshot never misses it
        token = environ.get("HTTP_" + EXCLUSIVE_HEADER.upper().replace("-", "_"))
        if token and token == self._exclusive_token:
            # The exclusive holder already owns the lock and sends one request at a time itself.
            return list(self._app(environ, start_response))
        with self._lock:
            return list(self._app(environ, start_response))

    @contextmanager
    def exclusive(self) -> Iterator[str]:
        """Hold off every other request; yields the token whose requests may still pass."""
        with self._lock:
            self._exclusive_token = secrets.token_hex(16)
            try:
                yield self._exclusive_token
            finally:
                self._exclusive_token = None


class EmbeddedServer:
    """moto's server on a random loopback port, behind :class:`SerializedWsgiApp`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = SerializedWsgiApp(DomainDispatcherApplication(create_backend_app))
        self._server: BaseWSGIServer = make_server(
            host, port, self.app, threaded=True, request_handler=MotoRequestHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, name="embedded-aws", daemon=True)

    @property
    def endpoint_url(self) -> str:
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)  # an IPv4/IPv6 server's address, never a Unix socket's bytes
        return f"http://{host}:{port}"

    def start(self) -> str:
        self._thread.start()
        return self.endpoint_url

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
