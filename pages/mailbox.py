"""The Mailbox (embedded backend only): every message SNS would have emailed, as its recipient sees it.

A user sees their own mailbox; an admin sees every recipient's, and can pick one. Messages arrive
through SQS inboxes subscribed with the same filter policies as the email subscriptions
(``services/notify/mailbox.py``); the page looks for new ones every few seconds. On AWS real email is sent
and this page only says so.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nicegui import ui

from components.frame import frame
from components.heading import heading
from components.page import page
from components.service_call import call
from components.session import current_city, require_user
from services.accounts.users import User
from services.clock import parse_iso
from services.container import Services
from services.formatting import date_time
from services.i18n import t, tn
from services.notify.mailbox import MailItem

POLL_SECONDS = 3.0
ALL = ""


def register(services: Services) -> None:
    @page("/mailbox")
    async def mailbox_page() -> None:
        user = require_user("/mailbox")
        if user is None:
            return
        async with frame(services.catalog, services.mailbox):
            ui.add_css(MAIL_CSS)
            heading(t("Mailbox")).classes("mm-title text-3xl text-white").mark("page-title")
            if services.mailbox is None:
                _not_embedded()
                return
            await _mailbox(services, user)


def _not_embedded() -> None:
    with ui.column().classes("mm-surface w-full p-6 gap-2").mark("mailbox-unavailable"):
        ui.label(t("Confirmations are sent to the email address of your account.")).classes("text-white")
        ui.label(t("The Mailbox shows messages only on the demo server, where no email is sent.")).classes("mm-muted")


async def _mailbox(services: Services, user: User) -> None:
    mailbox = services.mailbox
    assert mailbox is not None

    def load() -> list[MailItem]:
        return mailbox.all_messages() if user.is_admin else mailbox.messages_for(user.email)

    intro = (t("Every email Movie Magic would have sent, to every recipient. This is a demo: none of them "
               "leaves this computer.")
             if user.is_admin else
             t("The emails Movie Magic would have sent to {email}. This is a demo: none of them leaves this "
               "computer.", email=user.email))
    ui.label(intro).classes("mm-muted -mt-3")
    theaters = services.catalog.theaters_in(current_city(await call(services.catalog.cities)))
    zone = theaters[0].timezone if theaters else "Asia/Kolkata"  # the demo's home
    mails = await call(load)
    state: dict[str, Any] = {"mails": mails, "recipient": ALL}

    if user.is_admin:
        options = {ALL: t("All recipients")} | {email: email for email in sorted({m.recipient for m in mails})}
        chooser = ui.select(options, value=ALL, label=t("Recipient"),
                            on_change=lambda e: (state.update(recipient=e.value or ALL), listing.refresh()))
        chooser.props("outlined dark dense options-dark").classes("w-full sm:w-80").mark("mailbox-recipient")

    @ui.refreshable
    def listing() -> None:
        shown = [m for m in state["mails"] if not state["recipient"] or m.recipient == state["recipient"]]
        if not shown:
            with ui.column().classes("mm-surface w-full items-center py-12 gap-2").mark("mailbox-empty"):
                ui.icon("mark_email_unread", size="48px").classes("mm-muted")
                ui.label(t("No messages yet.")).classes("text-lg text-white")
                ui.label(t("Book a show: its confirmation arrives here within seconds.")).classes("mm-muted")
            return
        ui.label(tn("{n} message", "{n} messages", len(shown))).classes(
            "mm-muted text-sm").mark("mailbox-count")
        for index, mail in enumerate(shown):
            _message(mail, expanded=index == 0, show_recipient=user.is_admin, zone=zone)

    listing()

    async def poll() -> None:
        fresh = await call(load)
        if [(m.recipient, m.message_id) for m in fresh] != [(m.recipient, m.message_id) for m in state["mails"]]:
            state["mails"] = fresh
            if user.is_admin:
                chooser.set_options({ALL: t("All recipients")} | {e: e for e in sorted({m.recipient for m in fresh})},
                                    value=state["recipient"])
            listing.refresh()

    ui.timer(POLL_SECONDS, poll, immediate=False)


# The disclosure's own triangle gives way to the chevron, which turns when open.
MAIL_CSS = """
.mm-mail > summary { list-style: none; }
.mm-mail > summary::-webkit-details-marker { display: none; }
.mm-mail[open] .mm-mail-chevron { transform: rotate(180deg); }
"""


def _message(mail: MailItem, *, expanded: bool, show_recipient: bool, zone: str) -> None:
    cancelled = mail.kind == "booking_cancelled"
    when = _when(mail.sent_at or mail.received_at, zone)
    # A native disclosure (<details>/<summary>): keyboard and screen readers know it, and its name is the text it
    # shows (Quasar's expansion item names its header "Expand"/"Collapse" instead: axe's label-content-name-mismatch).
    details = ui.element("details").classes("mm-mail mm-surface w-full overflow-hidden").mark("mailbox-message")
    if expanded:
        details.props("open")
    with details:
        with ui.element("summary").classes("w-full p-4 cursor-pointer"), ui.row().classes(
                "w-full items-center gap-3 flex-nowrap"):
            ui.avatar("event_busy" if cancelled else "local_activity", color="negative" if cancelled else "primary",
                      text_color="white", size="40px").props('aria-hidden="true"')
            with ui.column().classes("gap-0 min-w-0 grow"):
                with ui.row().classes("w-full items-baseline justify-between gap-2 flex-nowrap"):
                    ui.label(t("Movie Magic")).classes("text-white font-semibold truncate")
                    ui.label(when).classes("mm-muted text-xs shrink-0")
                ui.label(mail.subject).classes("text-white text-sm truncate w-full").mark("mailbox-subject")
                if show_recipient:
                    ui.label(t("To: {email}", email=mail.recipient)).classes("mm-muted text-xs truncate")
            ui.icon("expand_more", size="24px").classes("mm-mail-chevron mm-muted shrink-0").props('aria-hidden="true"')
        with ui.column().classes("w-full gap-3 px-1 sm:px-4 pb-4"):
            with ui.column().classes("gap-0 text-xs mm-muted"):
                ui.label(t("From: Movie Magic"))
                ui.label(t("To: {email}", email=mail.recipient)).mark("mailbox-to")
                ui.label(t("Subject: {subject}", subject=mail.subject))
            ui.label(mail.body).classes(
                "w-full whitespace-pre-wrap break-words font-mono text-[0.7rem] sm:text-[0.8rem] leading-relaxed "
                "text-gray-100 bg-black/30 rounded-lg p-2 sm:p-4").mark("mailbox-body")
            ui.label(t("Every email ends with a link to unsubscribe.")).classes("mm-muted text-xs")
            if mail.booking_id:
                with ui.row().classes("gap-2"):
                    if not cancelled:
                        ui.button(t("Open ticket"), icon="confirmation_number",
                                  on_click=lambda m=mail: ui.navigate.to(f"/ticket/{m.booking_id}")).props(
                            "unelevated no-caps").mark("mailbox-open-ticket")
                    ui.button(t("Booking details"),
                              on_click=lambda m=mail: ui.navigate.to(f"/booking/{m.booking_id}")).props(
                        "flat no-caps").classes("text-accent")


def _when(stamp: str, zone: str) -> str:
    """When it arrived, on the clock of the city the reader chose (mail has no theater; never UTC)."""
    try:
        moment: datetime = parse_iso(stamp)
    except ValueError:
        return stamp
    return date_time(moment, zone, zone_name=True)
