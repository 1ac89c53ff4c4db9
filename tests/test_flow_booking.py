"""The booking flow through NiceGUI's simulated user: seat map -> checkout -> confirmation -> My bookings,
and the error paths (seat taken meanwhile, hold expired, card declined, show closed, logged out)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from nicegui.testing import User

from components.seat_grid import SeatGrid
from main import build_services
from services.accounts.users import User as Account
from services.booking.payments import CardPayment
from services.clock import iso
from services.container import Services
from services.formatting import format_money
from services.platform.aws import connect
from services.platform.schema import HOLDS, SEATS, SHOWTIMES
from services.settings import Settings

pytestmark = pytest.mark.usefixtures("app_env")
PASSWORD = "correct horse"




@pytest.fixture
def backstage(app_env: Settings) -> Services:
    """Services of "another instance" on the same tables: other people's holds, and the test's own eyes.
    (Its hub is not the app's, so the app learns of these changes only through the database.)"""
    return build_services(app_env, connect(app_env))


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def log_in(user: User, backstage: Services, name: str = "Asha Rao") -> Account:
    account = backstage.users.register(name, f"{uuid.uuid4().hex[:8]}@example.com", PASSWORD, PASSWORD)
    await user.open("/login")
    user.find(marker="login-email").type(account.email)
    user.find(marker="login-password").type(PASSWORD)
    user.find(marker="login-submit").click()
    await user.should_see(marker="account-menu", retries=200)
    return account


async def open_show(user: User, showtime_id: str) -> SeatGrid:
    await user.open(f"/showtime/{showtime_id}")
    await user.should_see(marker="seat-grid", retries=50)
    return grid_of(user)


def grid_of(user: User) -> SeatGrid:
    return next(iter(user.find(marker="seat-grid").elements))  # type: ignore[return-value]


def pick(user: User, seat_id: str) -> None:
    grid = grid_of(user)
    user.find(marker="seat-grid").trigger("seat", {"id": seat_id, "was": grid.code(seat_id)})


def rewind(backstage: Services, showtime_id: str, seat_ids: list[str]) -> None:
    """The hold on these seats ran out two minutes ago (instead of waiting eight)."""
    past = iso(datetime.now(UTC) - timedelta(minutes=2))
    seats = backstage.aws.table(SEATS)
    for seat_id in seat_ids:
        item = seats.get_item(Key={"showtime_id": showtime_id, "seat_id": seat_id})["Item"]
        seats.update_item(Key={"showtime_id": showtime_id, "seat_id": seat_id},
                          UpdateExpression="SET expires_at = :p", ExpressionAttributeValues={":p": past})
        backstage.aws.table(HOLDS).update_item(Key={"hold_id": item["hold_id"]}, UpdateExpression="SET expires_at = :p",
                                               ExpressionAttributeValues={":p": past})


def money(backstage: Services, *prices: int) -> str:
    return format_money(backstage.pricing.price(list(prices)).total)


async def test_picking_holds_seats_and_the_summary_shows_the_server_price(
    user: User, backstage: Services, show: str
) -> None:
    await log_in(user, backstage)
    grid = await open_show(user, show)
    await user.should_see("Pick up to 10 seats on the map.")
    pick(user, "A5")
    await until(lambda: grid.code("A5") == "m")
    await user.should_see(f"Proceed to pay {money(backstage, 45000)}", retries=50)
    pick(user, "D1")
    await until(lambda: grid.mine == ["A5", "D1"])
    await user.should_see(f"Proceed to pay {money(backstage, 45000, 90000)}", retries=50)
    await user.should_see("Prime × 1")
    await user.should_see("Recliner × 1")
    seat_map = backstage.inventory.seat_map(show)
    assert {s.seat_id for s in seat_map.seats if s.status == "held"} == {"A5", "D1"}
    pick(user, "A5")  # un-pick one, then the other: the hold is released
    await until(lambda: grid.mine == ["D1"])
    pick(user, "D1")
    await until(lambda: grid.mine == [])
    await user.should_see("Pick up to 10 seats on the map.", retries=50)
    assert all(s.status == "available" for s in backstage.inventory.seat_map(show).seats if s.seat_id in ("A5", "D1"))


async def test_a_seat_taken_meanwhile_is_explained_and_the_map_catches_up(
    user: User, backstage: Services, show: str
) -> None:
    await log_in(user, backstage)
    grid = await open_show(user, show)
    backstage.inventory.hold(show, ["A6"], "someone-else")  # the app's own hub never hears of it
    assert grid.code("A6") == "a"
    pick(user, "A6")
    await user.should_see("Sorry, these seats were just taken: A6. Please choose others.", retries=50)
    await until(lambda: grid.code("A6") == "h")
    pick(user, "A6")  # now the map knows: it says why at once, without asking the service
    await user.should_see("Seat A6 is being held by someone else right now", retries=50)
    assert grid.mine == []


async def test_more_than_the_maximum_is_refused_kindly(
    user: User, backstage: Services, app_env: Settings, show: str
) -> None:
    await log_in(user, backstage)
    grid = await open_show(user, show)
    seats = [f"E{n}" for n in range(1, 13)][: app_env.max_seats_per_booking + 1]
    for seat_id in seats:
        pick(user, seat_id)
        await until(lambda: seat_id not in grid.pending)  # noqa: B023  # awaited before the loop moves on
    await user.should_see(f"You can book at most {app_env.max_seats_per_booking} seats at a time.", retries=50)
    assert len(grid.mine) == app_env.max_seats_per_booking


async def test_best_seats_together_holds_a_block_in_one_row(user: User, backstage: Services, show: str) -> None:
    await log_in(user, backstage)
    grid = await open_show(user, show)
    user.find(marker="best-3").click()
    await until(lambda: len(grid.mine) == 3)
    rows = {seat_id.rstrip("0123456789") for seat_id in grid.mine}
    numbers = sorted(int(seat_id.lstrip("ABCDEF")) for seat_id in grid.mine)
    assert len(rows) == 1 and numbers == list(range(numbers[0], numbers[0] + 3))


async def test_logged_out_pick_asks_to_log_in_and_comes_back_with_the_seat(
    user: User, backstage: Services, show: str
) -> None:
    account = backstage.users.register("Ravi", f"{uuid.uuid4().hex[:8]}@example.com", PASSWORD, PASSWORD)
    grid = await open_show(user, show)
    pick(user, "B3")
    await user.should_see("Log in to pick seats", retries=50)
    assert grid.code("B3") == "a"
    user.find(marker="login-to-pick").click()
    await user.should_see(marker="login-submit", retries=50)
    user.find(marker="login-email").type(account.email)
    user.find(marker="login-password").type(PASSWORD)
    user.find(marker="login-submit").click()
    await user.should_see(marker="seat-grid", retries=50)  # back on the same show
    grid = grid_of(user)
    await until(lambda: grid.mine == ["B3"])
    await user.should_see("Proceed to pay", retries=50)
    held = {s.seat_id for s in backstage.inventory.seat_map(show, account.user_id).seats if s.status == "held_by_you"}
    assert held == {"B3"}


async def test_checkout_declined_card_then_one_booking_despite_a_double_click(
    user: User, backstage: Services, show: str
) -> None:
    account = await log_in(user, backstage)
    grid = await open_show(user, show)
    pick(user, "C4")
    await until(lambda: grid.mine == ["C4"])
    user.find(marker="continue").click()
    await user.should_see(marker="pay", retries=50)
    card = user.find(marker="card-number")
    card.type("4000 0000 0000 0002")
    user.find(marker="card-expiry").type("12/39")
    user.find(marker="card-cvc").type("123")
    user.find(marker="pay").click()
    await user.should_see("Your card was declined. Please use another card.", retries=50)
    card.clear().type("4242 4242 4242 4242")
    pay = user.find(marker="pay")
    pay.click()
    pay.click()  # a nervous double click
    await user.should_see("You're all set!", retries=100)
    await user.should_see("C4")
    await user.should_see("Paid with card ending 4242")
    bookings = backstage.bookings.my_bookings(account.user_id)
    assert [b.seat_ids for b in bookings] == [["C4"]]
    assert next(s for s in backstage.inventory.seat_map(show).seats if s.seat_id == "C4").status == "sold"


async def test_invalid_card_details_are_explained_before_anything_is_charged(
    user: User, backstage: Services, show: str
) -> None:
    account = await log_in(user, backstage)
    grid = await open_show(user, show)
    pick(user, "C5")
    await until(lambda: grid.mine == ["C5"])
    user.find(marker="continue").click()
    await user.should_see(marker="pay", retries=50)
    user.find(marker="card-number").type("1234 5678")
    user.find(marker="card-expiry").type("13/20")
    user.find(marker="pay").click()
    await user.should_see("Enter the 16-digit number on the front of your card.", retries=50)
    await user.should_see("Use the format MM/YY, e.g. 08/29.")
    await user.should_see("3 or 4 digits")  # short: a longer hint ran into the demo note
    assert backstage.bookings.my_bookings(account.user_id) == []


async def test_hold_expired_at_checkout_leads_back_to_the_seats(user: User, backstage: Services, show: str) -> None:
    await log_in(user, backstage)
    grid = await open_show(user, show)
    pick(user, "A1")
    await until(lambda: grid.mine == ["A1"])
    user.find(marker="continue").click()
    await user.should_see(marker="pay", retries=50)
    rewind(backstage, show, ["A1"])
    user.find(marker="card-number").type("4242 4242 4242 4242")
    user.find(marker="card-expiry").type("12/39")
    user.find(marker="card-cvc").type("123")
    user.find(marker="pay").click()
    await user.should_see(marker="hold-expired", retries=50)
    await user.should_see("Nothing was charged")
    user.find(marker="choose-again").click()
    await user.should_see(marker="seat-grid", retries=50)


async def test_an_expired_checkout_link_explains_itself(user: User, backstage: Services, show: str) -> None:
    account = await log_in(user, backstage)
    hold = backstage.inventory.hold(show, ["F3"], account.user_id)
    rewind(backstage, show, ["F3"])
    await user.open(f"/checkout/{hold.hold_id}")
    await user.should_see("Your hold on these seats has expired.", retries=50)
    user.find(marker="next-step").click()
    await user.should_see(marker="seat-grid", retries=50)


async def test_my_bookings_shows_the_refund_before_cancelling(user: User, backstage: Services, show: str) -> None:
    account = await log_in(user, backstage)
    hold = backstage.inventory.hold(show, ["D3", "D4"], account.user_id)
    booking = backstage.bookings.checkout(hold.hold_id, account, CardPayment("4242424242424242"))
    refund = format_money(backstage.pricing.refund(booking.price))
    await user.open("/bookings")
    await user.should_see("Upcoming", retries=50)
    await user.should_see("Seats D3, D4", retries=50)
    user.find(marker="cancel-booking").click()
    await user.should_see(marker="cancel-dialog", retries=50)
    await user.should_see(refund)
    user.find(marker="confirm-cancel").click()
    await user.should_see(f"Booking cancelled. {refund} will be refunded.", retries=50)
    await user.should_see(f"Refunded {refund}", retries=50)
    assert backstage.bookings.get(booking.booking_id, account).status == "cancelled"
    assert {s.status for s in backstage.inventory.seat_map(show).seats if s.seat_id in ("D3", "D4")} == {"available"}


async def test_confirmation_of_someone_elses_booking_is_not_found(user: User, backstage: Services, show: str) -> None:
    owner = backstage.users.register("Owner", f"{uuid.uuid4().hex[:8]}@example.com", PASSWORD, PASSWORD)
    hold = backstage.inventory.hold(show, ["E5"], owner.user_id)
    booking = backstage.bookings.checkout(hold.hold_id, owner, CardPayment("4242424242424242"))
    await log_in(user, backstage, "Intruder")
    await user.open(f"/booking/{booking.booking_id}")
    await user.should_see("That booking does not exist.", retries=50)


async def test_a_show_closed_for_sale_is_explained(user: User, backstage: Services, show: str) -> None:
    starts = datetime.now(UTC) + timedelta(minutes=5)
    item = backstage.aws.table(SHOWTIMES).get_item(Key={"showtime_id": show})["Item"]
    backstage.aws.table(SHOWTIMES).put_item(Item=item | {
        "showtime_id": "closing-soon", "starts_at": iso(starts), "ends_at": iso(starts + timedelta(hours=2))})
    await open_show_without_grid(user, "closing-soon")
    await user.should_see("Booking for this show closed at", retries=50)
    await user.should_not_see(marker="seat-grid")


async def open_show_without_grid(user: User, showtime_id: str) -> None:
    await user.open(f"/showtime/{showtime_id}")
    await user.should_see(marker="show-message", retries=50)


async def test_unknown_show_offers_a_way_back(user: User) -> None:
    await user.open("/showtime/no-such-show")
    await user.should_see("We could not find that show.", retries=50)
