"""Signed ticket tokens, the PDF ticket read back (text with pypdf, QR decoded from a pdftoppm render)
and the API's PDF route."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader

from services.accounts.users import User
from services.booking.models import Booking
from services.booking.payments import APPROVE_CARD, CardPayment
from services.booking.ticket_pdf import render_ticket
from services.booking.tickets import InvalidTicket, TicketService, qr_code
from services.container import Services
from tests.conftest import api_client


@pytest.fixture
def alice(small: Services) -> User:
    return small.users.register("Alice", "alice@example.com", "password123")


@pytest.fixture
def booking(small: Services, alice: User) -> Booking:
    hold = small.inventory.hold("tiny-show", ["A1", "A2", "C3"], alice.user_id)
    return small.bookings.checkout(hold.hold_id, alice, CardPayment(APPROVE_CARD))


def rejected(tickets: TicketService, token: str) -> str:
    with pytest.raises(InvalidTicket) as caught:
        tickets.verify(token)
    return caught.value.reason


# Tokens -------------------------------------------------------------------------------------------
def test_a_token_verifies_to_its_confirmed_booking(small: Services, booking: Booking) -> None:
    token = small.tickets.token_for(booking)
    assert token == small.tickets.token_for(booking)  # derived, not stored: always the same
    assert token.startswith("MM1.") and token == token.upper()
    assert small.tickets.verify(token).booking_id == booking.booking_id
    assert small.tickets.verify(f"  {token.lower()}\n").booking_id == booking.booking_id  # scanners vary
    code = qr_code(token)
    assert code.mode == "alphanumeric" and int(code.version) <= 4  # a micro QR would be "M1".."M4"


def test_tampered_tokens_are_rejected(small: Services, booking: Booking, alice: User) -> None:
    token = small.tickets.token_for(booking)
    version, booking_part, issued, signature = token.split(".")
    other_hold = small.inventory.hold("tiny-show", ["B1"], alice.user_id)
    other = small.bookings.checkout(other_hold.hold_id, alice, CardPayment(APPROVE_CARD))
    other_booking_part = small.tickets.token_for(other).split(".")[1]
    flipped = "A" if signature[0] != "A" else "B"
    assert rejected(small.tickets, f"{version}.{other_booking_part}.{issued}.{signature}") == "bad_signature"
    assert rejected(small.tickets, f"{version}.{booking_part}.{issued}1.{signature}") == "bad_signature"
    assert rejected(small.tickets, f"{version}.{booking_part}.{issued}.{flipped}{signature[1:]}") == "bad_signature"
    assert rejected(small.tickets, f"{version}.{booking_part}.{issued}.{signature[:-2]}") == "bad_signature"
    assert rejected(small.tickets, f"MM2.{booking_part}.{issued}.{signature}") == "malformed"
    assert rejected(small.tickets, f"{version}.{booking_part}.{issued}") == "malformed"
    assert rejected(small.tickets, "https://example.com/not-a-ticket") == "malformed"
    assert rejected(small.tickets, "") == "malformed"


def test_a_token_signed_with_another_key_is_rejected(small: Services, booking: Booking) -> None:
    forger = TicketService(small.aws, small.settings.model_copy(update={"ticket_secret": "another-secret-0123456"}))
    assert rejected(small.tickets, forger.token_for(booking)) == "bad_signature"


def test_a_cancelled_booking_s_ticket_is_rejected(small: Services, booking: Booking, alice: User) -> None:
    token = small.tickets.token_for(booking)
    small.bookings.cancel(booking.booking_id, alice)
    assert rejected(small.tickets, token) == "cancelled"


def test_a_well_signed_token_for_no_booking_is_rejected(small: Services, booking: Booking) -> None:
    ghost = replace(booking, booking_id="bk-h-00000000000000000000000000000000")
    assert rejected(small.tickets, small.tickets.token_for(ghost)) == "unknown_booking"
    reissued = replace(booking, created_at="2020-01-01T00:00:00Z")  # right id, wrong moment
    assert rejected(small.tickets, small.tickets.token_for(reissued)) == "unknown_booking"


# The PDF ------------------------------------------------------------------------------------------
def test_the_pdf_shows_the_booking_and_its_qr_verifies(small: Services, booking: Booking, tmp_path: Path) -> None:
    pdf = render_ticket(booking, small.tickets.token_for(booking), "https://tickets.example.com")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    local = booking.local_start()
    day = f"{local:%a} {local.day} {local:%b %Y}".upper()
    for fact in ("The Tiny Picture", "Tiny Cinema", "1 Test Road", "Screen 1", day,
                 f"{local:%I:%M %p}".lstrip("0"), "IST", "India Standard Time", "A1", "A2", "C3", "Classic", "Prime",
                 "₹750", "₹90", "₹151.20", "₹991.20", "Total paid", "CONFIRMED", "https://tickets.example.com/ticket/"):
        assert fact in text, fact
    assert f"BOOKING REF {booking.reference}" in text  # the short reference, as on every page
    assert reader.metadata is not None and (reader.metadata.title or "").startswith("The Tiny Picture")

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    (tmp_path / "ticket.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-singlefile", str(tmp_path / "ticket.pdf"),
                    str(tmp_path / "ticket")], check=True, timeout=60)
    found = zxingcpp.read_barcodes(Image.open(tmp_path / "ticket.png"))
    assert [code.format for code in found] == [zxingcpp.BarcodeFormat.QRCode]
    assert small.tickets.verify(found[0].text).booking_id == booking.booking_id


def test_many_seats_and_a_long_title_still_fit_one_page(small: Services, booking: Booking) -> None:
    long = replace(booking, movie_title="The Extraordinarily Long and Winding Road to the Last Picture Show",
                   seats=booking.seats * 4)
    reader = PdfReader(io.BytesIO(render_ticket(long, small.tickets.token_for(booking), "http://x")))
    assert len(reader.pages) == 1
    assert float(reader.pages[0].mediabox.height) > float(
        PdfReader(io.BytesIO(render_ticket(booking, small.tickets.token_for(booking), "http://x")))
        .pages[0].mediabox.height)


# The API ------------------------------------------------------------------------------------------
@pytest.fixture
def client(small: Services) -> Iterator[TestClient]:
    with api_client(small) as test_client:
        yield test_client


def bearer(client: TestClient, email: str) -> dict[str, str]:
    token = client.post("/auth/login", json={"email": email, "password": "password123"}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_api_gives_the_owner_their_pdf_and_nobody_else(small: Services, booking: Booking, alice: User,
                                                       client: TestClient) -> None:
    small.users.register("Bob", "bob@example.com", "password123")
    path = f"/bookings/{booking.booking_id}/ticket.pdf"
    response = client.get(path, headers=bearer(client, "alice@example.com"))
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "attachment" in response.headers["content-disposition"]
    assert client.get(path).status_code == 401
    assert client.get(path, headers=bearer(client, "bob@example.com")).json()["error"]["code"] == "not_found"
    assert client.get("/bookings/bk-nope/ticket.pdf", headers=bearer(client, "alice@example.com")).status_code == 404
    small.users.register("Boss", "boss@example.com", "password123", role="admin")
    assert client.get(path, headers=bearer(client, "boss@example.com")).status_code == 200  # as on the page
    small.bookings.cancel(booking.booking_id, alice)
    assert client.get(path, headers=bearer(client, "alice@example.com")).status_code == 404
    assert client.get(path, headers=bearer(client, "boss@example.com")).status_code == 404
