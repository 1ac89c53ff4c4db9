"""JSON API v1: a FastAPI sub-application mounted at /api/v1 on NiceGUI's app.

Its own OpenAPI (/api/v1/openapi.json), docs served offline (/api/v1/docs, /api/v1/redoc) and error
handlers, so API errors are always JSON while NiceGUI's pages keep theirs. Endpoints are plain ``def``
functions: FastAPI runs them in its thread pool, which suits the blocking boto3 calls of the services.
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from starlette.routing import Mount

from api.language import AcceptLanguageMiddleware
from api.v1 import auth, booking, catalog, engage, events, staff, staff_events, staff_movies, staff_theaters, tickets
from api.v1.docs import install_docs
from api.v1.errors import install_error_handlers
from api.v1.openapi import install_openapi
from services.container import Services

PREFIX = "/api/v1"


def create_app(services: Services) -> FastAPI:
    api = FastAPI(
        title="Movie Magic API",
        version="1.0.0",
        summary="Find shows, hold seats, book and cancel tickets.",
        description="Amounts are integer minor units (paise/cents) of `currency`. Errors are "
                    '`{"error": {"code": "...", "message": "..."}}`. Log in at `/auth/login` and send '
                    "`Authorization: Bearer <token>`. Error messages are in the request's `Accept-Language` language "
                    "(en, hi, te, ta; English otherwise), named by the answer's `Content-Language`.",
        openapi_url="/openapi.json",
        docs_url=None,  # served by api.v1.docs from local assets instead of a CDN
        redoc_url=None,
    )
    api.state.services = services
    install_error_handlers(api)
    api.add_middleware(AcceptLanguageMiddleware)  # error messages in the Accept-Language language
    install_docs(api)
    install_openapi(api)
    for module in (auth, catalog, events, booking, tickets, staff, staff_events, staff_movies, staff_theaters, engage):
        api.include_router(module.router)
    return api


def api_mount(services: Services) -> Mount:
    """The API at /api/v1. Starlette's pattern for a mount stops at a newline, so a path with an encoded
    line break (``/api/v1/showtimes/a%0Ab``) would fall through to the pages' HTML 404; matched across
    lines, every /api/v1 path gets the API's JSON answers."""
    mount = Mount(PREFIX, app=create_app(services))
    mount.path_regex = re.compile(mount.path_regex.pattern, re.DOTALL)
    return mount


def register(services: Services) -> None:
    """Mount the API on NiceGUI's app, ahead of the pages (replacing an earlier mount, e.g. in tests)."""
    from nicegui import app

    routes = app.router.routes
    routes[:] = [route for route in routes if not (isinstance(route, Mount) and route.path == PREFIX)]
    routes.insert(0, api_mount(services))
