"""HTTP endpoints beside the pages: health for monitoring, and the JSON API v1 (a thin skin over services)."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from nicegui import app, run

from api import v1
from api.body_limit import BodyLimitMiddleware
from api.request_log import RequestLogMiddleware
from api.security_headers import SecurityHeadersMiddleware
from components.session import SessionGuard
from services.container import Services
from services.platform import health


def register(services: Services) -> None:
    # The last added runs first. All run inside NiceGUI's own session middleware (added by ui.run later),
    # which the session guard needs.
    settings = services.settings
    app.add_middleware(SessionGuard, users=services.users)
    app.add_middleware(BodyLimitMiddleware, json_limit=settings.max_json_body_bytes,
                       other_limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware, https=settings.https)
    app.add_middleware(RequestLogMiddleware)  # event=http.request lines (journalctl -u moviemagic on EC2)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        result = await run.io_bound(health.check, services.aws)
        return JSONResponse(result, status_code=200 if result["status"] == "ok" else 503)

    v1.register(services)
