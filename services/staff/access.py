"""Who may do what in the staff console: the one access check that pages and API routes both call.

Roles (in the user record): ``customer``; ``usher`` (check-in only); ``manager`` (their theaters:
schedules, bookings, refunds, reports, audit); ``admin`` (everything, staff accounts, the catalog).
Ushers and managers act only for the theaters in their record's ``theaters``; admins for all.

The check reads the account afresh (one GetItem): a role, a theater or a disabled flag changed by an
admin applies at the next click, not when a session or an API token (which carry an old role) expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from services.accounts.users import Role, User, UserService
from services.errors import Forbidden, NotFound, Unauthorized
from services.i18n import t

Permission = Literal["checkin", "manage", "admin"]
STAFF_ROLES: tuple[Role, ...] = ("usher", "manager", "admin")
# The roles that hold each permission.
_GRANTS: dict[Permission, tuple[Role, ...]] = {
    "checkin": ("usher", "manager", "admin"),
    "manage": ("manager", "admin"),
    "admin": ("admin",),
}


@dataclass(frozen=True)
class StaffMember:
    user_id: str
    email: str
    name: str
    role: Role
    theaters: tuple[str, ...]  # ignored for admins: they act for every theater

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may(self, permission: Permission, theater_id: str | None = None) -> bool:
        """Holds ``permission`` (for ``theater_id``, or for at least one theater when None)."""
        if self.role not in _GRANTS[permission]:
            return False
        return self.is_admin or (theater_id in self.theaters if theater_id is not None else bool(self.theaters))

    def theater_scope(self, all_theaters: list[str]) -> list[str]:
        """The theaters this member acts for, in the catalog's order."""
        return list(all_theaters) if self.is_admin else [t_id for t_id in all_theaters if t_id in self.theaters]


class AccessService:
    def __init__(self, users: UserService) -> None:
        self._users = users

    def member(self, user: User | None) -> StaffMember | None:
        """The staff member behind a session or token user, read afresh; None for customers and disabled staff."""
        if user is None or user.role not in STAFF_ROLES:
            return None
        try:
            current = self._users.get(user.email)
        except NotFound:
            return None
        if current.user_id != user.user_id or current.disabled or current.role not in STAFF_ROLES:
            return None
        return StaffMember(current.user_id, current.email, current.name, current.role, current.theaters)

    def require(self, user: User | None, permission: Permission, theater_id: str | None = None) -> StaffMember:
        """The staff member allowed ``permission`` (for ``theater_id``); Unauthorized / Forbidden otherwise."""
        if user is None:
            raise Unauthorized(t("Please log in."))
        member = self.member(user)
        if member is None or not member.may(permission, theater_id):
            raise Forbidden(t("You do not have access to this."))
        return member
