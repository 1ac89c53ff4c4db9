"""Movie Magic: the composition root. Reads settings, builds the services, registers pages and API.

python main.py              serve the app (embedded backend by default: no AWS account needed)
python main.py provision    create or update the tables, indexes, TTL and topic in AWS
python main.py backend      run the embedded backend alone, for several app processes to share
python main.py create-admin EMAIL   an admin account on AWS; prints its password once (docs/DEPLOY.md)
"""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
import threading
from pathlib import Path

from nicegui import app, core, ui
from nicegui.storage import Storage

import api
import pages
from components.language import LanguageFromQuery
from components.service_call import call
from components.session import SessionGuard
from components.theme import preload_fonts, use_compiled_tailwind
from services.accounts.password_reset import PasswordResetService
from services.accounts.tokens import TokenService
from services.accounts.users import UserService
from services.booking.availability import AvailabilityService
from services.booking.bookings import BookingService
from services.booking.counters import SalesCounters
from services.booking.inventory import InventoryService
from services.booking.payments import DemoGateway
from services.booking.pricing import PricingService
from services.booking.tickets import TicketService
from services.catalog.catalog import CatalogService
from services.catalog.demo import DemoCatalog
from services.clock import Clock, SystemClock
from services.container import Services
from services.engage.container import build_engage
from services.engage.hooks import CombinedCounters
from services.engage.loyalty import LoyaltyService
from services.engage.recommendations import Recommender
from services.engage.reminders import Reminders
from services.engage.waitlist import WaitingList
from services.errors import DomainError
from services.events.container import build_events, build_quotas
from services.events.demo import DemoEvents
from services.kiosk.access import KioskAccess
from services.kiosk.kiosks import KioskService
from services.kiosk.sales import KioskSales
from services.kiosk.terminal import DemoTerminal
from services.live.channel import RedisChannel
from services.live.hub import LiveHub
from services.live.poller import LivePoller
from services.live.sync import LiveSync
from services.notify.mailbox import MailboxService
from services.notify.messages import MessageComposer
from services.notify.notifications import NotificationWorker
from services.notify.ses_sender import SesSender
from services.notify.subscriptions import SubscriptionService
from services.platform.aws import Aws, connect
from services.platform.backend import start_backend, start_embedded_server
from services.platform.local_secrets import with_local_secrets
from services.platform.logs import configure_logging, log_event
from services.platform.private_files import DataFileError
from services.platform.provisioning import provision
from services.settings import Settings, SettingsError, load_settings
from services.staff.container import build_staff

ROOT = Path(__file__).parent
ASSETS = ROOT / "assets"
HOLD_SWEEP_SECONDS = 1.0  # how soon an expired hold turns free on open maps
GA_SWEEP_SECONDS = 30.0  # how soon an expired general-admission hold's tickets are counted free again
MOVE_NOTICE_SECONDS = 30.0  # how soon a moved show's notices left unsent (a crash, an outage) go out


