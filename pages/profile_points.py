"""The profile's loyalty points (issue 15): the balance, what it is worth, and the history of moves."""

from __future__ import annotations

from nicegui import ui

from components.service_call import call
from services.accounts.users import User
from services.clock import parse_iso
from services.container import Services
from services.engage.loyalty import LoyaltyEntry
from services.formatting import format_money, long_date
from services.i18n import t


def _kind(kind: str) -> str:
    return {"earned": t("Earned"), "redeemed": t("Spent"), "returned": t("Given back (cancelled)"),
            "reversed": t("Taken back (cancelled)")}.get(kind, kind)


async def load_points(services: Services, user: User) -> tuple[int, list[LoyaltyEntry]]:
    """The balance and history, read before the page is built (the card itself then builds at once)."""
    loyalty = services.engage.loyalty
    return await call(loyalty.balance, user.user_id), await call(loyalty.history, user.user_id)


def points_card(services: Services, balance: int, history: list[LoyaltyEntry]) -> None:
    loyalty = services.engage.loyalty
    currency = services.settings.currency
    with ui.column().classes("mm-surface w-full max-w-xl mx-auto p-6 gap-3").mark("loyalty"):
        ui.label(t("Loyalty points")).classes("mm-title text-xl text-white")
        with ui.row().classes("items-baseline gap-2"):
            ui.label(str(balance)).classes("text-4xl font-bold text-white").mark("points-balance")
            ui.label(t("points, worth {money} at checkout", money=format_money(loyalty.value_of(balance), currency)))\
                .classes("mm-muted")
        ui.label(t("You earn {n} points for every {money} you pay.", n=services.settings.loyalty_points_per_100,
                   money=format_money(100 * 100, currency))).classes("mm-muted text-sm")
        if not history:
            ui.label(t("No points yet: book a show to start earning.")).classes("mm-muted text-sm")
            return
        with ui.column().classes("w-full gap-0").mark("points-history"):
            for entry in history:
                with ui.row().classes("w-full items-center justify-between py-2 border-b border-white/10 flex-nowrap"):
                    with ui.column().classes("gap-0 min-w-0"):
                        ui.label(entry.movie_title).classes("text-white truncate")
                        ui.label(f"{_kind(entry.kind)} · {long_date(parse_iso(entry.at).date())}").classes(
                            "mm-muted text-xs")
                    sign = "+" if entry.points > 0 else "−"
                    ui.label(f"{sign}{abs(entry.points)}").classes(
                        "font-bold shrink-0 " + ("text-positive" if entry.points > 0 else "text-white"))
