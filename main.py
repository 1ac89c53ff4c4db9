"""Movie Magic: the composition root. Reads settings, builds the services, registers pages and API.

python main.py              serve the app (embedded backend by default: no AWS account needed)
python main.py provision    create or update the tables, indexes, TTL and topic in AWS
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from nicegui import app, run, ui

import api
import pages
from services.aws import Aws, connect
from services.backend import Backend, start_backend
from services.bookings import BookingService
from services.catalog import CatalogService
from services.clock import Clock, SystemClock
from services.container import Services
from services.demo_catalog import DemoCatalog
from services.events import configure_logging, log_event
from services.inventory import InventoryService
from services.live import LiveHub
from services.local_secrets import with_local_secrets
from services.payments import DemoGateway
from services.pricing import PricingService
from services.provisioning import provision
from services.settings import Settings, SettingsError, load_settings
from services.tokens import TokenService
from services.users import UserService

ROOT = Path(__file__).parent
ASSETS = ROOT / "assets"


def build_services(settings: Settings, aws: Aws, clock: Clock | None = None) -> Services:
    clock = clock or SystemClock()
    catalog = CatalogService(aws, clock)
    live = LiveHub()
    pricing = PricingService(settings)
    payments = DemoGateway()
    inventory = InventoryService(aws, clock, settings, catalog, pricing, live)
    return Services(
        settings=settings,
        aws=aws,
        clock=clock,
        catalog=catalog,
        users=UserService(aws, clock, settings, bcrypt_rounds=settings.bcrypt_rounds),
        live=live,
        pricing=pricing,
        payments=payments,
        inventory=inventory,
        bookings=BookingService(aws, clock, settings, catalog, inventory, pricing, payments),
        tokens=TokenService(settings, clock),
    )


def prepare_data(services: Services, backend: Backend) -> None:
    """Demo catalog and the first admin account (embedded backend, or when asked to seed)."""
    if services.settings.should_seed_demo:
        report = DemoCatalog(services.aws, services.clock, ASSETS / "catalog").load()
        log_event("catalog.seeded", movies=report.movies, theaters=report.theaters, showtimes=report.showtimes)
    if backend.server is not None:
        password = services.users.ensure_admin(services.settings.admin_email)
        if password:
            # Printed once, on purpose: there is no other way to learn it. Not logged.
            print(f"\n  Admin account created: {services.settings.admin_email} / {password}\n", flush=True)


def serve(settings: Settings) -> None:
    if settings.backend == "embedded":
        settings = with_local_secrets(settings)
    backend = start_backend(settings)
    services = build_services(settings, backend.aws)
    prepare_data(services, backend)

    app.add_static_files("/assets", ASSETS)
    pages.register(services)
    api.register(services)
    app.on_shutdown(backend.stop)
    if backend.server is not None:
        app.timer(settings.snapshot_seconds, lambda: run.io_bound(backend.save), immediate=False)

    print(f"Movie Magic is ready at {settings.base_url}", flush=True)
    ui.run(
        host=settings.host,
        port=settings.port,
        title="Movie Magic",
        dark=True,
        favicon=ASSETS / "favicon.svg",
        storage_secret=settings.storage_secret,
        reload=False,
        show=False,
        show_welcome_message=False,
    )


def provision_aws(settings: Settings) -> None:
    changes = provision(connect(settings))
    print("\n".join(changes) if changes else "Everything is already up to date.")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="main.py", description="Movie Magic movie-ticket booking")
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "provision"])
    args = parser.parse_args(argv)
    configure_logging()
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.command == "provision":
        provision_aws(settings)
    else:
        serve(settings)
    return 0


if __name__ in {"__main__", "__mp_main__"}:
    # Under NiceGUI's test `user` fixture this file runs as __main__ with pytest's own argv.
    code = main([] if "NICEGUI_USER_SIMULATION" in os.environ else sys.argv[1:])
    if code:
        sys.exit(code)
