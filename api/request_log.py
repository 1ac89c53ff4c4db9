"""One structured log line per HTTP request: ``event=http.request method=GET path=/healthz status=200 ms=3.1``.

A pure ASGI middleware (it also sees the mounted API v1 and never buffers a response). The path is
logged without its query string, which could carry a token or an email address. NiceGUI's own files
and socket.io transport, and the app's static assets, are logged only when they fail: a page load
fetches dozens of them and they would drown the lines that matter. The JSON API v1 writes its own,
richer ``event=api.request`` line, so it is left to that. Websockets are not HTTP requests.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from services.platform.logs import log_event

QUIET_PREFIXES = ("/_nicegui/", "/_nicegui_ws/", "/assets/")
SELF_LOGGED_PREFIXES = ("/api/v1/",)


class RequestLogMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].startswith(SELF_LOGGED_PREFIXES):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app raises before it answers

        async def send_and_note_status(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            path = scope["path"]
            if status >= 400 or not path.startswith(QUIET_PREFIXES):
                log_event(
                    "http.request",
                    logging.ERROR if status >= 500 else logging.INFO,
                    method=scope["method"],
                    path=path,
                    status=status,
                    ms=round((time.perf_counter() - started) * 1000, 1),
                )
