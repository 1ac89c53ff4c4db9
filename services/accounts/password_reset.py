"""Forgotten passwords: a signed, expiring, single-use reset link sent by email.

The link carries ``<email>.<expiry>.<nonce>.<signature>`` (HMAC-SHA256 over the rest with a key derived
from the storage secret), so a forged or altered link is refused without a lookup. The account keeps
only a hash of the newest nonce: asking again replaces it (older links die), and setting the password
removes it in the same conditional update, so a link works once. The email leaves through the outbox,
written in one transaction with the nonce: a link is never stored without its email, nor sent for a
nonce that was not stored. At most one email per account per ``RESEND_AFTER``; the page answers the
same whether or not the address has an account.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from datetime import timedelta
from urllib.parse import quote

from services.accounts.users import User, UserService, normalize_email
from services.clock import Clock, iso
from services.errors import InvalidRequest, ServiceUnavailable
from services.i18n import t
from services.notify.messages import MessageComposer
from services.notify.outbox import outbox_message_put
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.logs import log_event
from services.platform.schema import USERS
from services.settings import Settings

RESEND_AFTER = timedelta(minutes=1)
RESET_PATH = "/reset-password"


class PasswordResetService:
    def __init__(self, aws: Aws, clock: Clock, settings: Settings, users: UserService,
                 messages: MessageComposer) -> None:
        secret = settings.storage_secret or settings.api_secret
        if not secret:
            raise ValueError("storage_secret is empty: set MOVIEMAGIC_STORAGE_SECRET (embedded mode generates one)")
        self._key = hashlib.sha256(f"moviemagic-password-reset:{secret}".encode()).digest()
        self._aws = aws
        self._clock = clock
        self._users = users
        self._messages = messages
        self._lifetime = timedelta(minutes=settings.reset_link_minutes)
        self._base_url = settings.base_url

    def request(self, email: str) -> None:
        """Email a reset link if ``email`` has an account (and none was sent in the last minute).
        Returns nothing either way, so the caller cannot tell whether the account exists."""
        email = normalize_email(email)
        if not email or len(email) > 254 or "@" not in email:
            raise InvalidRequest(t("Please enter a valid email address."))
        try:
            email.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidRequest(t("Please enter a valid email address.")) from exc
        now = self._clock.now().replace(microsecond=0)
        expires = now + self._lifetime
        nonce = secrets.token_urlsafe(24)
        link = f"{self._base_url}{RESET_PATH}?token={quote(self._sign(email, int(expires.timestamp()), nonce))}"
        message = self._messages.password_reset(email, link, int(self._lifetime.total_seconds() // 60))
        nonce_hash = _hash(nonce)
        actions = [
            {"Update": {
                "TableName": self._aws.table_name(USERS),
                "Key": {"email": email},
                "UpdateExpression": "SET reset_nonce_hash = :nonce, reset_expires_at = :expires, "
                                    "reset_requested_at = :now",
                "ConditionExpression": "attribute_exists(email) AND "
                                       "(attribute_not_exists(reset_requested_at) OR reset_requested_at < :again)",
                "ExpressionAttributeValues": {":nonce": nonce_hash, ":expires": iso(expires), ":now": iso(now),
                                              ":again": iso(now - RESEND_AFTER)},
            }},
            outbox_message_put(self._aws, f"password_reset#{nonce_hash[:32]}", "password_reset", email, "",
                               message.subject, message.body, iso(now)),
        ]
        try:
            dynamo.transact_write(self._aws, actions, _busy())
        except dynamo.TransactionCancelled:
            log_event("password_reset.not_sent")  # no such account, or asked again too soon
            return
        log_event("password_reset.requested")

    def email_of(self, token: str) -> str:
        """The email a link is for, if it can still be used (signed, unexpired, the newest and unused);
        InvalidRequest otherwise. Only advice for the page: the reset itself decides, atomically."""
        email, _expires, nonce = self._parse(token)
        item = dynamo.get_item(self._aws.table(USERS), {"email": email}, consistent=True, message=_busy(),
                               ProjectionExpression="reset_nonce_hash, reset_expires_at") or {}
        current = item.get("reset_nonce_hash") == _hash(nonce)
        if not current or str(item.get("reset_expires_at", "")) < iso(self._clock.now()):
            raise _used()
        return email

    def reset(self, token: str, password: str, confirm: str) -> User:
        """Set a new password with a link: once, before it expires. Ends every session and API token of
        the account, and the login delay the owner may be under."""
        email, _expires, nonce = self._parse(token)
        user = self._users.set_password(
            email, password, confirm,
            condition="reset_nonce_hash = :nonce AND reset_expires_at >= :at",
            values={":nonce": _hash(nonce), ":at": iso(self._clock.now())},
            remove="reset_nonce_hash, reset_expires_at",
        )
        try:
            self._users.throttle.clear_account(email)
        except ServiceUnavailable as exc:  # the new password stands; the delay simply runs out
            log_event("password_reset.throttle_clear_failed", error=exc.code)
        log_event("password_reset.done", user_id=user.user_id)
        return user

    # Signing --------------------------------------------------------------------------------------
    def _sign(self, email: str, expires: int, nonce: str) -> str:
        payload = f"{_b64(email.encode())}.{expires}.{nonce}"
        return f"{payload}.{_b64(self._mac(payload))}"

    def _mac(self, payload: str) -> bytes:
        return hmac.new(self._key, payload.encode(), hashlib.sha256).digest()

    def _parse(self, token: str) -> tuple[str, int, str]:
        invalid = _used()
        parts = (token or "").strip().split(".")
        if len(parts) != 4 or len(token) > 1000:
            raise invalid
        payload = ".".join(parts[:3])
        try:
            signature = _unb64(parts[3])
            email = _unb64(parts[0]).decode()
            expires = int(parts[1])
        except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
            raise invalid from exc
        if not hmac.compare_digest(signature, self._mac(payload)):
            raise invalid
        if expires < self._clock.now().timestamp():
            raise invalid
        return email, expires, parts[2]


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _used() -> InvalidRequest:
    return InvalidRequest(t("This link has expired or was already used. Please ask for a new one."))


def _busy() -> str:
    return t("We could not send the email just now. Please try again in a minute.")
