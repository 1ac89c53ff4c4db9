"""JSON API v1: a FastAPI sub-application mounted at /api/v1 on NiceGUI's app.

Its own OpenAPI (/api/v1/openapi.json), docs (/api/v1/docs) and error handlers, so API errors are
always JSON while NiceGUI's pages keep theirs. Endpoints are plain ``def`` functions: FastAPI runs them
in its thread pool, which suits the blocking boto3 calls of the services.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.routing import Mount

from api.v1 import auth, booking, catalog, staff, tickets
from api.v1.errors import install_error_handlers
from services.container import Services

PREFIX = "/api/v1"


def create_app(services: Services) -> FastAPI:
    api = FastAPI(
        title="Movie Magic API",
        version="1.0.0",
        summary="Find shows, hold seats, book and cancel tickets.",
        description="Amounts are integer minor units (paise/cents) of `currency`. Errors are "
                    '`{"error": {"code": "...", "message": "..."}}`. Log in at `/auth/login` and send '
                    "`Authorization: Bearer <token>`.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    api.state.services = services
    install_error_handlers(api)
    for module in (auth, catalog, booking, tickets, staff):
        api.include_router(module.router)
    return api


def register(services: Services) -> None:
    """Mount the API on NiceGUI's app, ahead of the pages (replacing an earlier mount, e.g. in tests)."""
    from nicegui import app

    routes = app.router.routes
    routes[:] = [route for route in routes if not (isinstance(route, Mount) and route.path == PREFIX)]
    routes.insert(0, Mount(PREFIX, app=create_app(services)))
