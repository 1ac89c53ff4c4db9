"""The services the app is made of, built once in ``main.py`` and handed to pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from services.aws import Aws
from services.bookings import BookingService
from services.catalog import CatalogService
from services.clock import Clock
from services.inventory import InventoryService
from services.live import LiveHub
from services.payments import PaymentGateway
from services.pricing import PricingService
from services.settings import Settings
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
