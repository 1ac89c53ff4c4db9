"""Walk-up sales at a kiosk: what the kiosk's theater shows now, and selling through the web's own services.

A kiosk customer is a ``Guest`` whose user id is a fresh checkout id per visit: it holds the seats and
owns the booking, so holds, prices, the no-oversell transaction and the confirmation email are exactly the
web's. Leaving a visit (cancel, idle reset, a reload) releases its hold; a hold never sold also expires.

Standing (general-admission) tickets of an event performance are held through ``QuotaService.hold`` (the web's
own quota hold, with its per-order limit and no-oversell condition) and released through
``QuotaService.release``, which also releases a plain seat hold, so one ``abandon`` serves both journeys.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from services.accounts.users import normalize_email
from services.booking.bookings import BookingService
from services.booking.models import Booking, Guest, Hold
from services.booking.payments import CardPayment
from services.booking.rules import on_sale
from services.catalog.catalog import CatalogService, Movie, Showtime
from services.clock import Clock
from services.errors import DomainError, InvalidRequest
from services.events.models import Availability, TicketType
from services.events.quotas import QuotaService
from services.i18n import t
from services.kiosk.kiosks import Kiosk, KioskService
from services.notify.subscriptions import SubscriptionService
from services.platform.logs import log_event
from services.settings import Settings

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class MovieShows:
    """A film the kiosk's theater plays in the sales window, with its shows still on sale (soonest first)."""

    movie: Movie
    shows: tuple[Showtime, ...]


@dataclass(frozen=True)
class StandingOffer:
    """What the time screen says of a general-admission performance: its lowest price on sale now (None: none
    on sale) and, when no ticket type can be bought now, why (``closed``): sold out, not on sale yet (one comes
    later, so the customer may come back), or sales ended. None: tickets can be bought."""

    from_price: int | None
    closed: Availability | None


class KioskSales:
    def __init__(self, clock: Clock, settings: Settings, catalog: CatalogService, bookings: BookingService,
                 kiosks: KioskService, subscriptions: SubscriptionService | None, quotas: QuotaService) -> None:
        self._clock = clock
        self._settings = settings
        self._catalog = catalog
        self._bookings = bookings
        self._kiosks = kiosks
        self._subscriptions = subscriptions
        self._quotas = quotas

    def shows(self, kiosk: Kiosk) -> list[MovieShows]:
        """Today's shows at the kiosk's theater that are still on sale, and tomorrow's from the evening
        (``kiosk_tomorrow_from_hour``, theater time); films ordered by their next show.

        Event performances there are listed like films: seated and mixed ones sell their seats on the map,
        general-admission ones their standing tickets (``standing_offer``, ``hold_standing``)."""
        theater = self._catalog.theater(kiosk.theater_id)
        now = self._clock.now()
        local_now = now.astimezone(theater.tz)
        days = {local_now.date()}
        if local_now.hour >= self._settings.kiosk_tomorrow_from_hour:
            days.add(local_now.date() + timedelta(days=1))
        by_movie: dict[str, list[Showtime]] = {}
        upcoming = [*self._catalog.upcoming_in_city(theater.city),
                    *self._catalog.upcoming_in_city(theater.city, listing="event")]
        for show in upcoming:
            here = show.theater_id == theater.theater_id and show.local_date() in days
            if here and on_sale(show, now, self._settings):
                by_movie.setdefault(show.movie_id, []).append(show)
        movies = self._catalog.movies(by_movie)
        listed = [MovieShows(movies[m], tuple(sorted(s, key=lambda x: x.starts_at)))
                  for m, s in by_movie.items() if m in movies]
        return sorted(listed, key=lambda entry: (entry.shows[0].starts_at, entry.movie.title))

    def ticket_types(self, showtime_id: str) -> list[TicketType]:
        """A general-admission performance's ticket types with what is left (read afresh)."""
        return self._quotas.ticket_types(showtime_id)

    def standing_offer(self, showtime_id: str) -> StandingOffer:
        """The "from" price and the sold-out state of a general-admission performance, from one read."""
        now = self._clock.now()
        types = self._quotas.ticket_types(showtime_id)
        prices = [ticket.price_at(now) for ticket in types if ticket.selling(now)]
        if any(ticket.most_in_one_order(now) > 0 for ticket in types):
            return StandingOffer(min(prices, default=None), None)
        states = {ticket.availability(now) for ticket in types}
        closed = next((state for state in (Availability.NOT_YET, Availability.SOLD_OUT) if state in states),
                      Availability.ENDED)
        return StandingOffer(min(prices, default=None), closed)

    def hold_standing(self, showtime_id: str, wanted: Mapping[str, int], checkout_id: str) -> Hold:
        """Hold the visit's standing tickets (``{ticket type: quantity}``): the web's quota hold, all or none;
        holding again replaces the visit's hold. SoldOut / OverLimit / ShowClosed with a message for a person."""
        return self._quotas.hold(showtime_id, wanted, checkout_id)

    def new_checkout(self, kiosk: Kiosk) -> str:
        """A fresh holder id for one customer's visit (never reused: the next customer gets their own)."""
        return f"kc-{kiosk.kiosk_id}-{uuid.uuid4().hex[:12]}"

    def check_email(self, email: str) -> str:
        """The address for an e-ticket, normalized ("" for none); InvalidRequest when it is not one."""
        email = normalize_email(email)
        if email and (len(email) > 254 or not _EMAIL.match(email)):
            raise InvalidRequest(t("That email address does not look right. Please check it."))
        return email

    def sell(self, kiosk: Kiosk, hold_id: str, checkout_id: str, payment: CardPayment, email: str = "") -> Booking:
        """Pay for the visit's hold with the card the terminal read; the booking belongs to the visit."""
        email = self.check_email(email)
        if email and self._subscriptions is not None:
            # A guest has no account, so nothing subscribed this address yet: the e-ticket needs it.
            self._subscriptions.try_subscribe(email)
        booking = self._bookings.checkout(hold_id, Guest(checkout_id, email), payment)
        self._kiosks.record_sale(kiosk.kiosk_id, booking)
        log_event("kiosk.sale", kiosk_id=kiosk.kiosk_id, booking_id=booking.booking_id, emailed=bool(email))
        return booking

    def abandon(self, hold_id: str | None, checkout_id: str) -> None:
        """Release what the visit still holds (cancel, idle reset, reload); a sold or gone hold is fine."""
        if not hold_id:
            return
        try:
            released = self._quotas.release(hold_id, checkout_id)  # seats, standing tickets or both
        except DomainError as exc:  # expired, confirmed or unreachable: expiry frees it anyway
            log_event("kiosk.release_skipped", hold_id=hold_id, reason=exc.code)
            return
        log_event("kiosk.released", hold_id=hold_id, places=released)
