"""HTTP endpoints beside the pages: health for monitoring, and the JSON API v1 (a thin skin over services)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse
from nicegui import app

from api import posters, v1
from api.body_limit import BodyLimitMiddleware
from api.language import AcceptLanguageMiddleware
from api.request_log import RequestLogMiddleware
from api.security_headers import SecurityHeadersMiddleware
from api.v1.deps import visitor_address
from services.catalog.posters import MAX_BYTES as POSTER_MAX_BYTES
from services.container import Services
from services.platform.health import HealthCheck

LOOPBACK = {"127.0.0.1", "::1"}


def register(services: Services) -> None:
    # The last added runs first; all run inside NiceGUI's own middlewares (added later by ui.run).
    settings = services.settings
    app.add_middleware(BodyLimitMiddleware, json_limit=settings.max_json_body_bytes,
                       other_limit=settings.max_body_bytes, upload_limit=POSTER_MAX_BYTES)
    app.add_middleware(SecurityHeadersMiddleware, https=settings.https)
    app.add_middleware(RequestLogMiddleware)  # event=http.request lines (journalctl -u moviemagic on EC2)
    app.add_middleware(AcceptLanguageMiddleware, prefix="/api/")  # e.g. the body-size refusal in the language
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
        if visitor_address(request, services.settings) not in LOOPBACK:
            return JSONResponse({"error": {"code": "not_found", "message": "Not found."}}, status_code=404)
        result = checker.deep()
        return JSONResponse(result, status_code=200 if result["status"] == "ok" else 503)

    posters.register(services)
    v1.register(services)
