"""Request bodies are limited before they are read into memory: a pure ASGI middleware.

A declared ``Content-Length`` over the limit is answered 413 at once, without reading a byte; a body
without one (chunked) is counted as it streams in, and the request fails with 413 as soon as it passes
the limit, so a client can never make the server hold more than the limit per request. JSON API bodies
get a small limit (they are a few hundred bytes); everything else (NiceGUI's own endpoints) a larger one.
The poster uploads, and only they, get the poster limit plus room for multipart framing: the API's
``PUT /api/v1/staff/movies/{id}/poster`` and ``PUT /api/v1/staff/events/{id}/poster``, and NiceGUI's upload
endpoint (its ``ui.upload``s are the staff pages' poster pickers); deploy/nginx.conf allows the same paths.
The poster service checks the image's own size exactly. Answers are the API's JSON error shape.
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

from starlette.exceptions import HTTPException

from services.i18n import t

API_PREFIX = "/api/"
UPLOAD_PATHS = re.compile(r"^/api/v1/staff/(movies|events)/[^/]+/poster$|^/_nicegui/client/[^/]+/upload/[0-9]+$")
MULTIPART_MARGIN = 64 * 1024  # boundaries and part headers around the file


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` mid-stream. An HTTPException, so FastAPI passes it through untouched (any
    other exception it would turn into a 400) and no route runs with a partial body."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, t("The request body is too large (the limit is {kb} KB).", kb=limit // 1024))


class BodyLimitMiddleware:
    def __init__(self, app: Any, json_limit: int, other_limit: int, upload_limit: int | None = None) -> None:
        self.app = app
        self.json_limit = json_limit
        self.other_limit = other_limit
        self.upload_limit = upload_limit

    def limit_for(self, path: str) -> int:
        if self.upload_limit is not None and UPLOAD_PATHS.match(path):
            return self.upload_limit + MULTIPART_MARGIN
        return self.json_limit if path.startswith(API_PREFIX) else self.other_limit

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit)
            return
        received = 0
        exceeded = answered = False

        async def counted_receive() -> dict[str, Any]:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge(limit)
            return message

        async def guarded_send(message: dict[str, Any]) -> None:
            # Past the limit, whatever the app makes of the error (its own 413, or a 400 "cannot parse"),
            # the client gets the one JSON 413.
            nonlocal answered
            if not exceeded:
                answered = answered or message["type"] == "http.response.start"
                await send(message)
            elif not answered:
                answered = True
                await _refuse(send, limit)

        with contextlib.suppress(BodyTooLarge):  # raised by our own receive: answered below
            await self.app(scope, counted_receive, guarded_send)
        if exceeded and not answered:
            await _refuse(send, limit)


def _content_length(scope: dict[str, Any]) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Any, limit: int) -> None:
    error = BodyTooLarge(limit)
    body = json.dumps({"error": {"code": "payload_too_large", "message": error.detail}}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
