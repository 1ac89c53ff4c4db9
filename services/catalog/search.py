"""Movie search that forgives typos: a query matches a title when it is part of it, or close to a part of it
("monsoom" finds "The Last Monsoon"), scored with rapidfuzz (a maintained, C-accelerated fuzzy matcher).

Short queries must match exactly (as a part of the title): three letters with a typo match nearly anything.
"""

from __future__ import annotations

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

MIN_FUZZY_LENGTH = 4  # shorter queries: an exact part of the title only
THRESHOLD = 80.0  # rapidfuzz's partial_ratio (0..100): how close the query is to the best part of the title


def title_score(query: str, title: str) -> float:
    """0..100: 100 when the query is a part of the title (case, accents of punctuation aside)."""
    needle, haystack = default_process(query), default_process(title)
    if not needle:
        return 100.0
    if needle in haystack:
        return 100.0
    if len(needle) < MIN_FUZZY_LENGTH:
        return 0.0
    # The closest part of the title (a typo), or the same words with some left out ("orbit silence").
    return float(max(fuzz.partial_ratio(needle, haystack), fuzz.token_set_ratio(needle, haystack)))


def title_matches(query: str | None, title: str) -> bool:
    return not (query or "").strip() or title_score(query or "", title) >= THRESHOLD
