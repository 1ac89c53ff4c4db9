"""The staff console's services, built together (one field, ``services.staff``, in the app's container)."""

from __future__ import annotations

from dataclasses import dataclass

from services.accounts.users import UserService
from services.booking.tickets import TicketService
from services.clock import Clock
from services.platform.aws import Aws
from services.staff.access import AccessService
from services.staff.audit import AuditLog
from services.staff.checkins import CheckinService
from services.staff.team import StaffTeam


@dataclass
class StaffServices:
    access: AccessService
    audit: AuditLog
    team: StaffTeam
    checkins: CheckinService


def build_staff(aws: Aws, clock: Clock, users: UserService, tickets: TicketService) -> StaffServices:
    access = AccessService(users)
    audit = AuditLog(aws)
    return StaffServices(
        access=access,
        audit=audit,
        team=StaffTeam(aws, clock, users, access, audit),
        checkins=CheckinService(aws, clock, tickets, access, audit),
    )
