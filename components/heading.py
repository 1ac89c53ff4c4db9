"""Headings a screen reader can list: real ``<h1>``–``<h3>`` elements that look like the labels they replace.
One ``<h1>`` per page (its title), sections below it in order."""

from __future__ import annotations

from nicegui import ui
from nicegui.elements.mixins.text_element import TextElement

# Quasar sizes h1-h6 for its own typography (h1 at 6rem, weight 300). Ours take their look from their classes
# (mm-title, text-2xl ...): Quasar's layer loses to this one, and Tailwind's utilities (a later layer) win over it.
CSS = """
@layer components { :is(h1, h2, h3).mm-h { font-size: 1rem; font-weight: inherit; line-height: 1.5;
                                          letter-spacing: normal; margin: 0; } }
"""


class Heading(TextElement):
    def __init__(self, text: str = "", level: int = 1) -> None:
        if level not in (1, 2, 3):
            raise ValueError(f"heading level {level}: use 1, 2 or 3")
        super().__init__(tag=f"h{level}", text=text)
        self.classes("mm-h")


def heading(text: str, level: int = 1) -> Heading:
    """The page's title (level 1: also the browser tab's ``<title>``) or a section's (2, 3)."""
    if level == 1:
        page_title(text)
    return Heading(text, level)


def page_title(text: str) -> None:
    """``<title>``: what a tab, the history and a screen reader announce first; distinct per page."""
    ui.page_title(f"{text} · Movie Magic" if text else "Movie Magic")
