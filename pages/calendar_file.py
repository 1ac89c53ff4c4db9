""""Add to calendar": ``/booking/{booking_id}/calendar.ics`` downloads the booking's iCalendar file (its
owner or an admin, while it stands: the ticket rule), for the buttons on the confirmation and ticket pages."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Response
from fastapi.responses import HTMLResponse, RedirectResponse
from nicegui import app, ui

from components.service_call import call
from components.session import current_user
from services.container import Services
from services.errors import NotFound
from services.i18n import t


def calendar_url(booking_id: str) -> str:
    return f"/booking/{booking_id}/calendar.ics"


def calendar_button(booking_id: str) -> None:
    ui.button(t("Add to calendar"), icon="event", on_click=lambda: ui.download.from_url(calendar_url(booking_id))) \
        .props("outline no-caps size=lg").classes("text-white").mark("add-to-calendar")


def register(services: Services) -> None:
    @app.get("/booking/{booking_id}/calendar.ics", include_in_schema=False)
    async def calendar_file(booking_id: str) -> Response:
        user = current_user()
        if user is None:
            return RedirectResponse(f"/login?next={quote(calendar_url(booking_id), safe='')}", status_code=303)
        try:
            file = await call(services.engage.calendar.booking_ics, booking_id, user)
        except NotFound as exc:
            return HTMLResponse(exc.message, status_code=404)
        return Response(file.text, media_type="text/calendar; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{file.filename}"',
            "Cache-Control": "private, no-store",
        })
