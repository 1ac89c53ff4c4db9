"""The audit log: every staff change in the member's theaters (admins: all, and staff accounts), newest first."""

from __future__ import annotations

import json

from nicegui import ui

from components.heading import heading
from components.page import page
from components.service_call import call
from components.staff_frame import staff_frame
from services.clock import parse_iso
from services.container import Services
from services.i18n import t
from services.staff.access import StaffMember
from services.staff.audit import GLOBAL, AuditEntry


def register(services: Services) -> None:
    @page("/staff/audit")
    async def audit_page() -> None:
        async with staff_frame(services, "/staff/audit", "manage") as member:
            if member is None:
                return
            await _audit(services, member)


async def _audit(services: Services, member: StaffMember) -> None:
    theaters = await call(services.catalog.theaters)
    names = {theater.theater_id: theater.name for theater in theaters} | {GLOBAL: t("Accounts and catalog")}
    scopes = member.theater_scope(list(names)[:-1]) + ([GLOBAL] if member.is_admin else [])
    entries = await call(services.staff.audit.recent, scopes, 200)
    heading(t("Audit log")).classes("mm-title text-2xl text-white").mark("page-title")
    ui.label(t("Who changed what, when, with the values before and after.")).classes("mm-muted -mt-3")
    if not entries:
        ui.label(t("Nothing has been changed yet.")).classes("mm-muted").mark("audit-empty")
        return
    with ui.column().classes("w-full gap-2"):
        for entry in entries:
            _entry(entry, names.get(entry.scope, entry.scope))


def _entry(entry: AuditEntry, scope_name: str) -> None:
    with ui.column().classes("mm-surface w-full px-4 py-3 gap-1").mark("audit-entry"):
        with ui.row().classes("w-full items-baseline gap-x-3 gap-y-0 flex-wrap"):
            ui.label(entry.action).classes("text-white font-bold")
            ui.label(entry.target).classes("text-accent break-all")
            ui.space()
            ui.label(f"{parse_iso(entry.at):%d %b %Y %H:%M} UTC").classes("mm-muted text-sm")
        ui.label(t("{who} · {scope}", who=f"{entry.actor_name} <{entry.actor_email}>", scope=scope_name)).classes(
            "mm-muted text-sm break-all")
        if entry.before is not None or entry.after is not None:
            ui.label(f"{_compact(entry.before)} → {_compact(entry.after)}").classes(
                "text-sm font-mono break-all").mark("audit-change")
        if entry.reason:
            ui.label(t("Reason: {reason}", reason=entry.reason)).classes("text-sm")


def _compact(values: dict[str, object] | None) -> str:
    return "—" if values is None else json.dumps(values, ensure_ascii=False, sort_keys=True)
