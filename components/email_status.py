"""Where a user's booking confirmations go, for the profile page: confirmed, waiting for them to confirm
the subscription email from AWS, not subscribed (with a button), or the embedded mailbox."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from components.service_call import call
from services.i18n import t
from services.notify.subscriptions import SubscriptionService, SubscriptionStatus

_LOOK: dict[SubscriptionStatus, tuple[str, str]] = {
    "confirmed": ("mark_email_read", "text-positive"),
    "pending": ("schedule_send", "text-warning"),
    "not_subscribed": ("unsubscribe", "mm-muted"),
    "mailbox": ("inbox", "text-accent"),
    "unknown": ("help_outline", "mm-muted"),
}


def email_status(subscriptions: SubscriptionService, email: str) -> None:
    """A "Booking emails" block; the status is fetched after the page shows (SNS may be slow)."""
    with ui.column().classes("gap-1 w-full").mark("email-status"):
        ui.label(t("Booking emails")).classes("mm-muted text-sm")
        body = ui.row().classes("items-start gap-2 flex-nowrap w-full")
        with body:
            ui.spinner(size="sm")
            ui.label(t("Checking…")).classes("mm-muted")

    async def load() -> None:
        status = await call(subscriptions.status, email)
        if not body.is_deleted:
            _show(body, email, status, subscribe)

    async def subscribe() -> None:
        ok = await call(subscriptions.try_subscribe, email)
        ui.notify(t("Check your inbox for an email from AWS Notifications.") if ok
                  else t("We could not reach the email service. Please try again later."),
                  type="positive" if ok else "warning")
        await load()

    ui.timer(0.05, load, once=True)


def _show(body: ui.row, email: str, status: SubscriptionStatus, subscribe: Callable[[], Awaitable[None]]) -> None:
    icon, colour = _LOOK[status]
    body.clear()
    with body:
        ui.icon(icon, size="22px").classes(colour)
        with ui.column().classes("gap-1 min-w-0"):
            if status == "mailbox":
                ui.label(t("This is a demo server: no email leaves this computer. "
                           "Your confirmations arrive in your Mailbox.")).classes("text-white")
                ui.link(t("Open Mailbox"), "/mailbox").classes("text-accent").mark("email-status-mailbox")
            elif status == "confirmed":
                ui.label(t("Confirmations are emailed to {email}.", email=email)).classes("text-white")
            elif status == "pending":
                ui.label(t("Please confirm your email: AWS Notifications sent a message to {email}. Click "
                           "“Confirm subscription” in it to receive booking confirmations.", email=email)
                         ).classes("text-white")
                ui.button(t("Send it again"), on_click=subscribe).props(
                    "flat dense no-caps").classes("text-accent")
            elif status == "not_subscribed":
                ui.label(t("Booking confirmations are not being emailed to you.")).classes("text-white")
                ui.button(t("Email me confirmations"), on_click=subscribe).props("flat dense no-caps").classes(
                    "text-accent")
            else:
                ui.label(t("We could not check your email subscription just now.")).classes("mm-muted")
    body.mark(f"email-status-{status}")
