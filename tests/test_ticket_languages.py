"""Tickets and emails in the customer's language: the PDF in Hindi, Telugu and Tamil (shaped text read back
with pypdf, rendered with pdftoppm, its QR still scanning) and the booking emails in the booking's language."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader

from services.accounts.users import User
from services.booking.models import Booking
from services.booking.payments import APPROVE_CARD, CardPayment
from services.booking.ticket_pdf import FONTS, render_ticket
from services.container import Services
from services.i18n import LOCALES, speaking
from services.notify.messages import MessageComposer

# What a customer reads on the ticket in each language (translations of CONFIRMED, "Scan at the entrance",
# TIME ZONE's India Standard Time, and the day of the show).
EXPECTED = {
    "hi": ["पक्की", "प्रवेश पर स्कैन करें", "भारतीय मानक समय"],
    "te": ["నిర్ధారించబడింది", "ప్రవేశం వద్ద స్కాన్ చేయండి", "భారతదేశ ప్రామాణిక సమయం"],
    "ta": ["உறுதியானது", "நுழைவாயிலில் ஸ்கேன் செய்யவும்", "இந்திய நிலையான நேரம்"],
}


@pytest.fixture
def alice(small: Services) -> User:
    return small.users.register("Alice", "alice@example.com", "password123")


def book(small: Services, alice: User, language: str) -> Booking:
    with speaking(language):  # as the page's or the API's request sets it
        hold = small.inventory.hold("tiny-show", ["A1", "A2"], alice.user_id)
        return small.bookings.checkout(hold.hold_id, alice, CardPayment(APPROVE_CARD))


def _letters(text: str) -> str:
    """The Indic letters and signs of ``text``, in order. pypdf reads a shaped syllable whose glyphs were
    reordered or merged with a stray code beside it (``टि\x03कट``, ``ம*ொத்தம்``, ``స్కా&న్``): those codes are
    not letters of the script, so comparing the letters alone checks the words are there and in order."""
    return "".join(char for char in unicodedata.normalize("NFC", text) if "\u0900" <= char <= "\u0dff")


@pytest.mark.parametrize("language", ["hi", "te", "ta"])
def test_the_pdf_ticket_speaks_the_language_and_its_qr_still_scans(small: Services, alice: User, language: str,
                                                                   tmp_path: Path) -> None:
    booking = book(small, alice, language)
    with speaking(language):
        pdf = render_ticket(booking, small.tickets.token_for(booking), "https://tickets.example.com")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in EXPECTED[language]:
        assert _letters(expected) in _letters(text), expected
    assert "The Tiny Picture" in text and "Tiny Cinema" in text
    assert len(re.findall(r"₹\s?\d+", text)) == 4  # tickets, fee, tax, total: digits, not boxes

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    (tmp_path / "ticket.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-singlefile", str(tmp_path / "ticket.pdf"),
                    str(tmp_path / "ticket")], check=True, timeout=60)
    image = Image.open(tmp_path / "ticket.png")
    found = zxingcpp.read_barcodes(image)
    assert [code.format for code in found] == [zxingcpp.BarcodeFormat.QRCode]
    assert small.tickets.verify(found[0].text).booking_id == booking.booking_id
    if os.environ.get("MOVIEMAGIC_SHOTS"):  # keep the render to look at
        image.save(Path(os.environ["MOVIEMAGIC_SHOTS"]) / f"ticket-{language}.png")


def test_no_glyph_is_missing_from_a_hindi_ticket(small: Services, alice: User) -> None:
    """Every character of the Hindi text is in an embedded font (a missing one would print as a box)."""
    booking = book(small, alice, "hi")
    with speaking("hi"):
        pdf = render_ticket(booking, small.tickets.token_for(booking), "https://tickets.example.com")
    fonts = {str(font["/BaseFont"]) for font in _fonts(PdfReader(io.BytesIO(pdf)))}
    assert any("Devanagari" in name for name in fonts), fonts


def composer(small: Services) -> MessageComposer:
    return MessageComposer(small.settings.base_url, small.settings.cancel_cutoff_minutes)


def _fonts(reader: PdfReader) -> list[Any]:
    resources: Any = reader.pages[0]["/Resources"]
    fonts = resources["/Font"]
    return [fonts[name].get_object() for name in fonts]


def test_the_confirmation_and_cancellation_emails_speak_the_language_of_the_booking(small: Services,
                                                                                   alice: User) -> None:
    booking = book(small, alice, "te")
    confirmed = composer(small).compose("booking_confirmed", booking.to_item())
    assert confirmed.subject.startswith("బుకింగ్ నిర్ధారించబడింది: The Tiny Picture")
    assert "మీ బుకింగ్ నిర్ధారించబడింది. షోను ఆనందించండి!" in confirmed.body
    assert "భారతదేశ ప్రామాణిక సమయం" in confirmed.body
    cancelled = small.bookings.cancel(booking.booking_id, alice)  # in English: the email still speaks Telugu
    email = composer(small).compose("booking_cancelled", cancelled.to_item())
    assert email.subject.startswith("బుకింగ్ రద్దైంది: The Tiny Picture")
    english = book(small, alice, "en")
    assert composer(small).compose("booking_confirmed", english.to_item()).subject.startswith("Booking confirmed:")


@pytest.mark.parametrize(("language", "font"), [("hi", "MovieMagicDevanagari"), ("te", "MovieMagicTelugu"),
                                                ("ta", "MovieMagicTamil")])
def test_the_bundled_fonts_have_every_letter_the_translations_use(language: str, font: str) -> None:
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    texts = [text for message in catalog
             for text in ([message.string] if isinstance(message.string, str) else list(message.string or ()))]
    used = {char for text in texts for char in text if "\u0900" <= char <= "\u0dff"}
    assert len(used) > 40
    for style in ("", "-Bold"):
        cmap = TTFont(FONTS / f"{font}{style}.ttf").getBestCmap()
        assert sorted(char for char in used if ord(char) not in cmap) == []
