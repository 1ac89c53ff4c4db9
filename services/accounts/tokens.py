"""API bearer tokens: PyJWT, HS256, signed with ``settings.api_secret``, expiring after ``api_token_minutes``.

Expiry is checked against the injected clock (tests move it); the signature, algorithm, issuer and
audience are checked by PyJWT. A token is bound to its account: it carries the user's id, email and the
account's credentials version, and each request reads the account (one strongly consistent GetItem) to
refuse a token whose account is gone (or was re-created) or was issued before the last password change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

import jwt

from services.accounts.users import User, UserService
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
    def __init__(self, settings: Settings, clock: Clock, users: UserService) -> None:
        if not settings.api_secret:
            raise ValueError("api_secret is empty: set MOVIEMAGIC_API_SECRET (embedded mode generates one)")
        # A fixed-length key derived from the secret (HS256 wants 32 bytes; settings allow 16+ characters).
        self._key = hashlib.sha256(f"moviemagic-api-token:{settings.api_secret}".encode()).digest()
        self._lifetime = timedelta(minutes=settings.api_token_minutes)
        self._clock = clock
        self._users = users

    def issue(self, user: User) -> IssuedToken:
        now = self._clock.now()
        claims = {
            "sub": user.user_id, "email": user.email, "name": user.name, "role": user.role,
            "ver": user.credentials_version,
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
        return self._bound_user(claims)

    def _bound_user(self, claims: dict[str, object]) -> User:
        """The account as it is now, if the token still speaks for it."""
        email, version = claims.get("email"), claims.get("ver", 0)
        account = self._users.find(email) if isinstance(email, str) and email else None
        if account is None or account.user_id != claims["sub"] or account.credentials_version != version:
            raise Unauthorized(t("Your sign-in token is no longer valid. Please log in again."))
        return account
