"""The staff console's services, built together (one field, ``services.staff``, in the app's container)."""

from __future__ import annotations

from dataclasses import dataclass

from services.accounts.users import UserService
from services.booking.bookings import BookingService
from services.booking.counters import SalesCounters
from services.booking.inventory import InventoryService
from services.booking.tickets import TicketService
from services.catalog.catalog import CatalogService
from services.catalog.posters import PosterStore
from services.clock import Clock
from services.engage.reminders import Reminders
from services.platform.aws import Aws
from services.settings import Settings
from services.staff.access import AccessService
from services.staff.audit import AuditLog
from services.staff.cancellation import ShowCancellation
from services.staff.checkins import CheckinService
from services.staff.desk import BookingDesk
from services.staff.layouts import LayoutEditor
from services.staff.moves import ShowMover
from services.staff.movies import MovieEditor
from services.staff.reports import ReportService
from services.staff.schedule import ScheduleService
from services.staff.team import StaffTeam
from services.staff.theaters import TheaterEditor


@dataclass
class StaffServices:
    access: AccessService
    audit: AuditLog
    team: StaffTeam
    checkins: CheckinService
    schedule: ScheduleService
    cancellation: ShowCancellation
    reports: ReportService
    desk: BookingDesk
    layouts: LayoutEditor
    movies: MovieEditor
    posters: PosterStore
    theaters: TheaterEditor
    moves: ShowMover


def build_staff(aws: Aws, clock: Clock, settings: Settings, users: UserService, tickets: TicketService,
                catalog: CatalogService, bookings: BookingService, inventory: InventoryService) -> StaffServices:
    access = AccessService(users)
    audit = AuditLog(aws)
    schedule = ScheduleService(aws, clock, settings, catalog, access, audit)
    posters = PosterStore(aws)
    return StaffServices(
        access=access,
        audit=audit,
        team=StaffTeam(aws, clock, users, access, audit),
        checkins=CheckinService(aws, clock, tickets, access, audit, SalesCounters(aws)),
        schedule=schedule,
        cancellation=ShowCancellation(clock, catalog, bookings, schedule, access, audit),
        reports=ReportService(aws, catalog, access),
        desk=BookingDesk(aws, clock, settings, users, catalog, bookings, access, audit),
        layouts=LayoutEditor(aws, clock, catalog, access, audit),
        posters=posters,
        movies=MovieEditor(aws, clock, catalog, access, audit, posters),
        theaters=TheaterEditor(aws, clock, catalog, access, audit),
        moves=ShowMover(aws, clock, settings, catalog, inventory, bookings, schedule, access, audit,
                        Reminders(aws, settings)),
    )