def build_services(settings: Settings, aws: Aws, clock: Clock | None = None) -> Services:
    clock = clock or SystemClock()
    catalog = CatalogService(aws, clock)
    live = LiveHub()
    pricing = PricingService(settings)
    payments = DemoGateway(settings.upi_collect_seconds)
    inventory = InventoryService(aws, clock, settings, catalog, pricing, live)
    users = UserService(aws, clock, settings, bcrypt_rounds=settings.bcrypt_rounds)
    mailbox = MailboxService(aws, clock) if settings.mailbox_enabled else None
    subscriptions = SubscriptionService(aws, mailbox)
    users.on_registered = subscriptions.on_registered
    messages = MessageComposer(settings.base_url, settings.cancel_cutoff_minutes)
    tickets = TicketService(aws, settings)
    quotas = build_quotas(aws, clock, settings, catalog, inventory, pricing)  # events' general admission (issue 17)
    loyalty = LoyaltyService(aws, clock, settings)  # points ride in the sale and cancel transactions (issue 15)
    recommender = Recommender(aws, clock, catalog)  # issue 15: reminders and recommendation aggregates
    counters = CombinedCounters(SalesCounters(aws), Reminders(aws, settings), recommender)
    # Takes seats a cancellation frees (issue 15); a hold walked away from goes back through the quotas.
    waitlist = WaitingList(aws, clock, settings, catalog, inventory, release=quotas.release)
    bookings = BookingService(aws, clock, settings, catalog, inventory, pricing, payments, counters, quotas,
                              loyalty=loyalty, handoff=waitlist)
    staff = build_staff(aws, clock, settings, users, tickets, catalog, bookings, inventory)
    events = build_events(aws, clock, catalog, quotas, staff.access, staff.audit, staff.schedule,
                          staff.posters)
    kiosks = KioskService(aws, clock, settings, catalog, KioskAccess(staff.access))  # lobby kiosks (issue 13)
    kiosk_sales = KioskSales(clock, settings, catalog, bookings, kiosks, subscriptions, quotas)
    return Services(
        settings=settings,
        aws=aws,
        clock=clock,
        catalog=catalog,
        users=users,
        live=live,
        pricing=pricing,
        payments=payments,
        inventory=inventory,
        bookings=bookings,
        availability=AvailabilityService(aws, catalog),
        tokens=TokenService(settings, clock, users),
        password_reset=PasswordResetService(aws, clock, settings, users, messages),
        messages=messages,
        tickets=tickets,
        subscriptions=subscriptions,
        notifications=NotificationWorker(
            aws, clock, messages, subscriptions, on_published=mailbox.note if mailbox else None
        ),
        kiosks=kiosks,
        kiosk_sales=kiosk_sales,
        terminal=DemoTerminal(clock, settings.kiosk_terminal_seconds),
        staff=staff,
        events=events,
        engage=build_engage(aws, clock, settings, catalog, bookings, staff, loyalty, recommender, waitlist),
        mailbox=mailbox,
        ses_sender=SesSender(aws, clock, subscriptions) if settings.ses_enabled else None,
    )


def prepare_data(services: Services) -> None:
    """Demo catalog and the first admin account (embedded backend, or when asked to seed)."""
    if services.settings.should_seed_demo:
        report = DemoCatalog(services.aws, services.clock, ASSETS / "catalog").load()
        log_event("catalog.seeded", movies=report.movies, theaters=report.theaters, showtimes=report.showtimes)
        events = DemoEvents(services.aws, services.clock, ASSETS / "catalog").load()
        log_event("events.seeded", events=events.events, venues=events.venues, performances=events.performances)
    if services.settings.backend == "embedded":
        password = services.users.ensure_admin(services.settings.admin_email)
        if password:
            # Printed once, on purpose: there is no other way to learn it. Not logged.
            print(f"\n  Admin account created: {services.settings.admin_email} / {password}\n", flush=True)
        if services.settings.should_seed_demo:
            write_demo_staff(services)


def write_demo_staff(services: Services) -> None:
    """One manager and one usher per demo theater. Their passwords go to a 0600 file in the data dir and
    one line says where: 24 accounts would bury the admin's line, and the file outlives the scrollback."""
    theaters = {theater.theater_id: theater.name for theater in services.catalog.theaters()}
    created = services.staff.team.ensure_demo_staff(theaters)
    if not created:
        return
    path = services.settings.data_dir / "staff-accounts.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{account.user.email} {account.password}" for account in created]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as file:
        file.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)
    print(f"  Staff accounts created ({len(created)}: a manager and an usher per theater); "
          f"their passwords are in {path}\n", flush=True)


