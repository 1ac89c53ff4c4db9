"""HTTP endpoints beside the pages: health for monitoring, and the JSON API v1 (a thin skin over services)."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from nicegui import app

from api import v1
from api.request_log import RequestLogMiddleware
from services.container import Services
from services.platform import health


def register(services: Services) -> None:
    app.add_middleware(RequestLogMiddleware)  # event=http.request lines (journalctl -u moviemagic on EC2)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:  # plain def: FastAPI runs it in its thread pool, like every API route
        result = health.check(services.aws)
        return JSONResponse(result, status_code=200 if result["status"] == "ok" else 503)

    v1.register(services)
