"""Kiosks: created for one theater by a manager, paired to one browser by a one-time code, revocable.

Pairing consumes the code and bumps the kiosk's ``credential_version`` in one conditional update, so a
code works once, and pairing again (or revoking) invalidates every credential issued before. The staff
PIN is stored as a salted PBKDF2 hash; five wrong PINs in a row lock the corner for five minutes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from boto3.dynamodb.conditions import Key

from services.accounts.users import User
from services.booking.models import Booking
from services.catalog.catalog import CatalogService
from services.clock import Clock, iso, parse_iso
from services.errors import InvalidRequest, NotFound, ServiceUnavailable, Unauthorized
from services.i18n import t
from services.kiosk.access import KioskAccess
from services.kiosk.credentials import KioskCredentials
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.logs import log_event
from services.platform.schema import KIOSKS
from services.settings import Settings

KioskStatus = Literal["active", "revoked"]
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud or typed without doubt
MAX_PIN_FAILURES = 5
PIN_LOCK = timedelta(minutes=5)
_PBKDF2_ROUNDS = 120_000


@dataclass(frozen=True)
class Kiosk:
    kiosk_id: str
    theater_id: str
    name: str
    status: KioskStatus
    credential_version: int
    created_at: str
    paired_at: str | None = None
    pairing_code: str | None = None
    pairing_expires_at: str | None = None
    last_sale_at: str | None = None
    last_sale_booking_id: str | None = None
    last_sale_total: int | None = None
    last_sale_currency: str | None = None

    @property
    def paired(self) -> bool:
        return self.paired_at is not None and self.status == "active"


@dataclass(frozen=True)
class NewKiosk:
    """What staff see once, right after creating a kiosk: the pairing code and the staff PIN."""

    kiosk: Kiosk
    pairing_code: str
    pin: str | None  # None when every kiosk uses the PIN from settings


class KioskService:
    def __init__(self, aws: Aws, clock: Clock, settings: Settings, catalog: CatalogService,
                 access: KioskAccess) -> None:
        self.access = access
        self._clock = clock
        self._settings = settings
        self._catalog = catalog
        self._table = aws.table(KIOSKS)
        self._credentials = KioskCredentials(settings.storage_secret)

    # Staff ------------------------------------------------------------------------------------------
    def create(self, actor: User | None, theater_id: str, name: str) -> NewKiosk:
        self.access.require(actor, theater_id)
        name = " ".join((name or "").split())
        if not 1 <= len(name) <= 40:
            raise InvalidRequest(t("Give the kiosk a name of 1 to 40 characters, e.g. \"Lobby left\"."))
        self._catalog.theater(theater_id)  # NotFound for a theater that does not exist
        now = self._now()
        kiosk_id = f"k-{uuid.uuid4().hex[:12]}"
        code, expires = _new_code(), iso(now + timedelta(minutes=self._settings.kiosk_pairing_minutes))
        pin = None if self._settings.kiosk_pin else f"{secrets.randbelow(10**6):06d}"
        item: dict[str, Any] = {
            "kiosk_id": kiosk_id, "theater_id": theater_id, "name": name, "status": "active",
            "credential_version": 0, "created_at": iso(now), "pairing_code": code, "pairing_expires_at": expires,
        }
        if pin:
            item["pin_hash"] = _pin_hash(kiosk_id, pin)
        try:
            dynamo.put_item(self._table, item, ConditionExpression="attribute_not_exists(kiosk_id)")
        except dynamo.ConditionFailed as exc:  # a random 48-bit id taken: vanishingly rare, and nothing written
            raise InvalidRequest(t("Please try again.")) from exc
        log_event("kiosk.created", kiosk_id=kiosk_id, theater_id=theater_id)
        return NewKiosk(_kiosk(item), code, pin)

    def for_theater(self, actor: User | None, theater_id: str) -> list[Kiosk]:
        self.access.require(actor, theater_id)
        items = dynamo.query_all(self._table, IndexName="by-theater", KeyConditionExpression=Key("theater_id").eq(
            theater_id), message=t("Kiosks cannot be loaded just now. Please try again.")).items
        return [_kiosk(item) for item in items]

    def new_pairing_code(self, actor: User | None, kiosk_id: str) -> str:
        """A fresh one-time code (the old one stops working); pairing with it re-activates a revoked kiosk."""
        kiosk = self.get(kiosk_id)
        self.access.require(actor, kiosk.theater_id)
        code = _new_code()
        expires = iso(self._now() + timedelta(minutes=self._settings.kiosk_pairing_minutes))
        self._update(kiosk_id, "SET pairing_code = :c, pairing_expires_at = :e", {":c": code, ":e": expires})
        log_event("kiosk.pairing_code", kiosk_id=kiosk_id)
        return code

    def new_pin(self, actor: User | None, kiosk_id: str) -> str:
        kiosk = self.get(kiosk_id)
        self.access.require(actor, kiosk.theater_id)
        if self._settings.kiosk_pin:
            raise InvalidRequest(t("Every kiosk uses the PIN set in MOVIEMAGIC_KIOSK_PIN."))
        pin = f"{secrets.randbelow(10**6):06d}"
        self._update(kiosk_id, "SET pin_hash = :h, pin_failures = :zero", {":h": _pin_hash(kiosk_id, pin), ":zero": 0})
        return pin

    def revoke(self, actor: User | None, kiosk_id: str) -> Kiosk:
        """The paired browser loses its credential at its next check; any open pairing code dies too."""
        kiosk = self.get(kiosk_id)
        self.access.require(actor, kiosk.theater_id)
        attributes = self._update(
            kiosk_id, "SET #s = :revoked, credential_version = credential_version + :one "
                      "REMOVE pairing_code, pairing_expires_at, paired_at",
            {":revoked": "revoked", ":one": 1}, names={"#s": "status"},
        )
        log_event("kiosk.revoked", kiosk_id=kiosk_id)
        return _kiosk(attributes)

    # The device -------------------------------------------------------------------------------------
    def pair(self, typed: str) -> tuple[Kiosk, str]:
        """Consume a pairing code; the kiosk and the credential its browser keeps."""
        code = _normal_code(typed)
        refused = Unauthorized(t("This pairing link is not valid or has expired. Ask for a new one."))
        if code is None:
            raise refused
        found = dynamo.query_all(self._table, IndexName="by-pairing-code", KeyConditionExpression=Key(
            "pairing_code").eq(code), message=t("The kiosk cannot be paired just now. Please try again.")).items
        if not found:
            raise refused
        kiosk_id, now = found[0]["kiosk_id"], iso(self._now())
        try:
            attributes = dynamo.update_item(
                self._table, {"kiosk_id": kiosk_id},
                UpdateExpression="SET #s = :active, paired_at = :now, credential_version = credential_version + :one "
                                 "REMOVE pairing_code, pairing_expires_at",
                ConditionExpression="pairing_code = :code AND pairing_expires_at >= :now",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":active": "active", ":now": now, ":one": 1, ":code": code},
                ReturnValues="ALL_NEW",
            )
        except dynamo.ConditionFailed as exc:  # used meanwhile, expired, or replaced by a newer code
            raise refused from exc
        kiosk = _kiosk(attributes)
        log_event("kiosk.paired", kiosk_id=kiosk_id, version=kiosk.credential_version)
        return kiosk, self._credentials.issue(kiosk.kiosk_id, kiosk.credential_version)

    def verify(self, credential: object) -> Kiosk:
        """The active kiosk a browser's credential belongs to; Unauthorized when forged, old or revoked.
        ServiceUnavailable when the kiosk table cannot be read (the kiosk then shows "out of order")."""
        claim = self._credentials.read(credential)
        if claim is None:
            raise Unauthorized(t("This screen is not paired as a kiosk."))
        kiosk = self._find(claim.kiosk_id)
        if kiosk is None or kiosk.status != "active" or kiosk.credential_version != claim.version:
            raise Unauthorized(t("This kiosk was unpaired by staff."))
        return kiosk

    def check_pin(self, kiosk_id: str, pin: str) -> bool:
        """True for the right staff PIN. Five wrong ones in a row lock the staff corner for five minutes."""
        item = self._item(kiosk_id)
        now = self._now()
        failures = int(item.get("pin_failures", 0))
        if failures >= MAX_PIN_FAILURES and now < parse_iso(item.get("pin_failed_at", iso(now))) + PIN_LOCK:
            raise InvalidRequest(t("Too many wrong PINs. Try again in a few minutes."))
        expected = self._settings.kiosk_pin
        ok = (hmac.compare_digest(pin.encode(), expected.encode()) if expected
              else hmac.compare_digest(_pin_hash(kiosk_id, pin), str(item.get("pin_hash", ""))))
        if ok:
            if failures:
                self._update(kiosk_id, "SET pin_failures = :zero", {":zero": 0})
            return True
        if failures >= MAX_PIN_FAILURES:  # the lock has passed: count afresh
            self._update(kiosk_id, "SET pin_failures = :one, pin_failed_at = :now", {":one": 1, ":now": iso(now)})
        else:
            self._update(kiosk_id, "SET pin_failures = if_not_exists(pin_failures, :zero) + :one, pin_failed_at = :now",
                         {":zero": 0, ":one": 1, ":now": iso(now)})
        log_event("kiosk.pin_refused", kiosk_id=kiosk_id)
        return False

    def record_sale(self, kiosk_id: str, booking: Booking) -> None:
        """The staff panel's "last sale"; the booking stands whether or not this note is written."""
        try:
            self._update(kiosk_id, "SET last_sale_at = :at, last_sale_booking_id = :b, last_sale_total = :total, "
                                   "last_sale_currency = :cur",
                         {":at": booking.created_at, ":b": booking.booking_id, ":total": booking.price.total,
                          ":cur": booking.price.currency})
        except (ServiceUnavailable, NotFound) as exc:
            log_event("kiosk.sale_note_failed", kiosk_id=kiosk_id, error=exc.message)

    def get(self, kiosk_id: str) -> Kiosk:
        return _kiosk(self._item(kiosk_id))

    # Helpers ----------------------------------------------------------------------------------------
    def _now(self) -> datetime:
        return self._clock.now().replace(microsecond=0)

    def _find(self, kiosk_id: str) -> Kiosk | None:
        item = dynamo.get_item(self._table, {"kiosk_id": kiosk_id}, consistent=True,
                               message=t("The kiosk system cannot be reached just now."))
        return _kiosk(item) if item else None

    def _item(self, kiosk_id: str) -> dict[str, Any]:
        item = dynamo.get_item(self._table, {"kiosk_id": kiosk_id}, consistent=True,
                               message=t("The kiosk system cannot be reached just now."))
        if item is None:
            raise NotFound(t("That kiosk does not exist."))
        return item

    def _update(self, kiosk_id: str, expression: str, values: dict[str, Any],
                names: dict[str, str] | None = None) -> dict[str, Any]:
        extra: dict[str, Any] = {"ExpressionAttributeNames": names} if names else {}
        try:
            return dynamo.update_item(self._table, {"kiosk_id": kiosk_id}, UpdateExpression=expression,
                                      ConditionExpression="attribute_exists(kiosk_id)",
                                      ExpressionAttributeValues=values, ReturnValues="ALL_NEW", **extra)
        except dynamo.ConditionFailed as exc:
            raise NotFound(t("That kiosk does not exist.")) from exc


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def _normal_code(code: str) -> str | None:
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(raw) != 8 or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return f"{raw[:4]}-{raw[4:]}"


def _pin_hash(kiosk_id: str, pin: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), f"kiosk-pin:{kiosk_id}".encode(), _PBKDF2_ROUNDS).hex()


def _kiosk(item: dict[str, Any]) -> Kiosk:
    total = item.get("last_sale_total")
    return Kiosk(
        kiosk_id=item["kiosk_id"], theater_id=item["theater_id"], name=item["name"], status=item["status"],
        credential_version=int(item.get("credential_version", 0)), created_at=item["created_at"],
        paired_at=item.get("paired_at"), pairing_code=item.get("pairing_code"),
        pairing_expires_at=item.get("pairing_expires_at"), last_sale_at=item.get("last_sale_at"),
        last_sale_booking_id=item.get("last_sale_booking_id"),
        last_sale_total=int(total) if total is not None else None, last_sale_currency=item.get("last_sale_currency"),
    )
