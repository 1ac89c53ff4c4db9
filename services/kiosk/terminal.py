"""The card terminal beside a kiosk, behind a small interface, and a demo terminal for demos and tests.

The kiosk asks the terminal for an amount; the customer taps or inserts a card; the terminal hands back
the card as a ``CardPayment`` for the payment gateway (which approves or declines it, as on the web).
A terminal that sees no card within its time limit times out. Polling (not a blocking wait) keeps no
worker thread busy while a customer looks for their wallet, and lets tests drive it with a fake clock.

The demo terminal has no hardware: the kiosk screen shows its two demo cards, and ``present`` is what
tapping one does. Its decline card is the gateway's decline card, so a decline takes the same path as a
real one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from services.booking.payments import APPROVE_CARD, DECLINE_CARD, CardPayment
from services.clock import Clock

ReadingState = Literal["waiting", "card", "timed_out", "cancelled", "idle"]
DemoCard = Literal["approve", "decline"]


@dataclass(frozen=True)
class Reading:
    state: ReadingState
    payment: CardPayment | None = None
    seconds_left: int = 0


class CardTerminal(Protocol):
    is_demo: bool

    def request(self, session: str, amount: int, currency: str) -> None:
        """Show the amount and wait for a card (a new request replaces that session's previous one)."""
        ...

    def poll(self, session: str) -> Reading: ...

    def cancel(self, session: str) -> None:
        """Stop waiting; a card presented later is ignored."""
        ...

    def status(self) -> str:
        """A short state for the staff panel: "ready", "waiting for a card", "offline"..."""
        ...


@dataclass
class _Request:
    amount: int
    currency: str
    deadline: datetime
    state: ReadingState = "waiting"
    payment: CardPayment | None = None


class DemoTerminal:
    """A terminal that exists only in memory (one per app; sessions keep kiosks apart)."""

    is_demo = True

    def __init__(self, clock: Clock, timeout_seconds: float) -> None:
        self._clock = clock
        self._timeout = timedelta(seconds=timeout_seconds)
        self._requests: dict[str, _Request] = {}
        self._lock = threading.Lock()

    def request(self, session: str, amount: int, currency: str) -> None:
        with self._lock:
            self._requests[session] = _Request(amount, currency, self._clock.now() + self._timeout)

    def present(self, session: str, card: DemoCard) -> bool:
        """A customer taps a demo card; False when the terminal was not waiting for one."""
        with self._lock:
            request = self._live(session)
            if request is None:
                return False
            request.state = "card"
            request.payment = CardPayment(APPROVE_CARD if card == "approve" else DECLINE_CARD)
            return True

    def poll(self, session: str) -> Reading:
        with self._lock:
            request = self._requests.get(session)
            if request is None:
                return Reading("idle")
            if request.state == "waiting":
                left = (request.deadline - self._clock.now()).total_seconds()
                if left <= 0:
                    request.state = "timed_out"
                    return Reading("timed_out")
                return Reading("waiting", seconds_left=int(left + 0.999))
            if request.state == "card":  # handed over once: a second poll must not pay twice
                self._requests.pop(session, None)
                return Reading("card", request.payment)
            return Reading(request.state)

    def cancel(self, session: str) -> None:
        with self._lock:
            self._requests.pop(session, None)

    def status(self) -> str:
        with self._lock:
            waiting = any(r.state == "waiting" for r in self._requests.values())
        return "waiting for a card" if waiting else "ready (demo terminal)"

    def _live(self, session: str) -> _Request | None:
        request = self._requests.get(session)
        if request is None or request.state != "waiting" or self._clock.now() > request.deadline:
            return None
        return request
