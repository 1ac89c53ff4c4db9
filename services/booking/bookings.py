"""Checkout, cancellation and a user's bookings.

Checkout: authorize the payment (idempotency key = hold id) -> one TransactWriteItems that sells the
held seats, writes the booking and its pending notification -> capture; void when the transaction
fails. The booking id is derived from the hold id, so a double click, a retry after a timeout or a
reconnect finds the same booking instead of making a second one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol

from boto3.dynamodb.conditions import Key

from services.booking import rules
from services.booking.inventory import InventoryService
from services.booking.models import Booking, Customer, Hold, SeatState
from services.booking.payments import Authorization, Payment, PaymentGateway
from services.booking.pricing import Price, PricedSeat, PricingService, Quote
from services.catalog.catalog import CatalogService
from services.clock import Clock, iso
from services.engage.errors import NotEnoughPoints
from services.errors import DomainError, HoldExpired, NotFound, ServiceUnavailable, TooLateToCancel
from services.formatting import date_time
from services.i18n import language, t
from services.live.hub import SeatChange
from services.notify.outbox import outbox_put
from services.platform import dynamo
from services.platform.aws import Aws
from services.platform.dynamo import TransactionCancelled, TransactionOutcomeUnknown
from services.platform.logs import log_event
from services.platform.schema import BOOKINGS
from services.settings import Settings

_HANDOFF_TRIES = 3  # cancellation attempts that hand seats to a waiting list before freeing them plainly


def booking_id_for(hold_id: str) -> str:
    """One hold, one booking: retries and double clicks land on the same id."""
    return f"bk-{hold_id}"


def quote_hold(catalog: CatalogService, pricing: PricingService, hold: Hold) -> Quote:
    """What paying for a hold costs: its seats at the show's prices, then its general-admission tickets (events)
    at the prices fixed when they were held, numbered as they will be booked. The one way a hold is priced."""
    seats: tuple[PricedSeat, ...] = ()
    if hold.seat_ids:
        showtime = catalog.showtime(hold.showtime_id)
        seats = pricing.quote(showtime, catalog.layout_of(showtime), hold.seat_ids).seats
    seats += hold.ga_tickets(booking_id_for(hold.hold_id))
    return Quote(seats, pricing.price([seat.price for seat in seats]))


class BookingCounters(Protocol):
    """Aggregates kept in the same transaction as each sale and cancellation (services/booking/counters.py)."""

    def on_sale(self, booking: Booking) -> list[dict[str, Any]]: ...
    def on_cancel(self, booking: Booking) -> list[dict[str, Any]]: ...


class GeneralAdmission(Protocol):
    """Event tickets without a seat (services/events/quotas.py): sold and given back in the same transactions."""

    def sell_actions(self, hold: Hold, now: datetime) -> list[dict[str, Any]]: ...
    def cancel_actions(self, booking: Booking) -> list[dict[str, Any]]: ...
class LoyaltyHooks(Protocol):
    """Loyalty points (services/engage/loyalty.py): a discount at checkout, and the balance changes that
    ride in the sale and cancellation transactions (``on_sale``'s first action is the balance update)."""

    def redemption(self, customer: Customer, price: Price, points: int) -> Any: ...
    def booking_fields(self, customer: Customer, redemption: Any) -> dict[str, Any]: ...
    def on_sale(self, booking: Booking) -> list[dict[str, Any]]: ...
    def on_cancel(self, booking: Booking) -> list[dict[str, Any]]: ...


class SeatHandoff(Protocol):
    """A waiting list (services/engage/waitlist.py) that takes seats a cancellation frees in the cancellation's
    own transaction: ``on_release`` gives the actions and the seats they take (``.actions``, ``.seats``) or
    None, ``after_handoff`` announces them once committed."""

    def on_release(self, showtime_id: str, seat_ids: list[str], booking_id: str, now: datetime) -> Any: ...
    def after_handoff(self, handoff: Any) -> None: ...


class BookingService:
    def __init__(
        self,
        aws: Aws,
        clock: Clock,
        settings: Settings,
        catalog: CatalogService,
        inventory: InventoryService,
        pricing: PricingService,
        payments: PaymentGateway,
        counters: BookingCounters | None = None,
        general_admission: GeneralAdmission | None = None,
        loyalty: LoyaltyHooks | None = None,
        handoff: SeatHandoff | None = None,
    ) -> None:
        self._aws = aws
        self._clock = clock
        self._settings = settings
        self._catalog = catalog
        self._inventory = inventory
        self._pricing = pricing
        self._payments = payments
        self._counters = counters
        self._general_admission = general_admission
        self._loyalty = loyalty
        self._handoff = handoff
        self._table = aws.table(BOOKINGS)
        self._table_name = aws.table_name(BOOKINGS)

    # Checkout -------------------------------------------------------------------------------------
    def checkout(self, hold_id: str, customer: Customer, payment: Payment, redeem_points: int = 0) -> Booking:
        """Pay for a live hold and turn its seats into a booking; the same hold gives the same booking.
        ``redeem_points``: loyalty points to spend as a discount (computed here, never by the client)."""
        hold = self._inventory.get_hold(hold_id, customer.user_id)
        if hold.status == "confirmed":
            return self._settle(self._find(booking_id_for(hold_id)), None)
        now = self._clock.now().replace(microsecond=0)
        if not hold.is_live(now):
            raise HoldExpired(t("Your hold on these seats has expired. Please choose your seats again."))
        showtime = self._catalog.showtime(hold.showtime_id)
        self._inventory.ensure_on_sale(showtime)
        quote = self.quote(hold)
        seats, price = quote.seats, quote.price
        points_fields: dict[str, Any] = {}
        if self._loyalty is not None:
            redemption = self._loyalty.redemption(customer, quote.price, redeem_points)
            price, points_fields = redemption.price, self._loyalty.booking_fields(customer, redemption)
        # Keyed by hold and revision: a double submit shares one authorization, a changed selection gets its own.
        key = f"{hold_id}#{hold.revision}"
        authorization = self._payments.authorize(key, price.total, price.currency, payment)
        now = self._clock.now().replace(microsecond=0)  # the bank may be slow: the seats must be live now
        booking = self._new_booking(hold, customer, seats, price, authorization, now)
        booking = replace(booking, extra=booking.extra | points_fields)
        item = booking.to_item()
        actions = self._inventory.sell_actions(hold, booking.booking_id, now)
        if self._general_admission is not None:
            actions += self._general_admission.sell_actions(hold, now)
        actions.append({"Put": {"TableName": self._table_name, "Item": item,
                                "ConditionExpression": "attribute_not_exists(booking_id)"}})
        actions.append(outbox_put(self._aws, "booking_confirmed", item, iso(now)))
        if self._counters is not None:
            actions += self._counters.on_sale(booking)
        points_at = len(actions)  # the loyalty balance's update, if any, is the next action
        if self._loyalty is not None:
            actions += self._loyalty.on_sale(booking)
        try:
            dynamo.transact_write(self._aws, actions)
        except TransactionOutcomeUnknown:
            return self._after_unknown_outcome(booking.booking_id, authorization)
        except TransactionCancelled as exc:
            if len(actions) > points_at and exc.codes[points_at] == "ConditionalCheckFailed" \
                    and self._find_or_none(booking.booking_id) is None:
                self._void(authorization)  # the points were spent meanwhile (another checkout): nothing charged
                raise NotEnoughPoints(t("Your points were used elsewhere meanwhile. Nothing was charged; "
                                        "please try again.")) from exc
            return self._after_cancelled(booking.booking_id, authorization, exc.codes)
        self._capture(booking)
        self._inventory.publish(hold.showtime_id, [SeatChange(s, SeatState.SOLD) for s in booking.numbered_seat_ids])
        log_event("booking.confirmed", booking_id=booking.booking_id, showtime_id=booking.showtime_id,
                  seats=booking.seat_ids, total=booking.price.total, currency=booking.price.currency,
                  card_last4=booking.card_last4)
        return booking

    def quote(self, hold: Hold) -> Quote:
        return quote_hold(self._catalog, self._pricing, hold)

    def _after_cancelled(self, booking_id: str, authorization: Authorization, reasons: list[str | None]) -> Booking:
        existing = self._find_or_none(booking_id)
        if existing is not None:  # a double submit that the other request won
            return self._settle(existing, authorization)
        if any(code not in (None, "ConditionalCheckFailed") for code in reasons):
            # A conflict with a concurrent request (real DynamoDB): that request may still win with this
            # same authorization, so do not void it; an authorization never captured simply lapses.
            log_event("booking.conflict", booking_id=booking_id, reasons=[r for r in reasons if r])
            raise ServiceUnavailable(t("Your booking is taking longer than usual. Please try again."))
        self._void(authorization)
        log_event("booking.hold_expired", booking_id=booking_id)
        raise HoldExpired(t("Your hold on these seats has expired or changed. Please choose your seats again."))

    def _after_unknown_outcome(self, booking_id: str, authorization: Authorization) -> Booking:
        existing = self._find_or_none(booking_id)  # raises ServiceUnavailable when still unreachable
        if existing is not None:  # it did commit; only the answer was lost
            self._inventory.publish(existing.showtime_id,
                                    [SeatChange(s, SeatState.SOLD) for s in existing.numbered_seat_ids])
            return self._settle(existing, authorization)
        self._void(authorization)
        raise ServiceUnavailable(t("We could not complete your booking. Nothing was charged; please try again."))

    def _settle(self, booking: Booking, authorization: Authorization | None) -> Booking:
        """A booking that already exists: make sure its payment is captured, void a spare authorization."""
        if authorization is not None and authorization.authorization_id != booking.payment_id:
            self._void(authorization)
        if booking.status == "confirmed":
            self._capture(booking)
        return booking

    def _capture(self, booking: Booking) -> None:
        try:
            self._payments.capture(booking.payment_id)
        except Exception as exc:  # the seats are sold and the booking stands: reconcile the payment later
            log_event("payment.capture_failed", booking_id=booking.booking_id, error=type(exc).__name__)

    def _void(self, authorization: Authorization) -> None:
        try:
            self._payments.void(authorization.authorization_id)
        except Exception as exc:  # never captured, so it lapses anyway
            log_event("payment.void_failed", authorization_id=authorization.authorization_id, error=type(exc).__name__)

    def _new_booking(self, hold: Hold, customer: Customer, seats: tuple[PricedSeat, ...], price: Price,
                     authorization: Authorization, now: datetime) -> Booking:
        showtime = self._catalog.showtime(hold.showtime_id)
        theater = self._catalog.theater(showtime.theater_id)
        # A general-admission performance at a venue has no screen: its "hall" is general admission.
        screen_name = theater.screen(showtime.screen_id).name if showtime.has_seats else t("General admission")
        movie = self._catalog.movie(showtime.movie_id)  # or the event (a listing in the same table)
        return Booking(
            booking_id=booking_id_for(hold.hold_id), hold_id=hold.hold_id, user_id=customer.user_id,
            email=customer.email, status="confirmed", showtime_id=showtime.showtime_id, movie_id=movie.movie_id,
            movie_title=movie.title, theater_id=theater.theater_id, theater_name=theater.name,
            theater_address=theater.address, city=theater.city, timezone=theater.timezone,
            screen_id=showtime.screen_id, screen_name=screen_name, starts_at=showtime.starts_at, seats=seats,
            price=price, created_at=iso(now), payment_id=authorization.authorization_id,
            card_last4=authorization.card_last4,
            # The customer's emails speak the language they booked in; a UPI payment shows its UPI ID.
            extra={"language": language()} | ({"upi_vpa": authorization.upi_vpa} if authorization.upi_vpa else {}),
        )

    # Cancellation ---------------------------------------------------------------------------------
    def cancel(self, booking_id: str, customer: Customer) -> Booking:
        """The owner (or an admin) cancels up to the cut-off; the seats are freed in the same transaction."""
        booking = self.get(booking_id, customer)
        if booking.status == "cancelled":
            return booking
        now = self._clock.now().replace(microsecond=0)
        if not rules.can_cancel(booking, now, self._settings):
            until = rules.cancellable_until(booking, self._settings)
            raise TooLateToCancel(t("Bookings for this show could be cancelled until {when} (theater time).",
                                    when=date_time(until, booking.timezone)))
        return self._cancel(booking, now, self.refund_amount(booking), [])

    def cancel_by_staff(self, booking_id: str, extra_actions: list[dict[str, Any]], *, full_refund: bool) -> Booking:
        """Cancel and refund for the theater (a cancelled show: everything back; a manager's override of
        the cut-off: the usual policy). No owner or cut-off check here: the staff service authorizes, and
        its audit entry in ``extra_actions`` runs in the cancellation's own transaction."""
        booking = self._find(booking_id)
        if booking.status == "cancelled":
            return booking
        refund = booking.price.total if full_refund else self._pricing.refund(booking.price)
        return self._cancel(booking, self._clock.now().replace(microsecond=0), refund, extra_actions)

    def refund_amount(self, booking: Booking) -> int:
        """What cancelling this booking under the refund policy gives back (all of it for a moved show)."""
        return booking.price.total if rules.moved(booking) else self._pricing.refund(booking.price)

    def _cancel(self, booking: Booking, now: datetime, refund: int, extra_actions: list[dict[str, Any]]) -> Booking:
        booking_id = booking.booking_id
        cancelled = replace(booking, status="cancelled", refund=refund, cancelled_at=iso(now))
        # Seats a waiting list takes go to it in this transaction; a race with another cancellation over the
        # same waiting customer fails it, and it is built again (the last try frees them for the sweep).
        for attempt in range(_HANDOFF_TRIES + 1):
            handoff = self._waitlist_handoff(booking, now) if attempt < _HANDOFF_TRIES else None
            handed = set(handoff.seats) if handoff is not None else set()
            actions: list[dict[str, Any]] = [{"Update": {
                "TableName": self._table_name,
                "Key": {"booking_id": booking_id},
                "UpdateExpression": "SET #s = :cancelled, refund = :refund, cancelled_at = :now",
                "ConditionExpression": "#s = :confirmed",
                "ExpressionAttributeNames": {"#s": "status"},
                "ExpressionAttributeValues": {":cancelled": "cancelled", ":confirmed": "confirmed",
                                              ":refund": cancelled.refund, ":now": iso(now)},
            }}]
            freed = [seat_id for seat_id in booking.numbered_seat_ids if seat_id not in handed]
            actions += self._inventory.free_sold_actions(booking.showtime_id, freed, booking_id)
            if self._general_admission is not None:
                actions += self._general_admission.cancel_actions(booking)
            actions.append(outbox_put(self._aws, "booking_cancelled", cancelled.to_item(), iso(now)))
            actions += extra_actions
            if self._counters is not None:
                actions += self._counters.on_cancel(cancelled)
            if self._loyalty is not None:
                actions += self._loyalty.on_cancel(cancelled)
            if handoff is not None:
                actions += handoff.actions
            try:
                dynamo.transact_write(self._aws, actions)
            except (TransactionCancelled, TransactionOutcomeUnknown) as exc:
                current = self._find(booking_id)
                if current.status == "cancelled":
                    # Cancelled by a concurrent request, or by this one before its answer was lost: make sure
                    # the refund happened (the gateway refunds an authorization once).
                    self._refund(current)
                    return current
                if handoff is not None and isinstance(exc, TransactionCancelled):
                    continue  # the waiting list changed meanwhile: build it again
                raise ServiceUnavailable(t("We could not cancel your booking just now. Please try again.")) from exc
            self._refund(cancelled)
            self._inventory.publish(booking.showtime_id, [SeatChange(s, SeatState.AVAILABLE) for s in freed])
            if handoff is not None and self._handoff is not None:
                self._handoff.after_handoff(handoff)
            log_event("booking.cancelled", booking_id=booking_id, seats=booking.seat_ids, refund=cancelled.refund,
                      to_waiting_list=sorted(handed) or None)
            return cancelled
        raise ServiceUnavailable(t("We could not cancel your booking just now. Please try again."))

    def _waitlist_handoff(self, booking: Booking, now: datetime) -> Any:
        if self._handoff is None or not booking.numbered_seat_ids:
            return None
        try:
            return self._handoff.on_release(booking.showtime_id, booking.numbered_seat_ids, booking.booking_id, now)
        except DomainError as exc:  # the list cannot be read: the seats are freed, the sweep offers them
            log_event("waitlist.handoff_skipped", booking_id=booking.booking_id, error=exc.code)
            return None

    def _refund(self, booking: Booking) -> None:
        try:
            self._payments.refund(booking.payment_id, booking.refund or 0)
        except Exception as exc:  # the cancellation stands and the refund is recorded: reconcile later
            log_event("payment.refund_failed", booking_id=booking.booking_id, error=type(exc).__name__)

    # Reading --------------------------------------------------------------------------------------
    def get(self, booking_id: str, customer: Customer) -> Booking:
        """A booking its owner (or an admin) may read; NotFound for anyone else (no hint that it exists)."""
        booking = self._find_or_none(booking_id)
        if booking is None or (booking.user_id != customer.user_id and not customer.is_admin):
            raise NotFound(t("That booking does not exist."))
        return booking

    def ticket(self, booking_id: str, customer: Customer) -> Booking:
        """The booking behind a ticket (page, PDF, API): its owner or an admin may have it while it stands;
        NotFound for anyone else and for a cancelled booking. The one ticket-access rule."""
        booking = self.get(booking_id, customer)
        if booking.status != "confirmed":
            raise NotFound(t("This booking was cancelled; it has no ticket."))
        return booking

    def my_bookings(self, user_id: str, limit: int = 100) -> list[Booking]:
        """A user's bookings, newest first (one Query on the by-user index)."""
        return self._query("by-user-created", Key("user_id").eq(user_id), limit)

    def for_showtime(self, showtime_id: str, limit: int = 1000) -> list[Booking]:
        """A showtime's bookings, newest first (admins)."""
        return self._query("by-showtime", Key("showtime_id").eq(showtime_id), limit)

    def _query(self, index: str, condition: Any, limit: int) -> list[Booking]:
        kwargs: dict[str, Any] = {"IndexName": index, "KeyConditionExpression": condition, "ScanIndexForward": False}
        bookings: list[Booking] = []
        message = t("Your bookings cannot be loaded just now. Please try again.")
        for response in dynamo.query_pages(self._table, message=message, **kwargs):
            bookings += [Booking.from_item(item) for item in response["Items"]]
            if len(bookings) >= limit:
                break
        return bookings[:limit]

    def _find(self, booking_id: str) -> Booking:
        booking = self._find_or_none(booking_id)
        if booking is None:
            raise NotFound(t("That booking does not exist."))
        return booking

    def _find_or_none(self, booking_id: str) -> Booking | None:
        item = dynamo.get_item(self._table, {"booking_id": booking_id}, consistent=True,
                               message=t("We could not reach the booking system just now. Please try again."))
        return Booking.from_item(item) if item else None
