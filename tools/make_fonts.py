"""Make the small fonts the PDF ticket embeds: subsets of DejaVu (Latin, punctuation, currency signs).

The app must render ₹ and accented theater names on a fresh machine with no system fonts, so the fonts
ship with it, cut down to the characters a ticket needs (~40 KB each instead of ~700 KB). Run this
only to regenerate them, on a machine with Debian's fonts-dejavu-core:

    python tools/make_fonts.py [/usr/share/fonts/truetype/dejavu]

DejaVu's licence (a free licence: use, copy, modify, redistribute) is in LICENSE-DejaVu.txt beside them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

HERE = Path(__file__).resolve().parents[1] / "assets" / "fonts"  # where the fonts are written
FONTS = {
    "DejaVuSans.ttf": "MovieMagicSans.ttf",
    "DejaVuSans-Bold.ttf": "MovieMagicSans-Bold.ttf",
    "DejaVuSansCondensed-Bold.ttf": "MovieMagicSansCondensed-Bold.ttf",
    "DejaVuSansMono.ttf": "MovieMagicMono.ttf",
}
# Basic Latin, Latin-1, Latin Extended-A, general punctuation, currency signs, a few symbols.
UNICODES = "U+0020-007E,U+00A0-017F,U+2010-2027,U+2030-203A,U+20A0-20BF,U+2122,U+2190-2193,U+2212,U+25CF"


def main(source: Path) -> None:
    for original, target in FONTS.items():
        options = subset.Options()
        options.layout_features = ["kern", "liga"]
        options.name_IDs = ["*"]  # keep the copyright and licence entries
        options.notdef_outline = True
        font = subset.load_font(str(source / original), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
        subsetter.subset(font)
        subset.save_font(font, str(HERE / target), options)
        print(f"{target}: {(HERE / target).stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/dejavu"))
