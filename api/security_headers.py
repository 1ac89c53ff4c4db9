"""Browser hardening headers on every HTTP response: a pure ASGI middleware.

The Content-Security-Policy is the strictest NiceGUI works under (checked in real Chromium by
tests/e2e/test_edges_e2e.py: pages render, the seat map is live, nothing is reported as blocked):
- ``script-src 'unsafe-inline' 'unsafe-eval'``: NiceGUI writes each page's start-up as an inline script
  and Vue compiles the elements' templates in the browser (``new Function``);
- ``style-src 'unsafe-inline'``: Quasar and NiceGUI set inline styles;
- ``img-src data: blob:``: Quasar's icons and the ticket's QR code are data URLs;
- ``connect-src 'self'``: the socket.io websocket and its polling fallback go to this origin only.
Everything else is this origin only; nothing may frame the app (``frame-ancestors 'none'``, and
X-Frame-Options for old browsers), plugins are off, and forms post only here. HSTS is sent only when the
public URL is HTTPS (behind the deploy's proxy): over plain HTTP it would be ignored or, worse, pin a
development host.
"""

from __future__ import annotations

from typing import Any

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(https: bool) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"content-security-policy", CSP.encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"permissions-policy", b"camera=(self), microphone=(), geolocation=(), payment=()"),
    ]
    if https:
        headers.append((b"strict-transport-security", HSTS.encode()))
    return headers


class SecurityHeadersMiddleware:
    def __init__(self, app: Any, https: bool) -> None:
        self.app = app
        self.headers = security_headers(https)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
