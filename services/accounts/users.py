"""Accounts: registration, login with throttling, roles. Passwords are bcrypt hashes, never logged."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import bcrypt
from boto3.dynamodb.conditions import Key

from services.accounts.registration_limit import RegistrationLimit
from services.accounts.throttle import LoginThrottle
from services.clock import Clock, iso
from services.errors import EmailTaken, InvalidCredentials, InvalidRequest, NotFound
from services.i18n import SHIPPED, t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.logs import log_event
from services.platform.schema import USERS
from services.settings import Settings

Role = Literal["customer", "usher", "manager", "admin"]
TextSize = Literal["normal", "large"]
TEXT_SIZES: tuple[TextSize, ...] = ("normal", "large")
ROLES: tuple[Role, ...] = ("customer", "usher", "manager", "admin")
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
    credentials_version: int = 0  # bumped by every password change: older sessions and tokens stop working
    # Staff only (see services/staff/access.py): the theaters they work for, and whether an admin disabled them.
    theaters: tuple[str, ...] = ()
    disabled: bool = False
    language: str = ""  # the language the customer chose (services.i18n.SHIPPED); "" = not chosen yet
    # How pages are drawn for them (issue 14): stronger contrast, larger text. Old items lack both: the defaults.
    high_contrast: bool = False
    text_size: TextSize = "normal"

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
        self.throttle = LoginThrottle(aws, clock, settings)
        self.registration_limit = RegistrationLimit(aws, clock, settings)
        # Called with each new account (main.py subscribes it to booking emails); a failure there is
        # logged and never fails the registration.
        self.on_registered: Callable[[User], None] | None = None

    # Registration ---------------------------------------------------------------------------------
    def register(
        self, name: str, email: str, password: str, confirm: str | None = None, role: Role = "customer",
        client: str | None = None,
    ) -> User:
        """A new account. ``client`` is given for a self-service sign-up (the register page and the API):
        then it first claims a place under the registration limits (TooManyAttempts, nothing created, when
        full). Accounts made by staff or at first start pass None."""
        name, email = name.strip(), normalize_email(email)
        _validate(name, email, password, confirm)
        if client is not None:
            self.registration_limit.claim(client)  # before bcrypt: a refused sign-up costs nothing
        user = User(str(uuid.uuid4()), email, name, role, iso(self._clock.now()))
        password_hash = bcrypt.hashpw(_password_bytes(password), bcrypt.gensalt(self._rounds)).decode()
        try:
            # The condition makes "email taken" atomic: two racing registrations yield one account.
            dynamo.put_item(
                self._table, {**_new_item(user), "password_hash": password_hash, "failed_logins": 0},
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
    def authenticate(self, email: str, password: str, client: str = "") -> User:
        """The account, if the password is right. Throttled per account and per client address before the
        password is checked; unknown emails are counted, timed and answered exactly like known ones."""
        email = normalize_email(email)
        counters = self.throttle.counters(email, client)
        self.throttle.claim(counters)
        item = self._item(email) if _EMAIL.match(email) and len(email) <= 254 and _printable(email) else None
        stored = item["password_hash"].encode() if item else self._dummy_hash
        if not bcrypt.checkpw(_password_bytes(password), stored) or item is None:
            log_event("user.login_failed")
            raise InvalidCredentials(t("Email or password is incorrect."))
        if item.get("disabled"):  # a disabled staff account: the same answer as a wrong password
            raise InvalidCredentials(t("Email or password is incorrect."))
        self.throttle.succeeded(counters)
        log_event("user.login", user_id=item["user_id"])
        return _user(item)

    # Passwords ------------------------------------------------------------------------------------
    def change_password(self, email: str, current: str, new: str, confirm: str, client: str = "") -> User:
        """Change a password knowing the current one (throttled like a login). Every other session and
        every API token of the account stops working; the caller keeps its session with the User returned."""
        user = self.authenticate(email, current, client)
        return self.set_password(user.email, new, confirm)

    def set_password(
        self, email: str, new: str, confirm: str, *, condition: str = "", values: dict[str, Any] | None = None,
        remove: str = "",
    ) -> User:
        """Store a new password hash and bump ``credentials_version`` (which ends sessions and tokens), on an
        optional extra condition (a reset link's nonce). Raises InvalidRequest for a weak password."""
        _validate_password(new, confirm)
        password_hash = bcrypt.hashpw(_password_bytes(new), bcrypt.gensalt(self._rounds)).decode()
        try:
            item = dynamo.update_item(
                self._table, {"email": normalize_email(email)},
                UpdateExpression="SET password_hash = :hash, password_changed_at = :now "
                                 "ADD credentials_version :one" + (f" REMOVE {remove}" if remove else ""),
                ConditionExpression="attribute_exists(email)" + (f" AND ({condition})" if condition else ""),
                ExpressionAttributeValues={":hash": password_hash, ":now": iso(self._clock.now()), ":one": 1,
                                           **(values or {})},
                ReturnValues="ALL_NEW",
            )
        except dynamo.ConditionFailed as exc:
            raise InvalidRequest(t("This link has expired or was already used. Please ask for a new one.")) from exc
        log_event("user.password_changed", user_id=item["user_id"])
        return _user(item)

    # Reading --------------------------------------------------------------------------------------
    def _item(self, email: str) -> dict[str, Any] | None:
        return dynamo.get_item(self._table, {"email": email}, consistent=True)

    def find(self, email: str) -> User | None:
        """The account as stored now (strongly consistent), or None."""
        email = normalize_email(email)
        item = self._item(email) if email and len(email) <= 254 and _printable(email) else None
        return None if item is None else _user(item)

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
        if not 1 <= len(name) <= 80 or not _printable(name):
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

    def set_language(self, email: str, language: str) -> User:
        """Keep the customer's language on the account: their pages, emails and tickets speak it."""
        if language not in SHIPPED:
            raise InvalidRequest(t("Please choose one of the offered languages."))
        try:
            item = dynamo.update_item(
                self._table, {"email": normalize_email(email)},
                UpdateExpression="SET #l = :language",
                ConditionExpression="attribute_exists(email)",
                ExpressionAttributeNames={"#l": "language"},
                ExpressionAttributeValues={":language": language},
                ReturnValues="ALL_NEW",
            )
        except dynamo.ConditionFailed as exc:
            raise NotFound(t("No such account.")) from exc
        return _user(item)

    def set_display(self, email: str, high_contrast: bool, text_size: str) -> User:
        """Keep how the customer wants pages drawn (high contrast, larger text) on the account: every browser
        they log in to takes it."""
        if text_size not in TEXT_SIZES:
            raise InvalidRequest(t("Please choose one of the offered text sizes."))
        try:
            item = dynamo.update_item(
                self._table, {"email": normalize_email(email)},
                UpdateExpression="SET high_contrast = :contrast, text_size = :size",
                ConditionExpression="attribute_exists(email)",
                ExpressionAttributeValues={":contrast": bool(high_contrast), ":size": text_size},
                ReturnValues="ALL_NEW",
            )
        except dynamo.ConditionFailed as exc:
            raise NotFound(t("No such account.")) from exc
        return _user(item)


def _validate(name: str, email: str, password: str, confirm: str | None) -> None:
    if not 1 <= len(name) <= 80 or not _printable(name):
        raise InvalidRequest(t("Please enter your name (up to 80 characters)."))
    if len(email) > 254 or not _EMAIL.match(email) or not _printable(email):
        raise InvalidRequest(t("Please enter a valid email address."))
    _validate_password(password, confirm)


def _validate_password(password: str, confirm: str | None) -> None:
    if not _printable(password, controls_allowed=True):
        raise InvalidRequest(t("Password contains characters that cannot be used."))
    if len(password) < MIN_PASSWORD:
        raise InvalidRequest(t("Password must be at least {n} characters.", n=MIN_PASSWORD))
    if len(password.encode()) > MAX_PASSWORD_BYTES:  # encodable: checked above
        raise InvalidRequest(t("Password must be at most {n} bytes.", n=MAX_PASSWORD_BYTES))
    if confirm is not None and confirm != password:
        raise InvalidRequest(t("The passwords do not match."))


def _password_bytes(password: str) -> bytes:
    """UTF-8, with a lone surrogate (which cannot be encoded) replaced rather than failing with a 500."""
    return password.encode("utf-8", "replace")[:MAX_PASSWORD_BYTES]


def _printable(text: str, *, controls_allowed: bool = False) -> bool:
    """Nothing that cannot be stored as UTF-8 (a lone surrogate) and, unless allowed, no control characters."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return controls_allowed or not any(ord(char) < 32 or ord(char) == 127 for char in text)




def _new_item(user: User) -> dict[str, Any]:
    # Theater scopes and the disabled flag are set by the staff service (audited), never at registration.
    # The display choices are written only once made (set_display); an item without them reads as the defaults.
    unset = ("theaters", "disabled", "language", "high_contrast", "text_size")
    item = {key: value for key, value in user.__dict__.items() if key not in unset}
    return item | ({"language": user.language} if user.language else {})


def _user(item: dict[str, Any]) -> User:
    role = item.get("role", "customer")
    return User(item["user_id"], item["email"], item["name"], role if role in ROLES else "customer",
                item["created_at"], credentials_version=int(item.get("credentials_version", 0)),
                theaters=tuple(item.get("theaters", ())), disabled=bool(item.get("disabled", False)),
                language=str(item.get("language", "")), high_contrast=bool(item.get("high_contrast", False)),
                text_size="large" if item.get("text_size") == "large" else "normal")
