"""The services the app is made of, built once in ``main.py`` and handed to pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from services.aws import Aws
from services.bookings import BookingService
from services.catalog import CatalogService
from services.clock import Clock
from services.inventory import InventoryService
from services.live import LiveHub
from services.mailbox import MailboxService
from services.messages import MessageComposer
from services.notifications import NotificationWorker
from services.payments import PaymentGateway
from services.pricing import PricingService
from services.settings import Settings
from services.subscriptions import SubscriptionService
from services.tickets import TicketService
from services.tokens import TokenService
from services.users import UserService


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
    mailbox: MailboxService | None = None  # embedded backend: what SNS would have emailed
