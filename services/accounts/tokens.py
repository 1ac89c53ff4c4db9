"""API bearer tokens: PyJWT, HS256, signed with ``settings.api_secret``, expiring after ``api_token_minutes``.

Expiry is checked against the injected clock (tests move it); the signature, algorithm, issuer and
audience are checked by PyJWT. The token carries the user's id, email, name and role, so a request
needs no user lookup.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

import jwt

from services.accounts.users import Role, User
from services.clock import Clock
from services.errors import Unauthorized
from services.i18n import t
from services.settings import Settings

_ALGORITHM = "HS256"
_ISSUER = "moviemagic"
_AUDIENCE = "moviemagic-api-v1"


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int  # seconds
    token_type: str = "bearer"


class TokenService:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        if not settings.api_secret:
            raise ValueError("api_secret is empty: set MOVIEMAGIC_API_SECRET (embedded mode generates one)")
        # A fixed-length key derived from the secret (HS256 wants 32 bytes; settings allow 16+ characters).
        self._key = hashlib.sha256(f"moviemagic-api-token:{settings.api_secret}".encode()).digest()
        self._lifetime = timedelta(minutes=settings.api_token_minutes)
        self._clock = clock

    def issue(self, user: User) -> IssuedToken:
        now = self._clock.now()
        claims = {
            "sub": user.user_id, "email": user.email, "name": user.name, "role": user.role,
            "iss": _ISSUER, "aud": _AUDIENCE,
            "iat": int(now.timestamp()), "exp": int((now + self._lifetime).timestamp()),
        }
        return IssuedToken(jwt.encode(claims, self._key, algorithm=_ALGORITHM), int(self._lifetime.total_seconds()))

    def verify(self, token: str) -> User:
        """The user a token was issued to; Unauthorized when it is forged, malformed or expired."""
        try:
            claims = jwt.decode(
                token, self._key, algorithms=[_ALGORITHM], audience=_AUDIENCE, issuer=_ISSUER,
                options={"verify_exp": False, "verify_iat": False, "require": ["sub", "exp", "iat"]},
            )
        except jwt.PyJWTError as exc:
            raise Unauthorized(t("Your sign-in token is not valid. Please log in again.")) from exc
        if not isinstance(claims["exp"], int) or claims["exp"] <= self._clock.now().timestamp():
            raise Unauthorized(t("Your sign-in token has expired. Please log in again."))
        role: Role = "admin" if claims.get("role") == "admin" else "customer"
        return User(str(claims["sub"]), str(claims.get("email", "")), str(claims.get("name", "")), role, "")
