"""HTTP endpoints beside the pages: health for monitoring, and the JSON API v1 (a thin skin over services)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse
from nicegui import app

from api import v1
from api.request_log import RequestLogMiddleware
from services.container import Services
from services.platform.health import HealthCheck

LOOPBACK = {"127.0.0.1", "::1"}


def register(services: Services) -> None:
    app.add_middleware(RequestLogMiddleware)  # event=http.request lines (journalctl -u moviemagic on EC2)
    checker = HealthCheck(services.aws)

    # Public and cheap: DynamoDB is read at most once per 10 s however often this is called.
    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:  # plain def: FastAPI runs it in its thread pool, like every API route
        result = checker.summary()
        return JSONResponse(result, status_code=200 if result["status"] == "ok" else 503)

    # Fresh, with latency and error names: for health checkers on the instance only (nginx also refuses
    # it to anyone but loopback). Elsewhere it does not exist.
    @app.get("/healthz/deep", include_in_schema=False)
    def healthz_deep(request: Request) -> JSONResponse:
        if request.client is None or request.client.host not in LOOPBACK:
            return JSONResponse({"error": {"code": "not_found", "message": "Not found."}}, status_code=404)
        result = checker.deep()
        return JSONResponse(result, status_code=200 if result["status"] == "ok" else 503)

    v1.register(services)
