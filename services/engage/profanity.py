"""A small abuse filter for review text: one word list per language, matched on whole words.

Deliberately simple (a list, not a classifier): it catches the obvious words in English and Hindi
(Devanagari and the common romanized spellings); staff hiding a review with a reason covers the rest.
"""

from __future__ import annotations

import re
import unicodedata

# Kept short and unambiguous on purpose: a word that is also an ordinary word elsewhere would refuse
# honest reviews. Lower case; matched as whole words after Unicode normalization.
WORD_LISTS: dict[str, frozenset[str]] = {
    "en": frozenset({
        "fuck", "fucking", "fucked", "motherfucker", "shit", "bullshit", "bitch", "bastard", "asshole",
        "dickhead", "cunt", "slut", "whore", "retard",
    }),
    "hi": frozenset({
        "चूतिया", "चुतिया", "मादरचोद", "बहनचोद", "भोसड़ीके", "हरामी", "कमीना", "रंडी", "गांडू", "भड़वा",
        "chutiya", "madarchod", "behenchod", "bhenchod", "bhosdike", "harami", "kamina", "randi", "gandu",
        "bhadwa",
    }),
}

# Letters and combining marks (Devanagari vowel signs are marks, so a Hindi word stays one token).
_TOKEN = re.compile(r"[\w\u0900-\u097F]+", re.UNICODE)


def flagged_words(text: str, languages: tuple[str, ...] = tuple(WORD_LISTS)) -> list[str]:
    """The listed words found in ``text`` (checked against every given language's list)."""
    normalized = unicodedata.normalize("NFC", text).casefold()
    words = set(_TOKEN.findall(normalized))
    banned = frozenset().union(*(WORD_LISTS.get(language, frozenset()) for language in languages))
    return sorted(words & banned)
