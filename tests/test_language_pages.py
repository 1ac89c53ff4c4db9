"""Choosing the language: ``?lang=xx`` on any page, the header's switch, kept per browser and on the account."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from components.event_card import kind_label
from main import build_services
from services.i18n import speaking
from services.platform.aws import connect
from services.settings import Settings

pytestmark = pytest.mark.usefixtures("app_env")
PASSWORD = "correct horse"


async def test_lang_in_the_address_switches_the_page_and_the_browser_keeps_it(user: User) -> None:
    await user.open("/?lang=hi")
    await user.should_see("Mumbai में अभी चल रही फ़िल्में", retries=50)
    await user.should_see("लॉग इन")
    await user.open("/login")  # no parameter: the browser's choice stays
    await user.should_see("फिर से स्वागत है", retries=50)
    await user.open("/login?lang=zz")  # not a language we ship: ignored
    await user.should_see("फिर से स्वागत है", retries=50)
    await user.open("/?lang=en")
    await user.should_see("Now showing in Mumbai", retries=50)


async def test_counts_use_the_plural_of_the_language(user: User) -> None:
    await user.open("/?lang=te")
    await user.should_see("Mumbaiలో ఇప్పుడు ఆడుతున్నవి", retries=50)
    await user.should_see("సినిమాలు")  # "{n} movies" in Telugu


async def test_the_header_switch_saves_the_language_on_the_account(user: User, app_env: Settings) -> None:
    backstage = build_services(app_env, connect(app_env))
    backstage.users.register("Lakshmi", "lakshmi@example.com", PASSWORD, PASSWORD)
    await user.open("/login")
    user.find(marker="login-email").type("lakshmi@example.com")
    user.find(marker="login-password").type(PASSWORD)
    user.find(marker="login-submit").click()
    await user.should_see(marker="account-menu", retries=200)
    user.find(marker="language-switch").click()
    user.find(marker="language-ta").click()
    await user.should_see("Mumbai இல் இப்போது ஓடுபவை", retries=50)
    assert backstage.users.get("lakshmi@example.com").language == "ta"

    # Another browser: English until the customer logs in, then the account's language.
    await user.open("/logout")
    await user.open("/?lang=en")
    await user.should_see("Now showing in Mumbai", retries=50)
    await user.open("/login")
    user.find(marker="login-email").type("lakshmi@example.com")
    user.find(marker="login-password").type(PASSWORD)
    user.find(marker="login-submit").click()
    await user.should_see("Mumbai இல் இப்போது ஓடுபவை", retries=200)


async def test_an_error_from_a_service_speaks_the_page_language(user: User) -> None:
    await user.open("/movie/no-such-movie?lang=hi")
    await user.should_see("हमें वह फ़िल्म नहीं मिली।", retries=50)


def test_event_kinds_are_in_the_catalogs() -> None:
    """An event's kind ("Theatre", "Comedy") is a label from a table: marked for extraction, shown translated."""
    with speaking("te"):
        assert (kind_label("theatre"), kind_label("comedy")) == ("నాటకం", "కామెడీ")
    with speaking("hi"):
        assert kind_label("concert") == "कॉन्सर्ट"
