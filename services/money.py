"""Money is integer minor units (paise, cents) everywhere; this only formats it for people."""

from __future__ import annotations

_SYMBOLS = {"INR": "₹", "USD": "$", "EUR": "€", "GBP": "£", "NPR": "रू"}


def format_money(minor: int, currency: str = "INR") -> str:
    symbol = _SYMBOLS.get(currency, currency + " ")
    major, cents = divmod(abs(minor), 100)
    sign = "-" if minor < 0 else ""
    grouped = _indian_grouping(major) if currency == "INR" else f"{major:,}"
    return f"{sign}{symbol}{grouped}" + (f".{cents:02d}" if cents else "")


def _indian_grouping(number: int) -> str:
    """12,34,567 — lakhs and crores, as Indian customers read prices."""
    text = str(number)
    if len(text) <= 3:
        return text
    head, tail = text[:-3], text[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return ",".join(groups) + "," + tail
