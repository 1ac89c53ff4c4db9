"""The one translation function for user-facing text: gettext catalogs, managed with Babel.

English source strings are the keys (gettext style), so code stays readable and a missing translation
falls back to English. The catalogs are ``locales/<lang>/LC_MESSAGES/messages.po`` (what translators edit)
compiled to ``messages.mo`` (what this module reads); ``python tools/i18n.py`` extracts, updates, compiles
and checks them. The language of a piece of work is ``current_language`` (a context variable: per request,
task or thread); where nothing set it, a resolver the UI layer installs (the browser's choice) is asked,
then English.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

LOCALES = Path(__file__).resolve().parents[1] / "locales"
DOMAIN = "messages"
# What customers can choose, English first. A catalog on disk that is not listed here is not offered.
SHIPPED = ("en", "hi", "te", "ta")
# The pseudo-locale: every string longer and accented, to find text that does not fit. Never offered.
PSEUDO = "xx"

# "" = not set here: ask the resolver (the browser's choice), then English.
current_language: ContextVar[str] = ContextVar("current_language", default="")
_resolver: Callable[[], str | None] | None = None
_pseudo_enabled = False


def t(text: str, **params: object) -> str:
    """``text`` in the current language, with ``{name}`` placeholders filled from ``params``."""
    translated = _translations(language()).gettext(text)
    return translated.format(**params) if params else translated


def tn(singular: str, plural: str, n: int, **params: object) -> str:
    """The form of ``singular``/``plural`` the current language uses for ``n``; ``{n}`` is filled too."""
    translated = _translations(language()).ngettext(singular, plural, n)
    return translated.format(n=n, **params)


def N_(text: str) -> str:  # noqa: N802 (gettext's name for it; the extractor looks for it)
    """Marks text for the catalogs where it is defined (a table of labels); ``t()`` translates it where shown."""
    return text


def language() -> str:
    """The language of the current work: set for it, else the browser's choice, else English."""
    chosen = current_language.get()
    if not chosen and _resolver is not None:
        chosen = _resolver() or ""
    return chosen if is_supported(chosen) else "en"


@contextmanager
def speaking(code: str | None) -> Iterator[None]:
    """Work in ``code`` for a while (an email in its customer's language); an unknown code changes nothing."""
    if not is_supported(code):
        yield
        return
    token = current_language.set(str(code))
    try:
        yield
    finally:
        current_language.reset(token)


def set_resolver(resolver: Callable[[], str | None] | None) -> None:
    """Installed once by the UI layer: where a page's language comes from when no task set one."""
    global _resolver
    _resolver = resolver


def enable_pseudo_locale(enabled: bool = True) -> None:
    """Lets ``xx`` be chosen (``?lang=xx``), for layout checks; it is never listed for customers."""
    global _pseudo_enabled
    _pseudo_enabled = enabled


def is_supported(code: str | None) -> bool:
    return bool(code) and (code in SHIPPED or (code == PSEUDO and _pseudo_enabled))


def languages() -> list[str]:
    """The languages customers can choose (English first)."""
    return list(SHIPPED)


# How each language names itself, for language pickers.
_NATIVE_NAMES = {"en": "English", "hi": "हिन्दी", "te": "తెలుగు", "ta": "தமிழ்", "bn": "বাংলা", "mr": "मराठी",
                 PSEUDO: "Ƥšéûđô"}


def language_name(code: str) -> str:
    return _NATIVE_NAMES.get(code, code)


def best_match(accept_language: str | None) -> str | None:
    """The shipped language an ``Accept-Language`` header prefers most (``hi-IN,hi;q=0.9,en;q=0.8``)."""
    wanted: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        code = tag.strip().lower().split("-")[0]
        if quality > 0 and code in SHIPPED:
            wanted.append((-quality, index, code))
    return min(wanted)[2] if wanted else None


@cache
def _translations(code: str) -> gettext.NullTranslations:
    if code == "en":
        return NullTranslations()
    if code == PSEUDO:
        return _PseudoTranslations()
    return Translations.load(str(LOCALES), [code], DOMAIN)


class _PseudoTranslations(NullTranslations):
    """``[Ŝéàţš ~~~]``: accented and ~40% longer, placeholders untouched, so layouts meet long text."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)


_ACCENTED = str.maketrans("aceinosuyACEINOSUY", "àçéîñöšûýÀÇÉÎÑÖŠÛÝ")


def pseudo(message: str) -> str:
    out: list[str] = []
    depth = 0
    for char in message:
        depth += char == "{"
        out.append(char if depth else char.translate(_ACCENTED))
        depth -= char == "}"
    # Words of at most five characters: real translations are longer, not one unbreakable run.
    extra = max(2, len(message) * 2 // 5)
    padding = " ".join("~" * min(5, extra - start) for start in range(0, extra, 5))
    return "[" + "".join(out) + " " + padding + "]"
