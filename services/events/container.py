"""The events services, built together (one field, ``services.events``, in the app's container)."""

from __future__ import annotations

from dataclasses import dataclass

from services.booking.inventory import InventoryService
from services.booking.pricing import PricingService
from services.catalog.catalog import CatalogService
from services.catalog.posters import PosterStore
from services.clock import Clock
from services.events.catalog import EventCatalog
from services.events.editor import EventEditor
from services.events.quotas import QuotaService
from services.platform.aws import Aws
from services.settings import Settings
from services.staff.access import AccessService
from services.staff.audit import AuditLog
from services.staff.schedule import ScheduleService


@dataclass
class EventServices:
    catalog: EventCatalog
    quotas: QuotaService
    editor: EventEditor


def build_quotas(aws: Aws, clock: Clock, settings: Settings, catalog: CatalogService, inventory: InventoryService,
                 pricing: PricingService) -> QuotaService:
    return QuotaService(aws, clock, settings, catalog, inventory, pricing)


def build_events(aws: Aws, clock: Clock, catalog: CatalogService, quotas: QuotaService, access: AccessService,
                 audit: AuditLog, schedule: ScheduleService, posters: PosterStore) -> EventServices:
    return EventServices(catalog=EventCatalog(catalog), quotas=quotas,
                         editor=EventEditor(aws, clock, catalog, quotas, access, audit, schedule, posters))
