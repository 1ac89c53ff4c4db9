"""What every route needs: the services container and the bearer's user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.accounts.client_address import client_address
from services.accounts.users import User
from services.container import Services
from services.errors import Unauthorized
from services.i18n import t
from services.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/login")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def get_services(request: Request) -> Services:
    return request.app.state.services


def visitor_address(request: Request, settings: Settings) -> str:
    """The caller's address (X-Forwarded-For only from a trusted proxy): for throttling, logs, loopback checks."""
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.get("x-forwarded-for"), settings.trusted_proxy_networks)


def client_of(request: Request, services: Annotated[Services, Depends(get_services)]) -> str:
    return visitor_address(request, services.settings)


def optional_user(credentials: Credentials, services: Annotated[Services, Depends(get_services)]) -> User | None:
    return services.tokens.verify(credentials.credentials) if credentials else None


def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise Unauthorized(t("Please log in: send 'Authorization: Bearer <token>' from /api/v1/auth/login."))
    return user


ServicesDep = Annotated[Services, Depends(get_services)]
UserDep = Annotated[User, Depends(current_user)]
ClientDep = Annotated[str, Depends(client_of)]
OptionalUserDep = Annotated[User | None, Depends(optional_user)]
