"""UPI beside cards behind the payment interface: the VPA validated, the demo collect request approved,
declined or left to time out (like the demo cards' magic numbers), through the service, the API and the
checkout page, whose errors go away as soon as the input changes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from nicegui.testing import User

from main import build_services
from services.booking.models import Guest
from services.booking.payments import DemoGateway, UpiPayment, upi_vpa
from services.container import Services
from services.errors import InvalidRequest, PaymentDeclined, PaymentTimedOut
from services.platform.aws import connect
from services.settings import Settings
from tests.conftest import api_client
from tests.test_flow_booking import log_in, open_show, pick, until


@pytest.mark.parametrize("text", ["asha@okhdfc", " Asha.Rao-1@ybl ", "9876543210@paytm", "success@upi"])
def test_valid_upi_ids_are_tidied(text: str) -> None:
    assert upi_vpa(text) == text.strip().lower()


@pytest.mark.parametrize("text", ["", "asha", "@okhdfc", "asha@", "a@b", "asha@ok hdfc", "asha@@ybl",
                                  "asha@1bank", "x" * 300 + "@ybl"])
def test_malformed_upi_ids_are_refused(text: str) -> None:
    with pytest.raises(InvalidRequest):
        upi_vpa(text)


def test_the_demo_collect_request_approves_declines_or_times_out() -> None:
    gateway = DemoGateway()
    approved = gateway.authorize("k1", 50000, "INR", UpiPayment("Success@UPI"))
    assert approved.status == "authorized" and approved.upi_vpa == "success@upi" and approved.card_last4 == ""
    assert gateway.authorize("k1", 50000, "INR", UpiPayment("success@upi")) == approved  # idempotent per key
    with pytest.raises(PaymentDeclined) as declined:
        gateway.authorize("k2", 50000, "INR", UpiPayment("failure@upi"))
    assert not isinstance(declined.value, PaymentTimedOut)
    with pytest.raises(PaymentTimedOut) as timed_out:
        gateway.authorize("k3", 50000, "INR", UpiPayment("timeout@upi"))
    assert timed_out.value.code == "payment_timed_out" and "expired" in timed_out.value.message
    with pytest.raises(PaymentDeclined):
        gateway.authorize("k4", 50000, "INR", UpiPayment("someone@okhdfc"))
    assert [a.idempotency_key for a in gateway.authorizations()] == ["k1"]


def test_a_booking_paid_by_upi_remembers_the_upi_id(small: Services) -> None:
    guest = Guest("g-upi", "upi@example.com")
    hold = small.inventory.hold("tiny-show", ["B1", "B2"], guest.user_id)
    with pytest.raises(PaymentTimedOut):
        small.bookings.checkout(hold.hold_id, guest, UpiPayment("timeout@upi"))
    assert small.inventory.get_hold(hold.hold_id, guest.user_id).status == "active"  # nothing sold: try again
    booking = small.bookings.checkout(hold.hold_id, guest, UpiPayment("success@upi"))
    assert booking.upi_vpa == "success@upi" and booking.card_last4 == ""
    assert small.bookings.get(booking.booking_id, guest).upi_vpa == "success@upi"  # stored, read back


@pytest.fixture
def client(small: Services) -> Iterator[TestClient]:
    with api_client(small) as test_client:
        yield test_client


def test_the_api_takes_upi(client: TestClient) -> None:
    client.post("/auth/register", json={"name": "U", "email": "u@example.com", "password": "long enough"})
    token = client.post("/auth/login", json={"email": "u@example.com", "password": "long enough"}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    hold = client.post("/showtimes/tiny-show/holds", json={"seat_ids": ["B3", "B4"]}, headers=headers).json()

    def book(payment: dict[str, str]) -> tuple[int, dict]:
        response = client.post("/bookings", json={"hold_id": hold["hold_id"], "payment": payment}, headers=headers)
        return response.status_code, response.json()

    assert book({"method": "upi"})[0] == 422  # no UPI ID
    status, body = book({"method": "upi", "vpa": "not a vpa"})
    assert status == 422 and body["error"]["code"] == "invalid_request"
    status, body = book({"method": "upi", "vpa": "failure@upi"})
    assert status == 402 and body["error"]["code"] == "payment_declined"
    status, body = book({"method": "upi", "vpa": "timeout@upi"})
    assert status == 402 and body["error"]["code"] == "payment_timed_out"
    status, body = book({"method": "upi", "vpa": "success@upi"})
    assert status == 201 and body["seat_ids"] == ["B3", "B4"]


@pytest.fixture
def backstage(app_env: Settings) -> Services:
    return build_services(app_env, connect(app_env))


async def test_checkout_by_upi_with_errors_that_clear_when_fixed(app_env: Settings, user: User,
                                                                 backstage: Services, show: str) -> None:
    account = await log_in(user, backstage)
    grid = await open_show(user, show)
    pick(user, "C5")
    await until(lambda: grid.mine == ["C5"])
    user.find(marker="continue").click()
    await user.should_see(marker="pay", retries=50)
    user.find(marker="method-upi").click()
    await user.should_see(marker="upi-vpa")
    user.find(marker="upi-vpa").type("asha")
    user.find(marker="pay").click()
    await user.should_see("A UPI ID looks like name@bank.")
    user.find(marker="upi-vpa").clear().type("failure@upi")
    user.find(marker="pay").click()
    await user.should_see("The payment was declined in your UPI app. Nothing was charged.", retries=50)
    user.find(marker="upi-vpa").clear().type("success@up")  # changing the input clears the old error
    await user.should_not_see("The payment was declined in your UPI app. Nothing was charged.")
    user.find(marker="upi-vpa").type("i")
    user.find(marker="pay").click()
    await user.should_see(marker="paid-upi", retries=100)
    await user.should_see("Paid by UPI from success@upi")
    assert [b.upi_vpa for b in backstage.bookings.my_bookings(account.user_id)] == ["success@upi"]
