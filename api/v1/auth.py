"""Accounts over the API: register, and log in for a bearer token."""

from __future__ import annotations

from fastapi import APIRouter

from api.v1.deps import ClientDep, ServicesDep
from api.v1.errors import LoggedRoute
from api.v1.schemas import ErrorResponse, LoginRequest, RegisterRequest, TokenOut, UserOut

router = APIRouter(prefix="/auth", tags=["accounts"], route_class=LoggedRoute)


@router.post("/register", status_code=201, response_model=UserOut,
             responses={409: {"model": ErrorResponse, "description": "email taken"},
                        422: {"model": ErrorResponse},
                        429: {"model": ErrorResponse,
                              "description": "too many sign-ups (this address or all): wait Retry-After seconds"}})
def register(body: RegisterRequest, services: ServicesDep, client: ClientDep) -> UserOut:
    """A customer account. Sign-ups are limited per client address and in all, per hour."""
    user = services.users.register(body.name, body.email, body.password, client=client)
    return UserOut(user_id=user.user_id, name=user.name, email=user.email)


@router.post("/login", response_model=TokenOut,
             responses={401: {"model": ErrorResponse},
                        429: {"model": ErrorResponse, "description": "too many attempts: wait Retry-After seconds"}})
def login(body: LoginRequest, services: ServicesDep, client: ClientDep) -> TokenOut:
    """A bearer token. Failed attempts slow further ones down (per account and per client address)."""
    issued = services.tokens.issue(services.users.authenticate(body.email, body.password, client))
    return TokenOut(access_token=issued.access_token, expires_in=issued.expires_in)
