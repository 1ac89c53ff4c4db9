"""Every API error has one shape: ``{"error": {"code": "...", "message": "..."}}``, including FastAPI's own
validation errors, unknown routes and unexpected failures. Installed on the API's sub-application only,
so NiceGUI's pages keep their own error pages."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from api.v1.deps import visitor_address
from services.booking.tickets import InvalidTicket
from services.catalog.posters import ImageTooLarge, UnsupportedImage
from services.engage.errors import AlreadyExists, NotEnoughPoints
from services.errors import (
    DomainError,
    EmailTaken,
    Forbidden,
    HoldExpired,
    InvalidCredentials,
    InvalidRequest,
    LimitReached,
    NotFound,
    PaymentDeclined,
    SeatUnavailable,
    ServiceUnavailable,
    ShowClosed,
    SoldOut,
    TooLateToCancel,
    TooManyAttempts,
    Unauthorized,
)
from services.i18n import t
from services.platform.logs import log_event
from services.staff.checkins import CheckinRefused
from services.staff.moves import LayoutDoesNotFit
from services.staff.schedule import ScheduleConflict

STATUS: dict[type[DomainError], int] = {
    # Subclasses before their base: the first match wins.
    UnsupportedImage: 415,
    ImageTooLarge: 413,
    InvalidRequest: 422,
    Unauthorized: 401,
    InvalidCredentials: 401,
    Forbidden: 403,
    NotFound: 404,
    EmailTaken: 409,
    SeatUnavailable: 409,
    HoldExpired: 409,
    ShowClosed: 409,
    TooLateToCancel: 409,
    PaymentDeclined: 402,
    TooManyAttempts: 429,
    LimitReached: 409,
    ServiceUnavailable: 503,
    InvalidTicket: 422,
    CheckinRefused: 409,
    ScheduleConflict: 409,
    LayoutDoesNotFit: 409,
    SoldOut: 409,
    AlreadyExists: 409,
    NotEnoughPoints: 409,
}
_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type"}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None,
                   **extra: Any) -> JSONResponse:
    body = {"code": code, "message": message, **{key: value for key, value in extra.items() if value is not None}}
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def status_of(error: DomainError) -> int:
    return next((status for kind, status in STATUS.items() if isinstance(error, kind)), 400)


async def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    headers: dict[str, str] = {}
    if isinstance(exc, TooManyAttempts):
        headers["Retry-After"] = str(max(1, exc.retry_after_seconds))
    if isinstance(exc, Unauthorized | InvalidCredentials):
        headers["WWW-Authenticate"] = "Bearer"
    seats = exc.seats if isinstance(exc, SeatUnavailable) else None
    details = getattr(exc, "details", None) or {}  # e.g. admitted_at, conflicts (staff console)
    return error_response(status_of(exc), exc.code, exc.message, headers or None, seats=seats, **details)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = list(exc.errors())
    if any(problem.get("type") == "json_invalid" for problem in problems):
        return error_response(422, "invalid_json", t("The request body is not valid JSON."))
    details = [{"field": ".".join(str(part) for part in problem["loc"] if part != "body") or "body",
                "message": problem["msg"]} for problem in problems]
    message = "; ".join(f"{detail['field']}: {detail['message']}" for detail in details[:3])
    return error_response(422, "validation_error", message or t("The request is not valid."), details=details)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return error_response(exc.status_code, code, message, dict(exc.headers) if exc.headers else None)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)


class LoggedRoute(APIRoute):
    """One log line per API request, and unexpected failures as a JSON 500 instead of a traceback page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            started = time.perf_counter()
            status = 500
            try:
                response = await handler(request)
                status = response.status_code
                return response
            except DomainError as exc:
                status = status_of(exc)
                raise
            except (HTTPException, RequestValidationError) as exc:
                status = getattr(exc, "status_code", 422)
                raise
            except Exception as exc:
                log_event("api.failed", logging.ERROR, path=request.url.path, error=type(exc).__name__)
                logging.getLogger("moviemagic").exception("unexpected API failure")
                return error_response(500, "internal_error", t("Something went wrong on our side. Please try again."))
            finally:
                # client: the visitor's address (nginx passes it; believed only from a trusted proxy).
                log_event("api.request", method=request.method, path=request.url.path, status=status,
                          ms=round((time.perf_counter() - started) * 1000, 1),
                          client=visitor_address(request, request.app.state.services.settings))

        return handle
