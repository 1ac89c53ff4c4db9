"""Staff accounts: an admin creates ushers, managers and admins, assigns their theaters, disables them.

Every change is one transaction with its audit entry. A new account's password is random and returned
once (the admin hands it over); nothing stores it in clear.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Key

from services.accounts.users import Role, User, UserService, normalize_email
from services.clock import Clock
from services.errors import EmailTaken, InvalidRequest, NotFound
from services.i18n import t
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.logs import log_event
from services.platform.schema import USERS
from services.staff.access import STAFF_ROLES, AccessService, StaffMember
from services.staff.audit import GLOBAL, AuditLog

# The actor of changes made by the app itself (the demo's staff accounts at first start).
SYSTEM = StaffMember("system", "system", "Movie Magic set-up", "admin", ())


@dataclass(frozen=True)
class NewAccount:
    user: User
    password: str  # shown once


class StaffTeam:
    def __init__(self, aws: Aws, clock: Clock, users: UserService, access: AccessService, audit: AuditLog) -> None:
        self._aws = aws
        self._clock = clock
        self._users = users
        self._access = access
        self._audit = audit
        self._table = aws.table(USERS)
        self._table_name = aws.table_name(USERS)

    def members(self, actor: User) -> list[User]:
        """Every staff account (admins only): one Query on the sparse staff index."""
        self._access.require(actor, "admin")
        found = dynamo.query_all(self._table, IndexName="staff-accounts",
                                 KeyConditionExpression=Key("staff").eq("staff"),
                                 message=t("Staff accounts cannot be read just now. Please try again."))
        return [self._users.get(item["email"]) for item in found.items]

    def create(self, actor: User, name: str, email: str, role: str, theaters: list[str],
               known_theaters: list[str]) -> NewAccount:
        member = self._access.require(actor, "admin")
        return self._create(member, name, email, role, theaters, known_theaters)

    def _create(self, member: StaffMember, name: str, email: str, role: str, theaters: list[str],
                known_theaters: list[str]) -> NewAccount:
        staff_role = _staff_role(role)
        scopes = _theaters(staff_role, theaters, known_theaters)
        password = secrets.token_urlsafe(12)
        user = self._users.register(name, email, password, role=staff_role)
        now = self._clock.now()
        self._update(user.email, scopes, False, member, "staff.created", now,
                     before=None, after={"role": staff_role, "theaters": scopes, "disabled": False})
        log_event("staff.created", user_id=user.user_id, role=staff_role, theaters=scopes)
        return NewAccount(self._users.get(user.email), password)

    def assign_theaters(self, actor: User, email: str, theaters: list[str], known_theaters: list[str]) -> User:
        member = self._access.require(actor, "admin")
        current = self._staff_account(email)
        scopes = _theaters(current.role, theaters, known_theaters)
        self._update(current.email, scopes, current.disabled, member, "staff.theaters", self._clock.now(),
                     before={"theaters": list(current.theaters)}, after={"theaters": scopes})
        return self._users.get(current.email)

    def set_disabled(self, actor: User, email: str, disabled: bool) -> User:
        member = self._access.require(actor, "admin")
        current = self._staff_account(email)
        if current.user_id == member.user_id and disabled:
            raise InvalidRequest(t("You cannot disable your own account."))
        self._update(current.email, list(current.theaters), disabled, member,
                     "staff.disabled" if disabled else "staff.enabled", self._clock.now(),
                     before={"disabled": current.disabled}, after={"disabled": disabled})
        return self._users.get(current.email)

    def ensure_demo_staff(self, theaters: dict[str, str], domain: str = "moviemagic.local") -> list[NewAccount]:
        """One manager and one usher per theater (id -> name), created if missing (embedded demo, first start)."""
        created: list[NewAccount] = []
        for theater_id, theater_name in theaters.items():
            for role, title in (("manager", t("Manager")), ("usher", t("Usher"))):
                email = f"{role}.{theater_id}@{domain}"
                try:
                    created.append(self._create(SYSTEM, f"{title}, {theater_name}"[:80], email, role,
                                                [theater_id], list(theaters)))
                except EmailTaken:
                    continue
        return created

    def _staff_account(self, email: str) -> User:
        current = self._users.get(email)
        if current.role not in STAFF_ROLES:
            raise NotFound(t("No such staff account."))
        return current

    def _update(self, email: str, theaters: list[str], disabled: bool, member: StaffMember, action: str,
                now: datetime, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
        actions = [
            {"Update": {
                "TableName": self._table_name,
                "Key": {"email": normalize_email(email)},
                "UpdateExpression": "SET theaters = :theaters, disabled = :disabled, staff = :staff",
                "ConditionExpression": "attribute_exists(email)",
                "ExpressionAttributeValues": {":theaters": theaters, ":disabled": disabled, ":staff": "staff"},
            }},
            self._audit.put_action(GLOBAL, member, action, normalize_email(email), now, before, after),
        ]
        try:
            dynamo.transact_write(self._aws, actions)
        except dynamo.TransactionCancelled as exc:
            raise NotFound(t("No such staff account.")) from exc


def _staff_role(role: str) -> Role:
    if role not in STAFF_ROLES:
        raise InvalidRequest(t("A staff account is an usher, a manager or an admin."))
    return role


def _theaters(role: Role, theaters: list[str], known: list[str]) -> list[str]:
    chosen = list(dict.fromkeys(theaters))
    unknown = [theater for theater in chosen if theater not in known]
    if unknown:
        raise InvalidRequest(t("Unknown theaters: {names}.", names=", ".join(unknown)))
    if role != "admin" and not chosen:
        raise InvalidRequest(t("Ushers and managers work for at least one theater."))
    return chosen
