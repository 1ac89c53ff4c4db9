"""The translation catalogs: every string the code has is translated in every shipped language, with the same
placeholders, and the .po/.mo files agree with the code (re-extracted here, as tools/i18n.py does)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Message

from services import i18n
from services.i18n import current_language, language_name, languages, t, tn
from tests.tools import load_tool

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return load_tool("i18n")


@pytest.fixture
def speak() -> Iterator[None]:
    token = current_language.set("")
    yield
    current_language.reset(token)


def test_every_string_in_the_code_is_translated_in_every_shipped_language(tool: ModuleType) -> None:
    template = tool.extract()
    assert len(template) > 500  # the extractor found the app's strings (t, tn and N_ calls)
    assert tool.problems(template) == []


def test_the_checker_reports_a_missing_translation_a_changed_placeholder_and_a_fuzzy_one(tool: ModuleType) -> None:
    assert list(tool._message_problems(Message("Pay {total}", ""))) == ["not translated: 'Pay {total}'"]
    [changed] = tool._message_problems(Message("Pay {total}", "{amount} का भुगतान करें"))
    assert "placeholders differ" in changed
    plural = Message(("{n} movie", "{n} movies"), ("{n} फ़िल्म", "फ़िल्में"))
    assert any("placeholders differ" in problem for problem in tool._message_problems(plural))
    fuzzy = Message("Pay {total}", "{total} का भुगतान करें", flags=["fuzzy"])
    assert any("fuzzy" in problem for problem in tool._message_problems(fuzzy))


def test_the_shipped_languages_are_offered_by_their_own_names() -> None:
    assert languages() == ["en", "hi", "te", "ta"]
    assert [language_name(code) for code in languages()] == ["English", "हिन्दी", "తెలుగు", "தமிழ்"]


@pytest.mark.parametrize(("code", "one", "many"), [
    ("en", "1 movie", "5 movies"), ("hi", "1 फ़िल्म", "5 फ़िल्में"), ("te", "1 సినిమా", "5 సినిమాలు"),
    ("ta", "1 படம்", "5 படங்கள்")])
def test_counts_take_the_plural_form_of_the_language(speak: None, code: str, one: str, many: str) -> None:
    current_language.set(code)
    assert (tn("{n} movie", "{n} movies", 1), tn("{n} movie", "{n} movies", 5)) == (one, many)


def test_text_is_translated_with_its_placeholders_filled_and_unknown_text_stays_english(speak: None) -> None:
    current_language.set("te")
    assert t("Pay {total}", total="₹500") == "₹500 చెల్లించండి"
    assert t("A sentence nobody translated.") == "A sentence nobody translated."


def test_an_unknown_language_falls_back_to_english_and_the_pseudo_locale_only_when_enabled(speak: None) -> None:
    current_language.set("fr")
    assert t("Pay {total}", total="₹5") == "Pay ₹5"
    current_language.set("xx")
    assert t("Pay {total}", total="₹5") == "Pay ₹5"
    i18n.enable_pseudo_locale()
    try:
        pseudo = t("Pay {total}", total="₹5")
        assert pseudo.startswith("[Pàý ₹5 ")
        assert "₹5" in pseudo and len(pseudo) > len("Pay ₹5") + 3
    finally:
        i18n.enable_pseudo_locale(False)


def test_the_browser_choice_applies_where_no_task_set_a_language(speak: None) -> None:
    i18n.set_resolver(lambda: "hi")
    try:
        assert t("Log in") == "लॉग इन"
        current_language.set("ta")  # a task's own language wins
        assert t("Log in") == "உள்நுழை"
    finally:
        i18n.set_resolver(None)


@pytest.mark.parametrize(("header", "code"), [
    ("hi-IN,hi;q=0.9,en;q=0.8", "hi"), ("fr-FR, te;q=0.5, ta;q=0.7", "ta"), ("en-GB", "en"),
    ("fr, de", None), ("", None), (None, None), ("ta;q=0, te;q=bad, hi", "hi")])
def test_accept_language_picks_the_shipped_language_the_client_prefers(header: str | None, code: str | None) -> None:
    assert i18n.best_match(header) == code
