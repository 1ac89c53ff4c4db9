"""Raster card copies of the demo catalog's SVG posters: ``assets/posters/<name>.svg`` -> ``<name>-card.webp``.

    python tools/poster_cards.py           # after tools/make_posters.py changed or added a poster
    python tools/poster_cards.py check     # exit 1 when a poster has no card copy, or a card is not 400x600

Why: a grid card shows a poster ~230 px wide. Chromium draws an SVG image on the page's main thread (each one
is a small document: parsed, laid out, painted), and the home page's 20-odd SVG posters delayed its first
paint by 60-100 ms (bench/bench_seatmap.py, home.*); a WebP is decoded off the main thread
(``decoding="async"``). The movie and event pages keep the SVG: one large poster, sharp at any size.
Chromium draws the SVG here, as on the page (the Playwright package and Chromium that the e2e tests use);
Pillow writes the WebP. Uploaded posters have their own card size already (services/staff/posters.py).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POSTERS = ROOT / "assets" / "posters"
SIZE = (400, 600)  # the posters' own size (tools/make_posters.py): 2x a card's width on a desktop grid
QUALITY = 80


def card_path(svg: Path) -> Path:
    return svg.with_name(f"{svg.stem}-card.webp")


def build() -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.app_process import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": SIZE[0], "height": SIZE[1]})
        for svg in sorted(POSTERS.glob("*.svg")):
            page.goto(svg.as_uri())
            shot = Image.open(io.BytesIO(page.screenshot(type="png"))).convert("RGB")
            shot.save(card_path(svg), "WEBP", quality=QUALITY, method=6)
            print(f"wrote {card_path(svg).relative_to(ROOT)} ({card_path(svg).stat().st_size:,} bytes)")
        browser.close()


def problems() -> list[str]:
    found = []
    for svg in sorted(POSTERS.glob("*.svg")):
        card = card_path(svg)
        if not card.exists():
            found.append(f"{svg.name} has no {card.name}: run python tools/poster_cards.py")
            continue
        with Image.open(card) as image:
            if image.size != SIZE:
                found.append(f"{card.name} is {image.size[0]}x{image.size[1]}, not {SIZE[0]}x{SIZE[1]}")
    return found


if __name__ == "__main__":
    if sys.argv[1:] == ["check"]:
        for problem in problems():
            print(problem)
        sys.exit(1 if problems() else 0)
    build()
