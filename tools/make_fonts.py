"""Make the small fonts the PDF ticket embeds: subsets of DejaVu (Latin, punctuation, currency signs) and of
Noto Sans Devanagari, Telugu and Tamil (tickets in Hindi, Telugu and Tamil; shaped by HarfBuzz in fpdf2).

The app must render ₹ and accented theater names on a fresh machine with no system fonts, so the fonts
ship with it, cut down to the characters a ticket needs (~40 KB each instead of ~700 KB). Run this
only to regenerate them, on a machine with Debian's fonts-dejavu-core and fonts-noto-core (test.sh installs both):

    python tools/make_fonts.py [/usr/share/fonts/truetype/dejavu] [/usr/share/fonts/truetype/noto]

DejaVu's licence (a free licence: use, copy, modify, redistribute) is in LICENSE-DejaVu.txt beside them,
Noto's (SIL Open Font License 1.1) in LICENSE-Noto.txt. The Indic subsets keep every layout feature and
script table: conjuncts, vowel signs and reordering need them (the shaper picks the glyphs).
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
# Each script's block, its danda marks, zero-width (non-)joiners and the dotted circle shapers draw for a lone sign.
NOTO = {
    "NotoSansDevanagari-Regular.ttf": ("MovieMagicDevanagari.ttf", "U+0900-097F,U+A8E0-A8FF,U+1CD0-1CFF"),
    "NotoSansDevanagari-Bold.ttf": ("MovieMagicDevanagari-Bold.ttf", "U+0900-097F,U+A8E0-A8FF,U+1CD0-1CFF"),
    "NotoSansTelugu-Regular.ttf": ("MovieMagicTelugu.ttf", "U+0C00-0C7F,U+0964-0965"),
    "NotoSansTelugu-Bold.ttf": ("MovieMagicTelugu-Bold.ttf", "U+0C00-0C7F,U+0964-0965"),
    "NotoSansTamil-Regular.ttf": ("MovieMagicTamil.ttf", "U+0B80-0BFF,U+0964-0965"),
    "NotoSansTamil-Bold.ttf": ("MovieMagicTamil-Bold.ttf", "U+0B80-0BFF,U+0964-0965"),
}
JOINERS = ",U+200C-200D,U+25CC"


def main(source: Path, noto: Path) -> None:
    for original, target in FONTS.items():
        _subset(source / original, HERE / target, UNICODES, ["kern", "liga"])
    for original, (target, unicodes) in NOTO.items():
        _subset(noto / original, HERE / target, unicodes + JOINERS, ["*"])


def _subset(source: Path, target: Path, unicodes: str, features: list[str]) -> None:
    options = subset.Options()
    options.layout_features = features
    options.name_IDs = ["*"]  # keep the copyright and licence entries
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(unicodes))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)
    print(f"{target.name}: {target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/dejavu"),
         Path(sys.argv[2] if len(sys.argv) > 2 else "/usr/share/fonts/truetype/noto"))
