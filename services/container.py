"""The services the app is made of, built once in ``main.py`` and handed to pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from services.accounts.password_reset import PasswordResetService
from services.accounts.tokens import TokenService
from services.accounts.users import UserService
from services.booking.bookings import BookingService
from services.booking.inventory import InventoryService
from services.booking.payments import PaymentGateway
from services.booking.pricing import PricingService
from services.booking.tickets import TicketService
from services.catalog.catalog import CatalogService
from services.clock import Clock
from services.kiosk.kiosks import KioskService
from services.kiosk.sales import KioskSales
from services.kiosk.terminal import CardTerminal
from services.live.hub import LiveHub
from services.notify.mailbox import MailboxService
from services.notify.messages import MessageComposer
from services.notify.notifications import NotificationWorker
from services.notify.ses_sender import SesSender
from services.notify.subscriptions import SubscriptionService
from services.platform.aws import Aws
from services.settings import Settings
from services.staff.container import StaffServices


@dataclass
class Services:
    settings: Settings
    aws: Aws
    clock: Clock
    catalog: CatalogService
    users: UserService
    live: LiveHub
    pricing: PricingService
    payments: PaymentGateway
    inventory: InventoryService
    bookings: BookingService
    tokens: TokenService
    messages: MessageComposer
    tickets: TicketService
    subscriptions: SubscriptionService
    notifications: NotificationWorker
    password_reset: PasswordResetService
    # Lobby kiosks (issue 13).
    kiosks: KioskService
    kiosk_sales: KioskSales
    terminal: CardTerminal
    staff: StaffServices  # the theater's side: roles, audit, staff accounts, check-in (issue 12)
    mailbox: MailboxService | None = None  # embedded backend: what SNS would have emailed
    ses_sender: SesSender | None = None  # MOVIEMAGIC_SES_SENDER set: mails customers through SES
