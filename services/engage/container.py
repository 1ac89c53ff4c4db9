"""The coming-back services (issue 15), built together: one field, ``services.engage``, in the container."""

from __future__ import annotations

from dataclasses import dataclass

from services.booking.bookings import BookingService
from services.catalog.catalog import CatalogService
from services.clock import Clock
from services.engage.attendance import Attendance
from services.engage.calendar import CalendarService
from services.engage.loyalty import LoyaltyService
from services.engage.rebooking import Rebooking
from services.engage.recommendations import Recommender
from services.engage.reviews import ReviewService
from services.engage.waitlist import WaitingList
from services.platform.aws import Aws
from services.settings import Settings
from services.staff.container import StaffServices


@dataclass
class EngageServices:
    attendance: Attendance
    reviews: ReviewService
    loyalty: LoyaltyService
    calendar: CalendarService
    rebooking: Rebooking
    waitlist: WaitingList
    recommendations: Recommender


def build_engage(aws: Aws, clock: Clock, settings: Settings, catalog: CatalogService, bookings: BookingService,
                 staff: StaffServices, loyalty: LoyaltyService, recommender: Recommender,
                 waitlist: WaitingList) -> EngageServices:
    """``waitlist`` is built before the booking service, which hands it the seats a cancellation frees."""
    attendance = Attendance(clock, catalog, bookings)
    return EngageServices(
        attendance=attendance,
        reviews=ReviewService(aws, clock, catalog, attendance, staff.access, staff.audit),
        loyalty=loyalty,
        calendar=CalendarService(clock, catalog, bookings, settings.base_url),
        rebooking=Rebooking(clock, settings, catalog),
        waitlist=waitlist,
        recommendations=recommender,
    )
