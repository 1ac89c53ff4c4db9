"""The embedded backend: moto's server on loopback, spoken to over HTTP exactly like AWS.

moto is not thread-safe (a failing transaction running beside other writes erased some of them; several
app processes on one bare moto server sold seats twice), so this server admits one request at a time.
Nothing may block inside a request for that reason (no long polling, no huge pages).

With a journal attached (``services/platform/durable.py``), every successful mutating request is appended
inside that one-at-a-time section (so in the order the requests ran) and fsynced before its response
leaves (group commit: see ``services/platform/journal.py``): what a client was told succeeded is on disk.
Each such request runs with a fresh random seed for moto's id generator, recorded with it, so replaying
the journal regenerates the same SNS/SQS ids.
"""

from __future__ import annotations

import io
import json
import secrets
import sys
import threading
import urllib.parse
from collections.abc import Iterable
from typing import Any

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wsgi import get_input_stream

from services.platform import moto_engine
from services.platform.journal import Journal, Record
from services.platform.logs import log_event
from services.platform.snapshot import DURABLE_SERVICES

# Operation names that change nothing (DynamoDB, SNS, SQS all name their reads so).
_READ_PREFIXES = (
    "Get", "List", "Describe", "Query", "Scan",  # scan-ok: operation names to recognise, not calls
    "BatchGet", "TransactGet", "Check", "Head",
)
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# What a request needs to run again: its line, its headers. Connection details are not needed.
_KEPT_ENVIRON = ("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "CONTENT_TYPE", "REQUEST_URI",
                 "RAW_URI", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL")
_DROPPED_HEADERS = frozenset({"HTTP_TRANSFER_ENCODING", "HTTP_CONNECTION", "HTTP_KEEP_ALIVE"})


def operation(environ: dict[str, Any], body: bytes) -> str:
    """The AWS operation a request asks for ('' for REST-style requests such as S3's)."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        return str(target).rsplit(".", 1)[-1]
    for source in (environ.get("QUERY_STRING", ""), body[:4096].decode("latin-1") if _is_form(environ) else ""):
        action = urllib.parse.parse_qs(source).get("Action")
        if action:
            return action[0]
    return ""


def service_of(environ: dict[str, Any]) -> str:
    """The service a signed request is for, from its SigV4 credential scope ('' when unsigned)."""
    try:
        scope = str(environ.get("HTTP_AUTHORIZATION", "")).split(",")[0].split()[1]
        return scope.split("/")[3].lower()
    except IndexError:
        return ""


def is_mutating(environ: dict[str, Any], body: bytes) -> bool:
    """Might this request change what the durable services keep? Reads are named so; others count."""
    if service_of(environ) not in DURABLE_SERVICES:
        return False
    name = operation(environ, body)
    if name:
        return not name.startswith(_READ_PREFIXES)
    return environ.get("REQUEST_METHOD", "GET") not in _READ_METHODS


def _is_form(environ: dict[str, Any]) -> bool:
    return str(environ.get("CONTENT_TYPE", "")).startswith("application/x-www-form-urlencoded")


class SerializedWsgiApp:
    """Runs one request at a time, fully (the response body is produced inside the lock), and journals
    the successful mutating ones when a journal is attached."""

    def __init__(self, app: Any) -> None:
        self._app = app
        self.lock = threading.Lock()  # held by every request, and by a snapshot while it forks
        self.journal: Journal | None = None
        self.failed: str | None = None  # the journal could not be written: nothing more is acknowledged

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        # Read the body before taking the lock: a slow client must not hold up everyone else.
        body = get_input_stream(environ).read()
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        if self.journal is not None and environ.get("PATH_INFO", "").startswith("/moto-api") \
                and environ.get("REQUEST_METHOD") not in _READ_METHODS:
            # moto's reset and state switches would erase or change data behind the journal's back.
            return _refuse(start_response, "403 FORBIDDEN", "moto-api changes are refused by a durable backend")
        mutating = is_mutating(environ, body)
        with self.lock:
            if self.failed is not None:
                return _refuse(start_response, "503 SERVICE UNAVAILABLE", self.failed)
            journal = self.journal
            seed = secrets.randbits(63)
            if journal is not None and mutating:
                moto_engine.seed(seed)
            status, headers, chunks = self._run(environ)
            sequence = 0
            if journal is not None:
                if mutating and status.startswith("2") and not _received_nothing(environ, body, chunks):
                    try:
                        sequence = journal.append(Record(seed, _kept(environ), body))
                    except OSError as exc:
                        return self._fail(start_response, exc)
                else:
                    sequence = journal.written  # a read's answer rests on every write before it
        if journal is not None and sequence:
            try:
                journal.wait_durable(sequence)  # outside the lock: concurrent requests share one fsync
            except OSError as exc:
                return self._fail(start_response, exc)
        start_response(status, headers)
        return chunks

    def _fail(self, start_response: Any, exc: OSError) -> list[bytes]:
        """The journal cannot be written: the change is in memory but maybe not on disk. Refuse it and
        everything after it (until a restart returns to what is on disk) rather than acknowledge what a
        crash could take back."""
        self.failed = f"the journal cannot be written ({exc.strerror}); restart the backend"
        log_event("embedded.journal_failed", error=exc.strerror)
        return _refuse(start_response, "503 SERVICE UNAVAILABLE", self.failed)

    def replay(self, record: Record) -> str:
        """Run a journaled request again (start-up, before serving); returns its status line."""
        environ: dict[str, Any] = dict(record.environ)
        environ |= {
            "wsgi.input": io.BytesIO(record.body),
            "CONTENT_LENGTH": str(len(record.body)),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "REMOTE_ADDR": "127.0.0.1",
        }
        moto_engine.seed(record.seed)
        return self._run(environ)[0]

    def _run(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], list[bytes]]:
        captured: list[Any] = []
        written: list[bytes] = []

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured[:] = [status, headers]
            return written.append

        chunks = list(self._app(environ, start))
        return captured[0], captured[1], written + chunks


def _kept(environ: dict[str, Any]) -> dict[str, str]:
    kept = {key: str(environ[key]) for key in _KEPT_ENVIRON if key in environ}
    kept |= {key: str(value) for key, value in environ.items()
             if key.startswith("HTTP_") and key not in _DROPPED_HEADERS}
    return kept


def _received_nothing(environ: dict[str, Any], body: bytes, chunks: list[bytes]) -> bool:
    """An SQS receive that found no message changed nothing: not worth a journal record."""
    return operation(environ, body) == "ReceiveMessage" and not any(b"ReceiptHandle" in chunk for chunk in chunks)


def _refuse(start_response: Any, status: str, message: str) -> list[bytes]:
    body = json.dumps({"__type": "ServiceUnavailable", "message": message}).encode()
    start_response(status, [("Content-Type", "application/x-amz-json-1.0"), ("Content-Length", str(len(body)))])
    return [body]


class EmbeddedServer:
    """moto's server on a loopback port (random unless given), behind :class:`SerializedWsgiApp`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        moto_engine.install()
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
