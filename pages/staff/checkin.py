"""Check-in at the door: a phone-friendly page that reads the ticket's QR code with the device camera
(jsQR, bundled) or takes a USB/keyboard scanner's or a typed code, and answers full screen: green with
the seats and the show, or red with the reason (already admitted at 19:02 by <usher>, cancelled, another
theater, another day, not a ticket). The rule lives in ``services.staff.checkins``; this page shows it."""

from __future__ import annotations

from pathlib import Path

from nicegui import app, ui

from components.heading import heading
from components.page import page
from components.service_call import call
from components.session import current_user
from components.staff_frame import staff_frame
from services.booking.bookings import Booking
from services.container import Services
from services.errors import DomainError
from services.i18n import t, tn
from services.staff.access import StaffMember
from services.staff.checkins import Admission

JSQR = Path(__file__).resolve().parents[2] / "node_modules" / "jsqr" / "dist" / "jsQR.js"
JSQR_URL = "/vendor/jsQR.js"
ANSWER_SECONDS = 3.5  # long enough to read at arm's length; short enough for the next guest
_CSS = """
.mm-answer { position: fixed; inset: 0; z-index: 6000; display: flex; flex-direction: column;
             align-items: center; justify-content: center; gap: .75rem; padding: 1.5rem; text-align: center; }
.mm-answer-ok { background: #15803d; } .mm-answer-no { background: #b91c1c; }
.mm-answer-word { font-size: clamp(3rem, 14vw, 7rem); font-weight: 900; letter-spacing: -.03em; line-height: 1; }
.mm-camera { width: 100%; aspect-ratio: 4 / 3; object-fit: cover; background: #000; border-radius: 14px; }
"""


def register(services: Services) -> None:
    if JSQR.exists():  # installed by run.sh / test.sh (npm ci); without it the page takes typed codes only
        app.add_static_file(local_file=JSQR, url_path=JSQR_URL)

    @page("/staff/checkin")
    async def checkin_page() -> None:
        # Before the frame awaits the connection: body HTML is part of the first response only.
        ui.add_body_html(f'<script src="{JSQR_URL}"></script><script src="/assets/staff/checkin-camera.js"></script>')
        async with staff_frame(services, "/staff/checkin", "checkin") as member:
            if member is None:
                return
            await _checkin(services, member)


async def _checkin(services: Services, member: StaffMember) -> None:
    user = current_user()  # the service checks this user's access afresh on every scan
    ui.add_css(_CSS)
    theaters = await call(services.catalog.theaters)
    doors = {theater.theater_id: theater.name for theater in theaters
             if theater.theater_id in member.theater_scope([x.theater_id for x in theaters])}
    chosen = app.storage.user.get("door_theater")
    door: list[str | None] = [chosen if chosen in doors else next(iter(doors), None)]  # the door's theater
    shown = [0]  # answers shown so far: an answer hides itself only if no newer one replaced it

    def choose_door(theater_id: str) -> None:
        door[0] = theater_id
        app.storage.user["door_theater"] = theater_id

    with ui.column().classes("w-full max-w-xl mx-auto gap-4"):
        with ui.row().classes("w-full items-center justify-between"):
            heading(t("Check-in")).classes("mm-title text-2xl text-white").mark("page-title")
            if len(doors) > 1:
                ui.select(doors, value=door[0], label=t("Door of"), on_change=lambda e: choose_door(e.value)
                          ).props("outlined dark dense options-dark").classes("min-w-[12rem]").mark("checkin-door")
            elif doors:
                ui.label(next(iter(doors.values()))).classes("mm-muted")
        camera = ui.html('<video id="mm-checkin-video" class="mm-camera" muted playsinline></video>').classes("w-full")
        camera_note = ui.label(t("Starting the camera…")).classes("mm-muted text-sm").mark("checkin-camera")
        typed = ui.input(label=t("Ticket code (scanner or keyboard)")).props(
            'outlined dark autofocus autocomplete=off spellcheck=false').classes("w-full").mark("checkin-code")
        ui.label(t("Point the camera at the ticket's QR code, or scan it with a USB scanner.")).classes(
            "mm-muted text-sm")

    answer = ui.element("div").classes("mm-answer hidden").mark("checkin-answer")
    answer.on("click", lambda: answer.classes(add="hidden"))

    async def admit(code: str) -> None:
        code = (code or "").strip()
        if not code:
            return
        try:
            admission = await call(services.staff.checkins.admit, user, code, door[0])
        except DomainError as exc:
            _show(answer, ok=False, headline=exc.message, booking=getattr(exc, "booking", None),
                  kind=exc.code)
        else:
            _show_admitted(answer, admission)
        shown[0] += 1
        this = shown[0]
        ui.timer(ANSWER_SECONDS, lambda: answer.classes(add="hidden") if shown[0] == this else None, once=True)

    async def on_typed() -> None:
        code, typed.value = typed.value, ""
        await admit(code)

    typed.on("keydown.enter", on_typed)
    ui.on("mm-ticket", lambda e: admit(str(e.args)))
    def camera_state(args: dict[str, str] | None) -> None:
        ok = bool((args or {}).get("ok"))
        camera.set_visibility(ok)  # no black box where no camera is: the typed code is the way in
        camera_note.set_text(t("Camera on: hold the ticket's QR code in view.") if ok else
                             t("No camera ({reason}): type or scan the code below.",
                               reason=(args or {}).get("error", "?")))

    ui.on("mm-camera", lambda e: camera_state(e.args))
    await ui.context.client.connected()
    ui.run_javascript('window.mmCheckinCamera && window.mmCheckinCamera.start("mm-checkin-video")')


def _show_admitted(answer: ui.element, admission: Admission) -> None:
    if admission.ticket is not None:  # one general-admission ticket: one person
        headline = t("Ticket {n} of {total} admitted", n=admission.ticket, total=admission.tickets)
        shown = [seat.seat_id for seat in admission.booking.seats
                 if not seat.is_seat and seat.number == admission.ticket]
    else:
        headline = tn("{n} person", "{n} people", admission.people)
        shown = admission.booking.numbered_seat_ids
    _show(answer, ok=True, headline=headline, booking=admission.booking, kind="admitted", seats=shown)


def _show(answer: ui.element, *, ok: bool, headline: str, booking: Booking | None, kind: str,
          seats: list[str] | None = None) -> None:
    answer.clear()
    answer.classes(remove="hidden mm-answer-ok mm-answer-no", add="mm-answer-ok" if ok else "mm-answer-no")
    answer.props(f'role="alert" data-kind="{kind}"')
    with answer:
        ui.icon("check_circle" if ok else "block", size="84px").classes("text-white")
        ui.label(t("ADMIT") if ok else t("DO NOT ADMIT")).classes("mm-answer-word text-white").mark("answer-word")
        ui.label(headline).classes("text-2xl font-bold text-white").mark("answer-reason")
        if booking is not None:
            shown = booking.seat_ids if seats is None else seats
            ui.label(" · ".join(shown)).classes("text-4xl font-black text-white").mark("answer-seats")
            ui.label(f"{booking.movie_title} · {booking.local_start():%a %d %b %H:%M} · {booking.screen_name}"
                     ).classes("text-lg text-white/90").mark("answer-show")
        ui.label(t("Tap to close")).classes("text-sm text-white/70 mt-4")

