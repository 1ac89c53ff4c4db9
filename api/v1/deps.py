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

_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/login")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def get_services(request: Request) -> Services:
    return request.app.state.services


def client_of(request: Request, services: Annotated[Services, Depends(get_services)]) -> str:
    """The caller's address for throttling (X-Forwarded-For only from a trusted proxy)."""
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.get("x-forwarded-for"), services.settings.trusted_proxy_networks)


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
