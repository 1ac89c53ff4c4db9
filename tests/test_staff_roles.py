"""Roles, theater scopes and the audit log (services, over moto)."""

from __future__ import annotations

import pytest

from services.container import Services
from services.errors import Forbidden, InvalidCredentials, InvalidRequest, Unauthorized
from tests.staff_helpers import PASSWORD, admin, customer, staff


def test_an_admin_creates_staff_with_theaters_and_the_change_is_audited(small: Services) -> None:
    boss = admin(small)
    account = staff(small, "ursula", "usher", ["tiny-theater"])
    assert account.user.role == "usher" and account.user.theaters == ("tiny-theater",)
    assert small.users.authenticate("ursula@example.com", account.password).user_id == account.user.user_id
    entry = small.staff.audit.recent(["global"])[0]
    assert (entry.action, entry.target, entry.actor_email) == ("staff.created", "ursula@example.com", boss.email)
    assert entry.before is None and entry.after == {"role": "usher", "theaters": ["tiny-theater"], "disabled": False}
    assert [member.email for member in small.staff.team.members(boss)] == ["ursula@example.com"]


def test_only_admins_manage_staff_and_bad_input_changes_nothing(small: Services) -> None:
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    with pytest.raises(Forbidden):
        small.staff.team.create(manager, "X", "x@example.com", "usher", ["tiny-theater"], ["tiny-theater"])
    with pytest.raises(Forbidden):
        small.staff.team.members(customer(small, "carl"))
    with pytest.raises(InvalidRequest):
        small.staff.team.create(admin(small), "Y", "y@example.com", "usher", ["nowhere"], ["tiny-theater"])
    with pytest.raises(InvalidRequest):
        small.staff.team.create(admin(small), "Z", "z@example.com", "customer", [], ["tiny-theater"])
    assert [member.email for member in small.staff.team.members(admin(small))] == ["maya@example.com"]


def test_the_access_check_follows_role_and_theater(small: Services) -> None:
    access = small.staff.access
    usher = staff(small, "ursula", "usher", ["tiny-theater"]).user
    manager = staff(small, "maya", "manager", ["tiny-theater"]).user
    with pytest.raises(Unauthorized):
        access.require(None, "checkin")
    with pytest.raises(Forbidden):
        access.require(customer(small, "carl"), "checkin")
    assert access.require(usher, "checkin", "tiny-theater").role == "usher"
    with pytest.raises(Forbidden):
        access.require(usher, "manage", "tiny-theater")  # ushers only check in
    with pytest.raises(Forbidden):
        access.require(usher, "checkin", "other-theater")
    assert access.require(manager, "manage", "tiny-theater").email == "maya@example.com"
    with pytest.raises(Forbidden):
        access.require(manager, "manage", "other-theater")
    with pytest.raises(Forbidden):
        access.require(manager, "admin")
    assert access.require(admin(small), "manage", "other-theater").is_admin


def test_disabling_and_reassigning_apply_at_once_and_are_audited(small: Services) -> None:
    boss = admin(small)
    account = staff(small, "ursula", "usher", ["tiny-theater"])
    usher = account.user  # what an open session or an API token still carries
    small.staff.team.assign_theaters(boss, usher.email, ["other-theater"], ["tiny-theater", "other-theater"])
    with pytest.raises(Forbidden):
        small.staff.access.require(usher, "checkin", "tiny-theater")
    assert small.staff.access.require(usher, "checkin", "other-theater")
    small.staff.team.set_disabled(boss, usher.email, True)
    with pytest.raises(Forbidden):
        small.staff.access.require(usher, "checkin", "other-theater")
    with pytest.raises(InvalidCredentials):
        small.users.authenticate(usher.email, account.password)
    actions = [entry.action for entry in small.staff.audit.recent(["global"])]
    assert actions == ["staff.disabled", "staff.theaters", "staff.created"]
    with pytest.raises(InvalidRequest):
        small.staff.team.set_disabled(boss, boss.email, True)


def test_demo_staff_one_manager_and_one_usher_per_theater_once(small: Services) -> None:
    created = small.staff.team.ensure_demo_staff({"tiny-theater": "Tiny Cinema"})
    assert sorted(account.user.role for account in created) == ["manager", "usher"]
    assert all(account.user.theaters == ("tiny-theater",) for account in created)
    assert sorted(account.user.name for account in created) == ["Manager, Tiny Cinema", "Usher, Tiny Cinema"]
    assert small.staff.team.ensure_demo_staff({"tiny-theater": "Tiny Cinema"}) == []  # a restart creates nothing
    assert PASSWORD not in {account.password for account in created}
