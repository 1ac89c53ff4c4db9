"""The layout frame every page shares: header with city, search and account menu; dark cinema theme."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlencode

from nicegui import ui

from components.display import display_menu
from components.landmarks import main_landmark, skip_link
from components.language import language_switch
from components.service_call import call
from components.session import choose_city, current_city, current_user
from components.theme import apply_theme
from services.catalog.catalog import CatalogService
from services.i18n import t
from services.notify.mailbox import MailboxService


@asynccontextmanager
async def frame(
    catalog: CatalogService, mailbox: MailboxService | None, *, wide: bool = False
) -> AsyncIterator[ui.column]:
    """Header + a centred content column; yields the column. With a mailbox the account menu links it."""
    apply_theme()  # also <html lang>
    cities = await call(catalog.cities)
    city = current_city(cities)
    _header(cities, city, has_mailbox=mailbox is not None)
    width = "max-w-7xl" if wide else "max-w-6xl"
    with ui.column().classes(f"w-full {width} mx-auto px-3 sm:px-6 py-4 sm:py-6 gap-5") as content:
        main_landmark(content)
        yield content
    with ui.row().classes("w-full justify-center py-8 mm-muted text-xs"):
        ui.label(t("Movie Magic · an open movie-ticket booking system"))


def _header(cities: list[str], city: str, *, has_mailbox: bool) -> None:
    user = current_user()
    with (
        ui.header()
        .classes("items-center gap-1 sm:gap-4 px-2 sm:px-6 py-2 flex-wrap")
        .style(
            "background: rgba(11,11,18,.85); backdrop-filter: blur(10px);"
            "border-bottom: 1px solid rgba(255,255,255,.06)"
        )
    ):
        skip_link()
        with (
            ui.link(target="/")
            .classes("mm-link mm-tap flex items-center gap-2 no-underline")
            .props(f'aria-label="{t("Movie Magic home")}"')
        ):
            ui.icon("movie_filter", size="28px").classes("text-primary")
            ui.label("Movie Magic").classes("mm-title text-lg sm:text-xl text-white max-[400px]:hidden")
        city_select = (
            ui.select(cities, value=city, on_change=lambda e: _switch_city(e.value))
            .props(f'dense borderless dark options-dark popup-content-class="bg-grey-10" aria-label="{t("City")}"')
            .classes("min-w-[7rem]")
            .mark("city-select")
        )
        with city_select.add_slot("prepend"):
            ui.icon("place", size="18px").classes("text-accent")
        ui.space()
        _search_box().classes("max-sm:hidden w-64 lg:w-80")  # Quasar owns .hidden (!important)
        language_switch()
        display_menu()
        if user is None:
            # Dense with a little padding of their own: beside the city and the language they fit one line at 360 px
            # (with the 44 px targets a phone needs: components/theme.py).
            ui.button(t("Log in"), on_click=lambda: ui.navigate.to("/login")).props("flat no-caps dense").classes(
                "text-white px-2"
            )
            ui.button(t("Sign up"), on_click=lambda: ui.navigate.to("/register")).props(
                "unelevated no-caps rounded dense").classes("px-2 sm:px-3")
        else:
            # The Mailbox (what SNS would email) exists on the embedded backend, for every user.
            _account_menu(user.name, show_mailbox=has_mailbox)
        _search_box().classes("sm:hidden w-full")


def _search_box() -> ui.input:
    # The query stays in the box on the results page (home with ?q=...), so it can be corrected.
    request = ui.context.client.request
    typed = request.query_params.get("q", "") if request is not None and request.url.path == "/" else ""
    search = ui.input(placeholder=t("Search movies and events"), value=typed[:200]).props(
        f'dense outlined dark rounded clearable aria-label="{t("Search movies and events")}"'
    )
    with search.add_slot("prepend"):
        ui.icon("search", size="18px")
    search.on("keydown.enter", lambda: ui.navigate.to("/?" + urlencode({"q": search.value or ""})))
    return search


def _switch_city(city: str) -> None:
    choose_city(city)
    ui.navigate.to("/")


def _account_menu(name: str, *, show_mailbox: bool) -> None:
    initials = "".join(part[0] for part in name.split()[:2]).upper() or "?"
    with ui.button().props(f'flat round aria-label="{t("Account menu")}"').mark("account-menu"):
        with ui.avatar(color="primary", text_color="white", size="34px"):  # its first argument is an icon name
            ui.label(initials).classes("text-sm font-bold")
        with ui.menu().props("dark").classes("bg-grey-10 min-w-[12rem]"):
            ui.label(name).classes("px-4 pt-3 pb-1 font-bold")
            ui.separator()
            ui.menu_item(t("Profile"), on_click=lambda: ui.navigate.to("/profile"))
            ui.menu_item(t("My bookings"), on_click=lambda: ui.navigate.to("/bookings"))
            if show_mailbox:
                ui.menu_item(t("Mailbox"), on_click=lambda: ui.navigate.to("/mailbox"))
            ui.separator()
            ui.menu_item(t("Log out"), on_click=lambda: ui.navigate.to("/logout"))
