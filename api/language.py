"""The JSON API answers in the client's language: a pure ASGI middleware that reads ``Accept-Language`` on
``/api/`` requests and sets ``services.i18n.current_language`` for the request (services translate their
error messages when they raise them; routes run in the thread pool with a copy of this context)."""

from __future__ import annotations

from typing import Any

from services.i18n import best_match, current_language


class AcceptLanguageMiddleware:
    """On the API's own app (every request) and on the outer app for ``/api/`` (its body-size refusals)."""

    def __init__(self, app: Any, prefix: str = "") -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        header = next((value.decode("latin-1") for name, value in scope.get("headers", [])
                       if name == b"accept-language"), None)
        code = best_match(header) or "en"

        async def send_with_language(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":  # say which language the answer is in
                headers = [(name, value) for name, value in message.get("headers", []) if name != b"content-language"]
                message = {**message, "headers": [*headers, (b"content-language", code.encode())]}
            await send(message)

        token = current_language.set(code)
        try:
            await self.app(scope, receive, send_with_language)
        finally:
            current_language.reset(token)