def start_live_jobs(services: Services) -> None:
    """Expired holds turn free on every open seat map; with several instances, a poller syncs the maps."""

    async def sweep() -> None:
        watched = services.live.watched_showtimes()
        if watched:
            try:
                await call(services.inventory.expire_due, watched)
            except DomainError as exc:  # a bad moment: the next round tries again
                log_event("hold.sweep_failed", error=exc.message)

    app.timer(HOLD_SWEEP_SECONDS, sweep)

    async def sweep_general_admission() -> None:
        try:
            await call(services.events.quotas.expire_upcoming)
        except DomainError as exc:
            log_event("ga.sweep_failed", error=exc.message)

    # Expired GA holds give their tickets back (a hold that finds too few also sweeps its show first, so this
    # only keeps the "tickets left" figures fresh); not at start-up, when the first pages are being built.
    app.timer(GA_SWEEP_SECONDS, sweep_general_admission, immediate=False)
    async def offer_waiting() -> None:  # waiting lists (issue 15): freed seats to the next in line
        try:
            await call(services.engage.waitlist.sweep)
        except DomainError as exc:
            log_event("waitlist.sweep_failed", error=exc.message)

    app.timer(services.settings.waitlist_sweep_seconds, offer_waiting)

    async def finish_move_notices() -> None:  # a moved show's notices a crash or outage left unsent (issue 15)
        try:
            await call(services.staff.moves.resume_pending)
        except DomainError as exc:
            log_event("showtime.move_notices_failed", error=exc.message)

    app.timer(MOVE_NOTICE_SECONDS, finish_move_notices)
    if services.settings.live_poller:
        poller = LivePoller(services.inventory, services.live)
        app.timer(services.settings.live_poll_seconds, lambda: call(poller.poll_once))


def share_across_instances(services: Services) -> None:
    """Several instances (MOVIEMAGIC_REDIS_URL): NiceGUI's user and tab storage live in Redis, so a login and
    a basket survive the load balancer moving a browser; every seat change goes over the Redis channel and
    each instance re-reads what its viewers watch (services/live/sync.py)."""
    settings = services.settings
    Storage.redis_url = settings.redis_url  # read by NiceGUI whenever it creates a user's or a tab's storage
    Storage.redis_key_prefix = f"{settings.table_prefix}nicegui:"
    channel = RedisChannel(settings.redis_url, settings.live_channel)
    sync = LiveSync(services.inventory.live_states, services.live, settings.live_resync_seconds)
    services.live.channel = channel
    services.live.on_change = sync.mark
    sync.start()
    channel.start(sync.on_message, on_connected=sync.mark_watched)

    def stop() -> None:
        channel.stop()
        sync.stop()

    app.on_shutdown(stop)


def start_notifications(services: Services, *, sole_worker: bool = False) -> None:
    """The outbox worker publishes pending confirmations every few seconds (in a thread: boto3 blocks);
    on the embedded backend the mailbox then collects what SNS delivered. ``sole_worker``: this process
    owns its data (its own embedded backend), so leases left by a crashed run are taken over at once."""
    subscriptions, worker, mailbox = services.subscriptions, services.notifications, services.mailbox
    ses = services.ses_sender
    orphans = [sole_worker]

    async def tick() -> None:
        await call(subscriptions.prepare)  # once: staff address, and re-subscribing after a restart
        if orphans[0]:
            freed = await call(worker.take_over_leases)
            orphans[0] = False
            if freed:
                log_event("notification.leases_taken_over", records=freed)
        await call(worker.run_once)
        if ses is not None:
            try:
                await call(ses.run_once)
            except DomainError as exc:  # queue unreachable: the messages wait in it
                log_event("ses.round_failed", error=exc.message)
        if mailbox is not None:
            try:
                await call(mailbox.collect)
            except DomainError as exc:  # the messages wait in their inboxes
                log_event("mailbox.collect_failed", error=exc.message)

    def stop() -> None:  # plain call: worker threads no longer run anything once the app is stopping
        worker.stop()
        if mailbox is not None:  # what SNS delivered last is in the inboxes: into the mailbox now
            try:
                mailbox.collect(everything=True)
            except DomainError as exc:
                log_event("mailbox.collect_failed", error=exc.message)

    app.timer(services.settings.notify_poll_seconds, tick)
    app.on_shutdown(stop)


