"""The PDF ticket (fpdf2): one ticket-sized page that reads well on a phone and prints on any printer.

A white card on a light page: a dark marquee band with the brand, the movie, when (theater time, with
its zone), where, the seats by category, a perforation, then the stub with the QR code (drawn as vector
squares, so it stays sharp at any zoom) beside the booking id and the amounts. The fonts ship with the
app (``assets/fonts``: DejaVu subsets with ₹ and accented letters, Noto subsets for Devanagari, Telugu and
Tamil, shaped with HarfBuzz), so no system font is needed. Text is in the request's language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

from services.booking.models import Booking
from services.booking.tickets import TicketCode, qr_code
from services.formatting import show_clock, show_date, show_zone, zone_label
from services.i18n import language, t
from services.notify.messages import amount_rows, seat_groups, ticket_url

FONTS = Path(__file__).resolve().parents[2] / "assets" / "fonts"
PAGE_W, MIN_PAGE_H = 105.0, 180.0  # mm: A6 width, taller as the booking needs (a boarding-pass shape)
MARGIN = 5.0
CARD_X, CARD_W = MARGIN, PAGE_W - 2 * MARGIN
PAD = 7.0  # inside the card
INNER_W = CARD_W - 2 * PAD
LEFT = CARD_X + PAD

INK = (22, 20, 34)
MUTED = (112, 108, 130)
RULE = (214, 211, 224)
PAGE_BG = (238, 236, 244)
MARQUEE = (17, 15, 28)
RED = (225, 29, 72)
GOLD = (251, 191, 36)
CHIP = (246, 244, 250)
FOOTER_H = 15.0
PROBE_PAGE_H = 600.0


# Fallback font family -> (bundled font, the Unicode block it covers, the language written in it).
SCRIPT_FONTS = {
    "Deva": ("MovieMagicDevanagari", ("\u0900", "\u097f"), "hi"),
    "Telu": ("MovieMagicTelugu", ("\u0c00", "\u0c7f"), "te"),
    "Taml": ("MovieMagicTamil", ("\u0b80", "\u0bff"), "ta"),
}


def _scripts(booking: Booking) -> list[str]:
    """The Indic scripts on this ticket: its language's, and any in the booking's own names."""
    names = " ".join((booking.movie_title, booking.theater_name, booking.theater_address, booking.city,
                      booking.screen_name))
    speaking = language()
    wanted = [family for family, (_, (low, high), code) in SCRIPT_FONTS.items()
              if code == speaking or any(low <= char <= high for char in names)]
    return sorted(wanted, key=lambda family: SCRIPT_FONTS[family][2] != speaking)


def pdf_filename(booking: Booking) -> str:
    """``movie-magic-the-last-monsoon-2025-06-14-1930.pdf``: what a download is saved as."""
    slug = re.sub(r"[^a-z0-9]+", "-", booking.movie_title.lower()).strip("-") or "movie"
    return f"movie-magic-{slug}-{booking.local_start():%Y-%m-%d-%H%M}.pdf"


def render_ticket(booking: Booking, token: str, base_url: str, more: Sequence[TicketCode] = ()) -> bytes:
    """The ticket with ``token`` on its stub; each of ``more`` (further general-admission tickets, each
    admitting once) gets a page of its own with its code, so each can be shown or printed apart."""
    # Drawn twice: first on a tall page to learn how long this booking's ticket is (title lines, seat
    # rows), then on a page cut to that length.
    probe = _Ticket(booking, token, base_url, page_h=PROBE_PAGE_H)
    height = max(MIN_PAGE_H, probe.draw())
    pdf = _Ticket(booking, token, base_url, page_h=height)
    pdf.draw()
    for code in more:
        pdf.code_page(code)
    return bytes(pdf.output())


class _Ticket(FPDF):
    def __init__(self, booking: Booking, token: str, base_url: str, page_h: float) -> None:
        super().__init__(orientation="P", unit="mm", format=(PAGE_W, page_h))
        self.page_h = page_h
        self.booking, self.token, self.base_url = booking, token, base_url
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        self.c_margin = 0  # text starts exactly where the shapes around it do
        self.add_font("Sans", "", FONTS / "MovieMagicSans.ttf")
        self.add_font("Sans", "B", FONTS / "MovieMagicSans-Bold.ttf")
        self.add_font("Condensed", "B", FONTS / "MovieMagicSansCondensed-Bold.ttf")
        self.add_font("Mono", "", FONTS / "MovieMagicMono.ttf")
        # Hindi, Telugu and Tamil text: glyphs from the Noto subsets, shaped by HarfBuzz (conjuncts, vowel
        # signs placed and reordered); Latin text keeps DejaVu. The language is the request's (page or API).
        # Only the scripts this ticket uses are loaded (each font is parsed per document), the language's
        # own first: joiners (ZWJ/ZWNJ) then stay in the run they join, in its font. A Latin-only ticket is
        # drawn as before, unshaped.
        scripts = _scripts(booking)
        for family in scripts:
            name = SCRIPT_FONTS[family][0]
            self.add_font(family, "", FONTS / f"{name}.ttf")
            self.add_font(family, "B", FONTS / f"{name}-Bold.ttf")
        if scripts:
            self.set_fallback_fonts(scripts, exact_match=False)
            self.set_text_shaping(True)
        self.set_title(f"{booking.movie_title} - {t('Ticket')} {booking.reference}")
        self.set_author("Movie Magic")
        self.set_creator("Movie Magic")
        self.set_lang(language())

    # fpdf2 2.8.9 with text shaping: after a run in a fallback font (an Indic word), the next text in the
    # same font and size as before is written without re-selecting its font, so Latin glyphs land in the
    # Indic font (boxes). Marking the font unset before each text call makes fpdf2 select it again.
    def cell(self, *args: Any, **kwargs: Any) -> bool:
        self.current_font_is_set_on_page = False
        return super().cell(*args, **kwargs)

    def multi_cell(self, *args: Any, **kwargs: Any) -> Any:
        self.current_font_is_set_on_page = False
        return super().multi_cell(*args, **kwargs)

    def draw(self) -> float:
        """Draw the ticket; returns the page height it needs."""
        card_bottom, y = self._card_page()
        y = self._where(y + 4)
        y = self._seats(y + 4)
        perforation = y + 3
        self._perforation(perforation)
        y = self._stub(perforation + 7)
        footer = y + 6 if self.page_h == PROBE_PAGE_H else max(y + 6, card_bottom - FOOTER_H)
        return self._footer(footer) + 4 + MARGIN

    def _card_page(self) -> tuple[float, float]:
        """A new page with the ticket's card, marquee, title and time; returns the card's bottom and the y
        below the time (the ticket and each further code page start alike)."""
        self.add_page()
        self.set_fill_color(*PAGE_BG)
        self.rect(0, 0, PAGE_W, self.page_h, style="F")
        card_top, card_bottom = MARGIN, self.page_h - MARGIN
        self.set_fill_color(255, 255, 255)
        self.rect(CARD_X, card_top, CARD_W, card_bottom - card_top, style="F", round_corners=True, corner_radius=4)
        self._marquee(card_top)
        y = self._title(card_top + 24)
        return card_bottom, self._when(y + 2)

    def code_page(self, code: TicketCode) -> None:
        """A page for one more code: the show, what the code admits, and the code itself, large."""
        _card_bottom, y = self._card_page()
        self._write_at(LEFT, y + 4, code.label, "Sans", "B", 11, INK)
        size = 60.0
        self._qr(CARD_X + (CARD_W - size) / 2, y + 12, size, code.token)
        self._write_at(LEFT, y + 14 + size, t("Scan at the entrance"), "Sans", "", 7, MUTED, width=INNER_W,
                       align="C")
        self._write_at(LEFT, y + 19 + size, self.booking.reference, "Mono", "", 8, INK, width=INNER_W, align="C")

    # Top half -------------------------------------------------------------------------------------
    def _marquee(self, top: float) -> None:
        self.set_fill_color(*MARQUEE)
        self.rect(CARD_X, top, CARD_W, 18, style="F", round_corners=("TOP_LEFT", "TOP_RIGHT"),  # type: ignore[arg-type]  # fpdf2 takes corner names; annotated bool
                  corner_radius=4)
        self.set_fill_color(*RED)
        self.rect(CARD_X, top + 18, CARD_W, 1.2, style="F")
        self._write_at(LEFT, top + 5.2, "MOVIE MAGIC", "Condensed", "B", 15, GOLD, spacing=1.2)
        self._write_at(LEFT, top + 11.6, t("E-TICKET · ADMIT {n}", n=len(self.booking.seats)), "Sans", "B", 6.5,
                       (200, 196, 214), spacing=0.6)
        label = t("CONFIRMED") if self.booking.status == "confirmed" else t("CANCELLED")
        self.set_font("Sans", "B", 6.5)
        width = self.get_string_width(label) + 6
        x = CARD_X + CARD_W - PAD - width
        self.set_fill_color(*(RED if self.booking.status != "confirmed" else (34, 197, 94)))
        self.rect(x, top + 6.3, width, 5.4, style="F", round_corners=True, corner_radius=2.7)
        self._write_at(x, top + 6.3, label, "Sans", "B", 6.5, (255, 255, 255), width=width, height=5.4, align="C")

    def _title(self, y: float) -> float:
        self.set_xy(LEFT, y)
        self.set_text_color(*INK)
        self.set_font("Condensed", "B", 21)
        self.multi_cell(INNER_W, 8.4, self.booking.movie_title, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
        return self.get_y()

    def _when(self, y: float) -> float:
        booking = self.booking
        self._write_at(LEFT, y, show_date(booking, year=True).upper(), "Sans", "B", 10, RED, spacing=0.4)
        self._write_at(LEFT, y + 5.6, f"{show_clock(booking)}  {show_zone(booking)}", "Sans", "B", 15, INK)
        zone = zone_label(booking.timezone, booking.starts_at)
        self._write_at(LEFT, y + 12.6, t("Theater time ({zone})", zone=zone), "Sans", "", 6.5, MUTED)
        return y + 16

    def _where(self, y: float) -> float:
        half = INNER_W / 2
        # General-admission tickets (events): a ticket type and ticket numbers instead of a screen and seats.
        general = not self.booking.numbered_seat_ids
        self._label(LEFT, y, t("VENUE") if general else t("THEATER"))
        self.set_xy(LEFT, y + 3.6)
        self.set_text_color(*INK)
        self.set_font("Sans", "B", 9.5)
        self.multi_cell(INNER_W, 4.6, self.booking.theater_name, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font("Sans", "", 7.5)
        self.set_text_color(*MUTED)
        self.multi_cell(INNER_W, 3.6, self.booking.theater_address or self.booking.city, new_x=XPos.LEFT,
                        new_y=YPos.NEXT)
        y = self.get_y() + 3
        self._label(LEFT, y, t("ENTRY") if general else t("SCREEN"))
        self._label(LEFT + half, y, t("TICKETS"))
        self._write_at(LEFT, y + 3.6, self.booking.screen_name, "Sans", "B", 9.5, INK)
        self._write_at(LEFT + half, y + 3.6, str(len(self.booking.seats)), "Sans", "B", 9.5, INK)
        return y + 9

    def _seats(self, y: float) -> float:
        self._label(LEFT, y, t("TICKET NUMBERS") if not self.booking.numbered_seat_ids else t("SEATS"))
        y += 4
        for name, ids, _ in seat_groups(self.booking.seats):
            self._write_at(LEFT, y, name, "Sans", "", 7, MUTED)
            y += 3.8
            x = LEFT
            self.set_font("Sans", "B", 8.5)
            for seat_id in ids:
                width = max(9.0, self.get_string_width(seat_id) + 4)
                if x + width > LEFT + INNER_W:
                    x, y = LEFT, y + 7
                self.set_fill_color(*CHIP)
                self.set_draw_color(*RULE)
                self.set_line_width(0.2)
                self.rect(x, y, width, 5.6, style="DF", round_corners=True, corner_radius=1.4)
                self._write_at(x, y, seat_id, "Sans", "B", 8.5, INK, width=width, height=5.6, align="C")
                x += width + 1.6
            y += 8
        return y

    def _perforation(self, y: float) -> None:
        self.set_fill_color(*PAGE_BG)
        for x in (CARD_X, CARD_X + CARD_W):
            self.circle(x, y, 3.2, style="F")
        self.set_draw_color(*RULE)
        self.set_line_width(0.35)
        self.set_dash_pattern(dash=1.2, gap=1.2)
        self.line(CARD_X + 5, y, CARD_X + CARD_W - 5, y)
        self.set_dash_pattern()

    # Stub -----------------------------------------------------------------------------------------
    def _stub(self, y: float) -> float:
        size = 40.0
        self._qr(LEFT, y, size)
        right = LEFT + size + 4
        width = LEFT + INNER_W - right
        self._label(right, y, t("BOOKING REF"))
        self.set_xy(right, y + 3.4)
        self.set_font("Mono", "", 7)
        self.set_text_color(*INK)
        self.multi_cell(width, 3.3, self.booking.reference, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT,
                        wrapmode=WrapMode.CHAR)
        row_y = self.get_y() + 2.5
        rows = amount_rows(self.booking)
        for index, (label, amount) in enumerate(rows):
            strong = label == t("Total paid")
            font_size = 8.5 if strong else 7
            if strong:
                self.set_draw_color(*RULE)
                self.set_line_width(0.2)
                self.line(right, row_y - 0.6, right + width, row_y - 0.6)
            self._write_at(right, row_y, label, "Sans", "B" if strong else "", font_size, INK if strong else MUTED)
            self._write_at(right, row_y, amount, "Sans", "B" if strong else "", font_size, INK, width=width,
                           align="R")
            row_y += 5.2 if strong else 3.9
            if index + 1 < len(rows) and rows[index + 1][0] == t("Total paid"):
                row_y += 1.2  # room above the total's rule
        caption_y = y + size + 2
        self._write_at(LEFT, caption_y, t("Scan at the entrance"), "Sans", "", 6, MUTED, width=size, align="C")
        return max(caption_y + 3, row_y)

    def _qr(self, x: float, y: float, size: float, token: str | None = None) -> None:
        """The QR code as filled squares (runs of dark modules merged per row)."""
        matrix = [list(row) for row in qr_code(token or self.token).matrix]
        unit = size / len(matrix)  # the white card around it is the quiet zone (4+ modules wide)
        self.set_fill_color(0, 0, 0)
        for row_index, row in enumerate(matrix):
            column = 0
            while column < len(row):
                if not row[column]:
                    column += 1
                    continue
                start = column
                while column < len(row) and row[column]:
                    column += 1
                self.rect(x + start * unit, y + row_index * unit, (column - start) * unit + 0.01,
                          unit + 0.01, style="F")

    def _footer(self, y: float) -> float:
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(LEFT, y, LEFT + INNER_W, y)
        self.set_xy(LEFT, y + 2)
        self.set_font("Sans", "", 6)
        self.set_text_color(*MUTED)
        self.multi_cell(INNER_W, 2.9, t("Valid only for the show above. Please arrive 15 minutes early. "
                                        "The QR code is checked at the door; screenshots of it are fine."),
                        align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
        url = ticket_url(self.base_url, self.booking.booking_id)
        self.set_text_color(*RED)
        self.cell(INNER_W, 3.2, url, link=url, new_x=XPos.LEFT, new_y=YPos.NEXT)
        return self.get_y()

    # Helpers --------------------------------------------------------------------------------------
    def _label(self, x: float, y: float, text: str) -> None:
        self._write_at(x, y, text, "Sans", "B", 5.8, MUTED, spacing=0.5)

    def _write_at(self, x: float, y: float, text: str, family: str, style: str, size: float,
                  color: tuple[int, int, int], *, width: float = 0, height: float = 0, align: str = "L",
                  spacing: float = 0) -> None:
        self.set_font(family, style, size)
        self.set_text_color(*color)
        # Letter spacing would pull an Indic syllable's signs apart from their consonant.
        self.set_char_spacing(spacing if text.isascii() else 0)
        self.set_xy(x, y)
        self.cell(width, height or size * 0.3528 * 1.25, text, align=align)
        self.set_char_spacing(0)
