"""Accounts: registration, login with throttling, roles. Passwords are bcrypt hashes, never logged."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import bcrypt
from boto3.dynamodb.conditions import Key

from services.clock import Clock, iso, parse_iso
from services.errors import AccountLocked, EmailTaken, InvalidCredentials, InvalidRequest, NotFound
from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.logs import log_event
from services.platform.schema import USERS
from services.settings import Settings

Role = Literal["customer", "admin"]
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 72  # bcrypt ignores anything longer; refuse rather than silently truncate


@dataclass(frozen=True)
class User:
    user_id: str
    email: str
    name: str
    role: Role
    created_at: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def normalize_email(email: str) -> str:
    return email.strip().lower()


class UserService:
    def __init__(self, aws: Aws, clock: Clock, settings: Settings, bcrypt_rounds: int = 12) -> None:
        self._table = aws.table(USERS)
        self._clock = clock
        self._settings = settings
        self._rounds = bcrypt_rounds
        # Compared against when the email is unknown, so a miss costs the same time as a wrong password.
        self._dummy_hash = bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(bcrypt_rounds))
        # Called with each new account (main.py subscribes it to booking emails); a failure there is
        # logged and never fails the registration.
        self.on_registered: Callable[[User], None] | None = None

    # Registration ---------------------------------------------------------------------------------
    def register(
        self, name: str, email: str, password: str, confirm: str | None = None, role: Role = "customer"
    ) -> User:
        name, email = name.strip(), normalize_email(email)
        _validate(name, email, password, confirm)
        user = User(str(uuid.uuid4()), email, name, role, iso(self._clock.now()))
        password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt(self._rounds)).decode()
        try:
            # The condition makes "email taken" atomic: two racing registrations yield one account.
            dynamo.put_item(
                self._table, {**user.__dict__, "password_hash": password_hash, "failed_logins": 0},
                ConditionExpression="attribute_not_exists(email)",
            )
        except dynamo.ConditionFailed as exc:
            raise EmailTaken(t("An account with this email already exists. Log in instead.")) from exc
        log_event("user.registered", user_id=user.user_id, role=role)
        if self.on_registered is not None:
            try:
                self.on_registered(user)
            except Exception as exc:
                log_event("user.on_registered_failed", user_id=user.user_id, error=type(exc).__name__)
        return user

    def ensure_admin(self, email: str) -> str | None:
        """Create the admin account if missing; returns its new random password (shown once), else None."""
        password = secrets.token_urlsafe(12)
        try:
            self.register("Administrator", email, password, role="admin")
        except EmailTaken:
            return None
        return password

    # Login ----------------------------------------------------------------------------------------
    def authenticate(self, email: str, password: str) -> User:
        email = normalize_email(email)
        item = dynamo.get_item(self._table, {"email": email}, consistent=True) if email else None
        if item is None:
            bcrypt.checkpw(password.encode()[:MAX_PASSWORD_BYTES], self._dummy_hash)
            raise InvalidCredentials(t("Email or password is incorrect."))
        now = self._clock.now()
        locked_until = parse_iso(item["locked_until"]) if item.get("locked_until") else None
        if locked_until and locked_until > now:
            raise self._locked(locked_until, now)
        if not bcrypt.checkpw(password.encode()[:MAX_PASSWORD_BYTES], item["password_hash"].encode()):
            self._record_failure(email, now)
            raise InvalidCredentials(t("Email or password is incorrect."))
        if item.get("failed_logins") or item.get("locked_until"):
            dynamo.update_item(
                self._table, {"email": email},
                UpdateExpression="SET failed_logins = :zero REMOVE locked_until",
                ExpressionAttributeValues={":zero": 0},
            )
        log_event("user.login", user_id=item["user_id"])
        return _user(item)

    def _record_failure(self, email: str, now: datetime) -> None:
        # ADD is atomic, so parallel guesses each count.
        updated = dynamo.update_item(
            self._table, {"email": email},
            UpdateExpression="ADD failed_logins :one",
            ExpressionAttributeValues={":one": 1},
            ReturnValues="UPDATED_NEW",
        )
        failures = int(updated["failed_logins"])
        log_event("user.login_failed", failures=failures)
        if failures >= self._settings.max_failed_logins:
            locked_until = now + timedelta(minutes=self._settings.lockout_minutes)
            dynamo.update_item(
                self._table, {"email": email},
                UpdateExpression="SET locked_until = :until, failed_logins = :zero",
                ExpressionAttributeValues={":until": iso(locked_until), ":zero": 0},
            )
            log_event("user.locked", minutes=self._settings.lockout_minutes)
            raise self._locked(locked_until, now)

    def _locked(self, locked_until: datetime, now: datetime) -> AccountLocked:
        minutes = max(1, round((locked_until - now).total_seconds() / 60))
        return AccountLocked(
            t("Too many failed attempts. This account is locked for {minutes} more minutes.", minutes=minutes),
            retry_after_seconds=int((locked_until - now).total_seconds()),
        )

    # Reading --------------------------------------------------------------------------------------
    def get(self, email: str) -> User:
        item = dynamo.get_item(self._table, {"email": normalize_email(email)})
        if item is None:
            raise NotFound(t("No such account."))
        return _user(item)

    def by_id(self, user_id: str) -> User:
        items = dynamo.query_all(self._table, IndexName="by-user-id",
                                 KeyConditionExpression=Key("user_id").eq(user_id)).items
        if not items:
            raise NotFound(t("No such account."))
        return _user(items[0])

    def update_name(self, email: str, name: str) -> User:
        name = name.strip()
        if not 1 <= len(name) <= 80:
            raise InvalidRequest(t("Name must be 1 to 80 characters."))
        try:
            item = dynamo.update_item(
                self._table, {"email": normalize_email(email)},
                UpdateExpression="SET #n = :name",
                ConditionExpression="attribute_exists(email)",
                ExpressionAttributeNames={"#n": "name"},
                ExpressionAttributeValues={":name": name},
                ReturnValues="ALL_NEW",
            )
        except dynamo.ConditionFailed as exc:
            raise NotFound(t("No such account.")) from exc
        return _user(item)


def _validate(name: str, email: str, password: str, confirm: str | None) -> None:
    if not 1 <= len(name) <= 80:
        raise InvalidRequest(t("Please enter your name (up to 80 characters)."))
    if len(email) > 254 or not _EMAIL.match(email):
        raise InvalidRequest(t("Please enter a valid email address."))
    if len(password) < MIN_PASSWORD:
        raise InvalidRequest(t("Password must be at least {n} characters.", n=MIN_PASSWORD))
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        raise InvalidRequest(t("Password must be at most {n} bytes.", n=MAX_PASSWORD_BYTES))
    if confirm is not None and confirm != password:
        raise InvalidRequest(t("The passwords do not match."))


def _user(item: dict[str, Any]) -> User:
    return User(item["user_id"], item["email"], item["name"], item.get("role", "customer"), item["created_at"])
