"""Scheduling for managers: a screen's day at a glance; schedule a movie at a local time with prices per
category, once or with a repeat rule (days, times, weekdays) previewed before anything is created;
move a show to another time or screen (every booking told, ``services.staff.moves``); cancel a show (every
booking refunded and emailed). Rules live in ``services.staff.schedule``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from nicegui import ui

from components.heading import heading
from components.page import page
from components.service_call import call
from components.session import current_user
from components.staff_frame import staff_frame
from services.accounts.users import User
from services.catalog.catalog import Theater, screen_key
from services.container import Services
from services.errors import DomainError
from services.i18n import N_, t, tn
from services.staff.access import StaffMember
from services.staff.schedule import PlannedShow, RepeatRule, ShowRequest

WEEKDAYS = [N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun")]


def register(services: Services) -> None:
    @page("/staff/schedule")
    async def schedule_page() -> None:
        async with staff_frame(services, "/staff/schedule", "manage") as member:
            if member is None:
                return
            await _schedule(services, member)


async def _schedule(services: Services, member: StaffMember) -> None:
    user = current_user()
    assert user is not None
    all_theaters = await call(services.catalog.theaters)
    scope = member.theater_scope([theater.theater_id for theater in all_theaters])
    # A theater without screens has nothing to schedule on yet (the theaters page adds them).
    theaters = {theater.theater_id: theater for theater in all_theaters
                if theater.theater_id in scope and theater.screens}
    movies = {movie.movie_id: movie for movie in await call(services.catalog.all_movies)}
    if not theaters:
        heading(t("Schedule")).classes("mm-title text-2xl text-white").mark("page-title")
        ui.label(t("None of your theaters has a screen yet.")).classes("mm-muted")
        return
    first_theater = next(iter(theaters.values()))
    today = services.clock.now().astimezone(first_theater.tz).date()
    form: dict[str, Any] = {"theater": first_theater.theater_id, "screen": first_theater.screens[0].screen_id,
                            "day": today.isoformat(), "movie": next(iter(movies)), "time": "18:00",
                            "repeat": False, "last": (today + timedelta(days=6)).isoformat(), "times": "",
                            "weekdays": list(range(7)), "prices": {},
                            "on_screen": []}  # what redraws when another screen is chosen (its prices)

    def theater() -> Theater:
        return theaters[form["theater"]]

    heading(t("Schedule")).classes("mm-title text-2xl text-white").mark("page-title")
    with ui.row().classes("w-full items-end gap-3 flex-wrap"):
        ui.select({k: v.name for k, v in theaters.items()}, value=form["theater"], label=t("Theater"),
                  on_change=lambda e: (form.update(theater=e.value, screen=theaters[e.value].screens[0].screen_id,
                                                   prices={}), controls.refresh(), plan.refresh(),
                                       [listener() for listener in form["on_screen"]])
                  ).props("outlined dark dense options-dark").classes("min-w-[14rem]").mark("schedule-theater")
        ui.input(t("Day"), value=form["day"], on_change=lambda e: (form.update(day=e.value), plan.refresh())).props(
            "outlined dark dense type=date").mark("schedule-day")

    @ui.refreshable
    def controls() -> None:
        screens = {screen.screen_id: f"{screen.name} ({screen.format})" for screen in theater().screens}
        with ui.row().classes("w-full items-end gap-3 flex-wrap"):
            ui.select(screens, value=form["screen"], label=t("Screen"),
                      on_change=lambda e: (form.update(screen=e.value, prices={}), plan.refresh(),
                                           [listener() for listener in form["on_screen"]])
                      ).props("outlined dark dense options-dark").classes("min-w-[12rem]").mark("schedule-screen")

    controls()

    @ui.refreshable
    async def plan() -> None:
        try:
            day = date.fromisoformat(form["day"])
            shows = await call(services.staff.schedule.day_plan, user,
                               screen_key(form["theater"], form["screen"]), day)
        except (DomainError, ValueError) as exc:
            ui.label(getattr(exc, "message", t("Please give a valid day."))).classes("text-negative")
            return
        with ui.column().classes("mm-surface w-full p-4 gap-2").mark("schedule-plan"):
            ui.label(t("On this screen that day")).classes("text-white font-bold")
            if not shows:
                ui.label(t("Nothing scheduled.")).classes("mm-muted").mark("schedule-empty")
            for showtime_id, start, end in shows:
                with ui.row().classes("w-full items-center gap-3 flex-wrap").mark("schedule-show"):
                    ui.label(f"{start:%H:%M}–{end:%H:%M}").classes("text-accent font-mono")
                    # At least a phone's width for the id, so the buttons wrap below it instead of squeezing it.
                    ui.label(showtime_id).classes("mm-muted text-sm break-all flex-1 min-w-[14rem]")
                    with ui.row().classes("gap-2 flex-nowrap"):  # the two actions wrap together
                        ui.button(t("Move"), on_click=lambda s=showtime_id, b=start: _move_dialog(
                            services, user, theater(), form["screen"], s, b, plan)
                        ).props("outline no-caps size=sm").mark("schedule-move")
                        ui.button(t("Cancel show"),
                                  on_click=lambda s=showtime_id: _confirm_cancel(services, user, s, plan)
                                  ).props("outline no-caps color=negative size=sm").mark("schedule-cancel")

    await plan()
    _form(services, user, form, theaters, movies, plan)


def _form(services: Services, user: User, form: dict[str, Any], theaters: dict[str, Theater],
          movies: dict[str, Any], plan: Any) -> None:
    def theater() -> Theater:
        return theaters[form["theater"]]

    with ui.column().classes("mm-surface w-full p-4 gap-3").mark("schedule-form"):
        ui.label(t("Schedule a show")).classes("text-white font-bold")
        with ui.element("div").classes("w-full grid gap-3 grid-cols-1 md:grid-cols-3"):
            ui.select({k: f"{m.title} ({m.runtime_min} min)" for k, m in movies.items()}, value=form["movie"],
                      label=t("Movie"), with_input=True, on_change=lambda e: form.update(movie=e.value)).props(
                "outlined dark dense options-dark").mark("schedule-movie")
            ui.input(t("Start (local time)"), value=form["time"], on_change=lambda e: form.update(time=e.value)).props(
                "outlined dark dense type=time").mark("schedule-time")
            ui.checkbox(t("Repeat"), value=False, on_change=lambda e: show_repeat(e.value)).mark("schedule-repeat")

        @ui.refreshable
        def prices() -> None:
            screen = theater().screen(form["screen"])
            with ui.row().classes("w-full gap-3 flex-wrap"):
                for category in screen.layout.categories:
                    ui.number(t("{name} price", name=category.name), value=screen.prices.get(category.code, 0) / 100,
                              min=1, step=10, format="%.2f",
                              on_change=lambda e, c=category.code: form["prices"].update({c: e.value})).props(
                        "outlined dark dense").classes("w-40").mark("schedule-price")

        prices()
        form["on_screen"].append(prices.refresh)
        with ui.column().classes("w-full gap-3") as repeat_box:
            with ui.row().classes("w-full items-end gap-3 flex-wrap"):
                ui.input(t("Until (last day)"), value=form["last"],
                         on_change=lambda e: form.update(last=e.value)).props(
                    "outlined dark dense type=date").mark("schedule-last")
                ui.input(t("More times (e.g. 10:00, 13:30)"), on_change=lambda e: form.update(times=e.value)).props(
                    "outlined dark dense").classes("min-w-[16rem]").mark("schedule-times")
            ui.select({i: t(name) for i, name in enumerate(WEEKDAYS)}, multiple=True, value=form["weekdays"],
                      label=t("Weekdays"), on_change=lambda e: form.update(weekdays=e.value)).props(
                "outlined dark dense options-dark use-chips").mark("schedule-weekdays")
        repeat_box.set_visibility(False)

        def show_repeat(on: bool) -> None:
            form["repeat"] = on
            repeat_box.set_visibility(on)
        result = ui.column().classes("w-full gap-1").mark("schedule-result")

        async def preview() -> None:
            await _run(services, user, form, result, create=False)

        async def create() -> None:
            await _run(services, user, form, result, create=True)
            plan.refresh()

        with ui.row().classes("gap-3"):
            ui.button(t("Preview"), on_click=preview).props("outline no-caps").mark("schedule-preview")
            ui.button(t("Create"), on_click=create).props("unelevated no-caps").mark("schedule-create")


def _request(form: dict[str, Any], tz: Any) -> tuple[ShowRequest, RepeatRule]:
    day = date.fromisoformat(form["day"])
    start = time.fromisoformat(form["time"])
    prices = {code: round(float(value) * 100) for code, value in form["prices"].items() if value}
    request = ShowRequest(form["movie"], screen_key(form["theater"], form["screen"]),
                          datetime.combine(day, start, tzinfo=tz), prices)
    times = [start] + [time.fromisoformat(part.strip()) for part in form["times"].split(",") if part.strip()]
    last = date.fromisoformat(form["last"]) if form["repeat"] else day
    return request, RepeatRule(day, last, tuple(times) if form["repeat"] else (start,),
                               frozenset(form["weekdays"]) if form["repeat"] else frozenset(range(7)))


async def _run(services: Services, user: User, form: dict[str, Any], result: ui.column, *, create: bool) -> None:
    result.clear()
    theater = services.catalog.theater(form["theater"])
    try:
        request, rule = _request(form, theater.tz)
        if create:
            made, refused = await call(services.staff.schedule.schedule_repeat, user, request, rule)
            rows = [PlannedShow(s.local_start(), s.ends_at.astimezone(theater.tz), ()) for s in made] + refused
        else:
            rows = await call(services.staff.schedule.preview, user, request, rule)
    except ValueError:
        with result:
            ui.label(t("Please give valid dates and times (HH:MM).")).classes("text-negative").mark("schedule-error")
        return
    except DomainError as exc:
        with result:
            ui.label(exc.message).classes("text-negative").mark("schedule-error")
        return
    with result:
        fits = sum(1 for row in rows if not row.conflicts)
        summary = (t("{n} created, {m} refused (overlap).", n=fits, m=len(rows) - fits) if create
                   else t("{n} shows would fit, {m} overlap.", n=fits, m=len(rows) - fits))
        ui.label(summary).classes("text-white font-bold").mark("schedule-summary")
        for row in sorted(rows, key=lambda r: r.starts_at):
            text = f"{row.starts_at:%a %d %b %H:%M}–{row.ends_at:%H:%M}"
            if row.conflicts:
                text += " · " + t("overlaps {ids}", ids=", ".join(row.conflicts))
            ui.label(text).classes("text-sm " + ("text-negative" if row.conflicts else "text-positive")).mark(
                "schedule-row")


def _confirm_cancel(services: Services, user: User, showtime_id: str, plan: Any) -> None:
    with ui.dialog(value=True) as dialog, ui.card().classes("bg-grey-10 text-white gap-3"):
        ui.label(t("Cancel this show?")).classes("text-lg font-bold")
        ui.label(t("Every booking is refunded in full and its customer emailed. This cannot be undone."))

        async def confirm() -> None:
            try:
                cancelled = await call(services.staff.cancellation.cancel, user, showtime_id)
            except DomainError as exc:
                ui.notify(exc.message, type="negative")
            else:
                ui.notify(tn("Show cancelled; {n} booking refunded.", "Show cancelled; {n} bookings refunded.",
                                     cancelled.bookings_refunded), type="positive")
            dialog.close()
            plan.refresh()

        with ui.row().classes("gap-3"):
            ui.button(t("Keep it"), on_click=dialog.close).props("flat no-caps")
            ui.button(t("Cancel show"), on_click=confirm).props("unelevated no-caps color=negative").mark(
                "schedule-cancel-confirm")


def _move_dialog(services: Services, user: User, theater: Theater, screen_id: str, showtime_id: str,
                 start: datetime, plan: Any) -> None:
    """New day, time and screen for a show; the service checks overlaps and the new screen's seats."""
    screens = {screen.screen_id: f"{screen.name} ({screen.format})" for screen in theater.screens}
    choice: dict[str, Any] = {"day": start.date().isoformat(), "time": f"{start:%H:%M}", "screen": screen_id}
    # In the page's content, not in the plan's row: the plan redraws (another day) under an open dialog.
    with ui.context.client.content, ui.dialog(value=True) as dialog, \
            ui.card().classes("bg-grey-10 text-white gap-3 w-full max-w-md"):
        ui.label(t("Move this show")).classes("text-lg font-bold")
        ui.label(t("Every customer is emailed the old and new time and may cancel for a full refund.")).classes(
            "mm-muted text-sm")
        with ui.row().classes("w-full gap-3 flex-wrap"):
            ui.input(t("Day"), value=choice["day"], on_change=lambda e: choice.update(day=e.value)).props(
                "outlined dark dense type=date").mark("move-day")
            ui.input(t("Start (local time)"), value=choice["time"],
                     on_change=lambda e: choice.update(time=e.value)).props(
                "outlined dark dense type=time").mark("move-time")
        ui.select(screens, value=choice["screen"], label=t("Screen"),
                  on_change=lambda e: choice.update(screen=e.value)).props(
            "outlined dark dense options-dark").classes("w-full").mark("move-screen")
        error = ui.label().classes("text-negative text-sm").props('role="alert"').mark("move-error")

        async def confirm() -> None:
            try:
                starts_at = datetime.combine(date.fromisoformat(choice["day"]), time.fromisoformat(choice["time"]),
                                             tzinfo=theater.tz)
            except (TypeError, ValueError):
                error.set_text(t("Please give valid dates and times (HH:MM)."))
                return
            try:
                moved = await call(services.staff.moves.move, user, showtime_id, starts_at, choice["screen"])
            except DomainError as exc:
                error.set_text(exc.message)
                return
            ui.notify(tn("Show moved; {n} booking told.", "Show moved; {n} bookings told.", moved.notified)
                      if not moved.pending else t("Show moved; the customers are being told."), type="positive")
            dialog.close()
            plan.refresh()

        with ui.row().classes("gap-3"):
            ui.button(t("Keep it"), on_click=dialog.close).props("flat no-caps")
            ui.button(t("Move show"), on_click=confirm).props("unelevated no-caps").mark("move-confirm")
