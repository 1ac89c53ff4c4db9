"""Who may manage a theater's kiosks: the ONE place that decides it.

Admins, and the managers of that theater: the staff console's access check (role and theater scope read
afresh from the account, so a disabled manager or a moved theater applies at the next click). Every kiosk
service method that changes or lists kiosks asks here, and so does the staff page; never a role compare.
"""

from __future__ import annotations

from services.accounts.users import User
from services.errors import Forbidden
from services.i18n import t
from services.staff.access import AccessService


class KioskAccess:
    def __init__(self, staff: AccessService) -> None:
        self._staff = staff

    def can_manage(self, user: User | None, theater_id: str) -> bool:
        """True when ``user`` may create, pair, revoke and list the kiosks of ``theater_id``."""
        member = self._staff.member(user)
        return member is not None and member.may("manage", theater_id)

    def require(self, user: User | None, theater_id: str) -> None:
        if not self.can_manage(user, theater_id):
            raise Forbidden(t("Only theater managers can manage kiosks."))
