"""Analytics for managers: revenue and refunds per day, occupancy per day, show, movie and screen, how
early tickets are bought, the category mix and the no-show rate; filters by theater and dates; CSV.
Every figure comes from ``services.staff.reports`` (aggregates, never a walk over bookings)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from nicegui import app, ui

from components.heading import heading
from components.page import page
from components.service_call import call
from components.session import current_user
from components.staff_frame import staff_frame
from services.container import Services
from services.errors import DomainError
from services.formatting import format_money
from services.i18n import t
from services.staff.access import StaffMember
from services.staff.reports import TheaterReport, to_csv

_AXIS = {"axisLabel": {"color": "#a09cb5"}, "axisLine": {"lineStyle": {"color": "#3a3850"}},
         "splitLine": {"lineStyle": {"color": "#24233a"}}}
_LEAD_LABELS = {"0_1h": "<1 h", "1_3h": "1–3 h", "3_6h": "3–6 h", "6_24h": "6–24 h", "1_3d": "1–3 d", "3d_plus": "3 d+"}


def register(services: Services) -> None:
    @page("/staff/reports")
    async def reports_page() -> None:
        async with staff_frame(services, "/staff/reports", "manage") as member:
            if member is None:
                return
            await _reports(services, member)


async def _reports(services: Services, member: StaffMember) -> None:
    user = current_user()
    theaters = await call(services.catalog.theaters)
    scope = member.theater_scope([theater.theater_id for theater in theaters])
    mine = {theater.theater_id: theater.name for theater in theaters if theater.theater_id in scope}
    today = services.clock.now().date()
    chosen = app.storage.user.get("report_theater")
    filters: dict[str, Any] = {"theater": chosen if chosen in mine else next(iter(mine)),
                               "from": (today - timedelta(days=6)).isoformat(),
                               "to": (today + timedelta(days=7)).isoformat()}

    def choose(theater_id: str) -> None:
        filters["theater"] = theater_id
        app.storage.user["report_theater"] = theater_id

    heading(t("Reports")).classes("mm-title text-2xl text-white").mark("page-title")
    with ui.row().classes("w-full items-end gap-3 flex-wrap"):
        ui.select(mine, value=filters["theater"], label=t("Theater"),
                  on_change=lambda e: choose(e.value)).props("outlined dark dense options-dark").classes(
            "min-w-[14rem]").mark("report-theater")
        ui.input(t("From"), value=filters["from"], on_change=lambda e: filters.update({"from": e.value})).props(
            'outlined dark dense type=date').mark("report-from")
        ui.input(t("To"), value=filters["to"], on_change=lambda e: filters.update(to=e.value)).props(
            'outlined dark dense type=date').mark("report-to")
        show = ui.button(t("Show")).props("unelevated no-caps").mark("report-show")
        export = ui.button(t("Export CSV"), icon="download").props("outline no-caps").mark("report-csv")

    state: dict[str, TheaterReport | None] = {"report": None}

    def download() -> None:
        report = state["report"]
        if report is not None:
            name = f"{report.theater.theater_id}-{report.first}-{report.last}.csv"
            ui.download.content(to_csv(report).encode(), name, "text/csv")

    export.on_click(download)
    show.on_click(lambda: body.refresh())  # noqa: PLW0108 - body is defined below

    @ui.refreshable
    async def body() -> None:
        try:
            report = await call(services.staff.reports.report, user, filters["theater"],
                                date.fromisoformat(filters["from"]), date.fromisoformat(filters["to"]))
        except (DomainError, ValueError) as exc:
            ui.label(getattr(exc, "message", t("Please give valid dates."))).classes("text-negative").mark(
                "report-error")
            return
        state["report"] = report
        _figures(services, report)

    await body()


def _figures(services: Services, report: TheaterReport) -> None:
    currency = services.settings.currency
    totals = report.totals()
    occupancy = totals["net"] / totals["seats_offered"] if totals["seats_offered"] else 0.0
    with ui.element("div").classes("w-full grid gap-3 grid-cols-2 md:grid-cols-3 xl:grid-cols-6").mark("report-kpis"):
        _kpi(t("Tickets sold"), str(totals["tickets_sold"]))
        _kpi(t("Refunded"), str(totals["tickets_refunded"]))
        _kpi(t("Gross"), format_money(totals["gross"], currency))
        _kpi(t("Refunds"), format_money(totals["refunds"], currency))
        _kpi(t("Occupancy"), f"{occupancy:.1%}")
        _kpi(t("No-show rate"), f"{report.no_show_rate(services.clock.now()):.1%}")
    days = [day.date.strftime("%d %b") for day in report.days]
    with ui.element("div").classes("w-full grid gap-4 grid-cols-1 xl:grid-cols-2"):
        _chart(t("Revenue and refunds per day"), {
            "legend": {"textStyle": {"color": "#e8e6f0"}}, "tooltip": {"trigger": "axis"},
            "xAxis": {"type": "category", "data": days, **_AXIS}, "yAxis": {"type": "value", **_AXIS},
            "series": [{"name": t("Gross"), "type": "bar", "data": [d.gross / 100 for d in report.days],
                        "itemStyle": {"color": "#22c55e"}},
                       {"name": t("Refunds"), "type": "bar", "data": [d.refunds / 100 for d in report.days],
                        "itemStyle": {"color": "#f43f5e"}}]}, "chart-revenue")
        _chart(t("Occupancy per day"), {
            "tooltip": {"trigger": "axis"}, "xAxis": {"type": "category", "data": days, **_AXIS},
            "yAxis": {"type": "value", "max": 100, **_AXIS},
            "series": [{"name": t("Occupancy %"), "type": "line", "smooth": True, "areaStyle": {"opacity": .15},
                        "data": [round(d.occupancy * 100, 1) for d in report.days],
                        "itemStyle": {"color": "#fbbf24"}}]},
            "chart-occupancy-day")
        _bars(t("Occupancy per movie"), report.occupancy_by("movie_title"), "chart-occupancy-movie")
        _bars(t("Occupancy per screen"), report.occupancy_by("screen_id"), "chart-occupancy-screen")
        busiest = sorted(report.shows, key=lambda s: -s.occupancy)[:12]
        _bars(t("Fullest shows"), [(f"{s.starts_at:%d %b %H:%M} {s.movie_title[:18]}", s.occupancy) for s in busiest],
              "chart-occupancy-show")
        lead = report.lead_totals()
        _chart(t("Tickets by hours before the show"), {
            "tooltip": {"trigger": "axis"},
            "xAxis": {"type": "category", "data": [_LEAD_LABELS[k] for k in lead], **_AXIS},
            "yAxis": {"type": "value", **_AXIS},
            "series": [{"type": "bar", "data": list(lead.values()), "itemStyle": {"color": "#7c3aed"}}]}, "chart-lead")
        mix = report.category_totals()
        _chart(t("Category mix"), {
            "tooltip": {"trigger": "item"}, "legend": {"textStyle": {"color": "#e8e6f0"}, "bottom": 0},
            "series": [{"type": "pie", "radius": ["40%", "70%"], "label": {"color": "#e8e6f0"},
                        "data": [{"name": name, "value": value} for name, value in sorted(mix.items())]}]},
            "chart-mix")


def _kpi(label: str, value: str) -> None:
    with ui.column().classes("mm-surface px-4 py-3 gap-0"):
        ui.label(label).classes("mm-muted text-xs uppercase tracking-wide")
        ui.label(value).classes("text-xl text-white font-bold")


def _chart(title: str, options: dict[str, Any], marker: str) -> None:
    with ui.column().classes("mm-surface p-3 gap-1 w-full min-w-0"):
        ui.label(title).classes("text-white font-bold")
        ui.echart({"backgroundColor": "transparent", "grid": {"left": 48, "right": 16, "top": 36, "bottom": 48},
                   "animation": False, **options}).classes("w-full h-64").mark(marker)


def _bars(title: str, rows: list[tuple[str, float]], marker: str) -> None:
    rows = rows[:12]
    _chart(title, {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 24, "top": 16, "bottom": 24, "containLabel": True},
        "xAxis": {"type": "value", "max": 100, **_AXIS},
        "yAxis": {"type": "category", "inverse": True, "data": [name for name, _ in rows], **_AXIS,
                  "axisLabel": {"color": "#a09cb5", "width": 110, "overflow": "truncate"}},
        "series": [{"type": "bar", "data": [round(value * 100, 1) for _, value in rows],
                    "itemStyle": {"color": "#e11d48"}}]}, marker)
