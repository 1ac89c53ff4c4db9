"""The one translation function for user-facing text.

English source strings are the keys (gettext style), so code stays readable and a missing translation
falls back to English. More languages are added as catalogs; the current one is per request/task.
"""

from __future__ import annotations

from contextvars import ContextVar

current_language: ContextVar[str] = ContextVar("current_language", default="en")

# language code -> {English text: translation}
_CATALOGS: dict[str, dict[str, str]] = {"en": {}}


def t(text: str, **params: object) -> str:
    translated = _CATALOGS.get(current_language.get(), {}).get(text, text)
    return translated.format(**params) if params else translated


def add_catalog(language: str, entries: dict[str, str]) -> None:
    _CATALOGS.setdefault(language, {}).update(entries)


# How each language names itself, for language pickers (the kiosk's first screen).
_NATIVE_NAMES = {"en": "English", "hi": "हिन्दी", "te": "తెలుగు", "ta": "தமிழ்", "bn": "বাংলা", "mr": "मराठी"}


def languages() -> list[str]:
    """The languages there is a catalog for (English first)."""
    return list(_CATALOGS)


def language_name(language: str) -> str:
    return _NATIVE_NAMES.get(language, language)
