"""The Theaters page (/staff/theaters) through NiceGUI's simulated user: an admin adds a theater, a screen
and edits the theater (a refusal shows the service's message); a manager sees only their theaters, without
the admin's forms; the layout editor opens on the screen the page links to."""

from __future__ import annotations

import pytest
from nicegui.testing import User as SimulatedUser

from services.container import Services
from tests.test_staff_pages import HOME, OTHER, admin_opens, log_in, make_staff

pytestmark = pytest.mark.usefixtures("mailbox_env")


async def test_an_admin_adds_a_theater_and_a_screen(user: SimulatedUser, app_services: Services) -> None:
    await admin_opens(user, app_services, "/staff/theaters", "theater-create")
    await user.should_see("Theaters")  # the menu entry
    user.find(marker="theater-id").type("harbour-lights")
    user.find(marker="theater-name").type("Harbour Lights")
    user.find(marker="theater-city").type("Kochi")
    user.find(marker="theater-address").type("2 Marine Drive")
    user.find(marker="theater-timezone").type("Asia/Kochi")
    user.find(marker="theater-submit").click()
    await user.should_see("The timezone is an IANA name such as Asia/Kolkata or Europe/London.", retries=100)
    assert "harbour-lights" not in {t.theater_id for t in app_services.catalog.theaters()}

    user.find(marker="theater-timezone").clear().type("Asia/Kolkata")
    user.find(marker="theater-submit").click()
    await user.should_see(marker="theater-harbour-lights", retries=100)
    await user.should_see("No screens yet.")

    user.find(marker="add-screen-harbour-lights").click()
    await user.should_see(marker="screen-creator", retries=50)
    user.find(marker="screen-id").type("hall-1")
    user.find(marker="screen-name").type("Hall 1")
    user.find(marker="screen-rows").clear().type("5")
    user.find(marker="screen-seats").clear().type("8")
    user.find(marker="screen-save").click()
    await user.should_see("40 seats · layout v1", retries=100)
    app_services.catalog.invalidate()
    screen = app_services.catalog.theater("harbour-lights").screen("hall-1")
    assert (screen.name, screen.layout.capacity, screen.prices) == ("Hall 1", 40, {"classic": 20000, "prime": 30000})

    user.find(marker="edit-theater-harbour-lights").click()
    await user.should_see(marker="theater-editor", retries=50)
    user.find(marker="edit-theater-name").clear().type("Harbour Lights IMAX")
    user.find(marker="edit-theater-save").click()
    await user.should_see("Saved.", retries=100)
    actions = [entry.action for entry in app_services.staff.audit.recent(["harbour-lights"])]
    assert actions == ["theater.updated", "screen.created", "theater.created"]

    await user.open("/staff/screens?theater=harbour-lights&screen=hall-1")  # the page's "Edit hall" link
    await user.should_see(marker="layout-preview", retries=100)
    await user.should_see("40 seats for sale", retries=50)


async def test_a_manager_sees_only_their_theaters_and_no_forms(user: SimulatedUser, app_services: Services) -> None:
    manager = make_staff(app_services, "maya", "manager", [HOME])
    home, other = app_services.catalog.theater(HOME), app_services.catalog.theater(OTHER)
    await log_in(user, manager.user.email, manager.password)
    await user.open("/staff/theaters")
    await user.should_see(marker=f"theater-{HOME}", retries=50)
    await user.should_see(home.name)
    await user.should_not_see(other.name)
    await user.should_not_see(marker="theater-create")
    await user.should_not_see(marker=f"edit-theater-{HOME}")
