"""One module per screen; each exposes ``register(services)``."""

from __future__ import annotations

from services.container import Services


def register(services: Services) -> None:
    from nicegui import app

    from components import display, language
    from components.error_page import show_error_page
    from pages import auth, bookings, checkout, confirmation, home, mailbox, movie, profile, showtime, staff, ticket
    from pages import password as password_pages

    # Pages speak the browser's language; the header's switch saves it on the account.
    language.configure(services.users, pseudo_locale=services.settings.pseudo_locale)
    display.configure(services.users)  # high contrast / larger text: the switches save them on the account
    for module in (home, auth, password_pages, movie, profile, showtime, checkout, confirmation, bookings, ticket,
                   mailbox):
        module.register(services)
    staff.register(services)  # the staff console: pages/staff/
    from pages import event  # live events beside movies (issue 17)

    event.register(services)
    app.on_page_exception(show_error_page)  # e.g. AWS throttled while a page was being built
    from pages import calendar_file  # issue 15: "Add to calendar"

    calendar_file.register(services)
    # Issue 13: the lobby kiosk and its staff page.
    from pages import kiosk
    from pages.staff import kiosks as staff_kiosks

    kiosk.register(services)
    staff_kiosks.register(services)