def serve(settings: Settings) -> None:
    if settings.backend == "embedded":
        settings = with_local_secrets(settings)
    backend = start_backend(settings)
    services = build_services(settings, backend.aws)
    prepare_data(services)

    app.add_static_files("/assets", ASSETS)
    preload_fonts()
    use_compiled_tailwind()  # with tailwind=False below: no in-browser Tailwind (docs/ARCHITECTURE.md §7)
    # A browser sends small events (clicks, field values); refuse huge websocket/polling messages.
    core.sio.eio.max_http_buffer_size = settings.max_socket_message_bytes
    pages.register(services)
    # Before ui.run, so it runs inside NiceGUI's session middleware (it reads app.storage.user).
    app.add_middleware(SessionGuard, users=services.users)
    app.add_middleware(LanguageFromQuery)  # ?lang=xx on any page (reads app.storage.user too)
    api.register(services)
    # Before backend.stop, so its shutdown runs first.
    start_notifications(services, sole_worker=backend.server is not None)
    app.on_shutdown(backend.stop)
    start_live_jobs(services)
    if settings.redis_url:
        share_across_instances(services)
    # A tab's storage outlives its tab by this much, not NiceGUI's 30 days (nothing here keeps data in it).
    app.storage.max_tab_storage_age = settings.tab_storage_minutes * 60

    # Everything loaded so far lives as long as the process: keep it out of the cyclic collector's full
    # passes, which otherwise grow with it and stall every open seat map (measured 50-450 ms).
    gc.freeze()
    print(f"Movie Magic is ready at {settings.base_url}", flush=True)
    ui.run(
        host=settings.host,
        port=settings.port,
        title="Movie Magic",
        dark=True,
        tailwind=False,  # the CSS is compiled ahead of time: components.theme.use_compiled_tailwind
        favicon=ASSETS / "favicon.svg",
        storage_secret=settings.storage_secret,
        # The session cookie travels only over HTTPS when the public URL is HTTPS (behind the proxy).
        session_middleware_kwargs={"https_only": settings.https, "same_site": "lax"},
        # Client addresses come from services.accounts.client_address (X-Forwarded-For only from the
        # configured trusted proxies), not from uvicorn, which would believe any local peer's header.
        proxy_headers=False,
        reload=False,
        show=False,
        show_welcome_message=False,
    )


def provision_aws(settings: Settings) -> None:
    changes = provision(connect(settings))
    print("\n".join(changes) if changes else "Everything is already up to date.")


def serve_backend(settings: Settings) -> None:
    """The durable embedded server alone, until SIGTERM or Ctrl-C; apps use it via MOVIEMAGIC_ENDPOINT_URL."""
    server, store = start_embedded_server(settings, settings.backend_host, settings.backend_port)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    print(f"Movie Magic embedded backend is ready at {server.endpoint_url} (data in {settings.data_dir})", flush=True)
    stopping.wait()
    server.stop()
    store.close()  # a last snapshot, so the next start replays nothing


def create_admin(settings: Settings, email: str | None) -> int:
    """The first admin on AWS (the embedded backend makes its own at start). Printed once, never logged."""
    if settings.backend != "aws" or not email:
        print("usage: python main.py create-admin EMAIL   (aws backend; the embedded one creates its admin "
              "at start)", file=sys.stderr)
        return 2
    password = build_services(settings, connect(settings), SystemClock()).users.ensure_admin(email)
    print(f"Admin account created: {email} / {password}" if password else f"{email} already has an account.")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="main.py", description="Movie Magic movie-ticket booking")
    parser.add_argument("command", nargs="?", default="serve",
                        choices=["serve", "provision", "backend", "create-admin"])
    parser.add_argument("email", nargs="?", help="create-admin: the new admin's email address")
    args = parser.parse_args(argv)
    configure_logging()
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.command == "create-admin":
        return create_admin(settings, args.email)
    try:
        if args.command == "provision":
            provision_aws(settings)
        elif args.command == "backend":
            serve_backend(settings)
        else:
            serve(settings)
    except DataFileError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ in {"__main__", "__mp_main__"}:
    # Under NiceGUI's test `user` fixture this file runs as __main__ with pytest's own argv.
    code = main([] if "NICEGUI_USER_SIMULATION" in os.environ else sys.argv[1:])
    if code:
        sys.exit(code)
