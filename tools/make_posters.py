"""Generate minimalist poster art for every movie in assets/catalog/movies.json and every event in events.json.

Run from the project root: ``python tools/make_posters.py``. Writes assets/posters/<movie_id>.svg.
Deterministic: all randomness is seeded from the movie_id. No external fonts, images or URLs; element ids
are prefixed with the movie_id so several posters can be inlined into one HTML page.
"""

from __future__ import annotations

import colorsys
import hashlib
import json
import math
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations, pairwise
from pathlib import Path
from xml.sax.saxutils import escape

ASSETS = Path(__file__).resolve().parents[1] / "assets"  # tools/ sits beside assets/, which is served
MOVIES_FILE = ASSETS / "catalog" / "movies.json"
EVENTS_FILE = ASSETS / "catalog" / "events.json"  # live events (issue 17): same art, "live" credits
OUT_DIR = ASSETS / "posters"
W, H = 400, 600
MARGIN = 28
TITLE_FONT = "Bebas Neue, Oswald, Impact, 'Arial Narrow', sans-serif"
SMALL_FONT = "'Helvetica Neue', Arial, sans-serif"
TITLE_BASELINE = 492  # baseline of the last title line
MAX_TITLE_BLOCK = 150  # height of the title block from the cap line of the first line to the last baseline

# Approximate advance widths (in em) of a bold condensed display face; text is then locked to the
# estimated width with textLength, so a wider fallback font is squeezed instead of overflowing.
NARROW_CHARS = {"I": 0.3, "J": 0.38, " ": 0.26, "'": 0.22, ".": 0.26, ",": 0.26, ":": 0.26, "!": 0.3, "-": 0.36}
WIDE_CHARS = {"M": 0.8, "W": 0.86}
DEFAULT_WIDTH = 0.6


# ---------------------------------------------------------------- colours


def to_rgb(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


def to_hex(rgb: Iterable[float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, part)) * 255):02x}" for part in rgb)


def mix(first: str, second: str, amount: float) -> str:
    """Blend ``amount`` (0..1) of ``second`` into ``first``."""
    return to_hex(a + (b - a) * amount for a, b in zip(to_rgb(first), to_rgb(second), strict=True))


def shade(colour: str, amount: float) -> str:
    return mix(colour, "#000000", amount)


def tint(colour: str, amount: float) -> str:
    return mix(colour, "#ffffff", amount)


def rotate_hue(colour: str, degrees: float, saturation: float | None = None) -> str:
    hue, lightness, sat = colorsys.rgb_to_hls(*to_rgb(colour))
    sat = sat if saturation is None else saturation
    return to_hex(colorsys.hls_to_rgb((hue + degrees / 360) % 1, lightness, sat))


def fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text.removesuffix(".0")


def points(coords: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{fmt(x)},{fmt(y)}" for x, y in coords)


# ---------------------------------------------------------------- poster context


@dataclass
class Poster:
    """Drawing context for one poster: seeded random source, palette, id prefix and collected defs."""

    movie: dict
    rng: random.Random = field(init=False)
    defs: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        seed = int(hashlib.sha256(self.movie["movie_id"].encode()).hexdigest()[:12], 16)
        self.rng = random.Random(seed)
        self.uid = self.movie["movie_id"]
        self.dark, self.accent = self.movie["palette"]
        self.ink = shade(self.dark, 0.6)
        self.mid = mix(self.dark, self.accent, 0.35)
        self.glow = tint(self.accent, 0.35)
        self.paper = tint(self.accent, 0.85)

    def uniform(self, low: float, high: float) -> float:
        return self.rng.uniform(low, high)

    def linear(self, name: str, stops: Sequence[tuple[float, str, float]], x2: float = 0, y2: float = 1) -> str:
        """Register a linear gradient (default top to bottom) and return its ``url(#...)`` reference."""
        ident = f"{self.uid}-{name}"
        body = "".join(
            f'<stop offset="{fmt(offset * 100)}%" stop-color="{colour}" stop-opacity="{opacity}"/>'
            for offset, colour, opacity in stops
        )
        self.defs.append(f'<linearGradient id="{ident}" x1="0" y1="0" x2="{x2}" y2="{y2}">{body}</linearGradient>')
        return f"url(#{ident})"

    def radial(self, name: str, stops: list[tuple[float, str, float]], cx: float = 0.5, cy: float = 0.5) -> str:
        ident = f"{self.uid}-{name}"
        body = "".join(
            f'<stop offset="{fmt(offset * 100)}%" stop-color="{colour}" stop-opacity="{opacity}"/>'
            for offset, colour, opacity in stops
        )
        self.defs.append(f'<radialGradient id="{ident}" cx="{cx}" cy="{cy}" r="0.5">{body}</radialGradient>')
        return f"url(#{ident})"

    def blur(self, name: str, amount: float) -> str:
        ident = f"{self.uid}-{name}"
        self.defs.append(
            f'<filter id="{ident}" x="-50%" y="-50%" width="200%" height="200%">'
            f'<feGaussianBlur stdDeviation="{amount}"/></filter>'
        )
        return f"url(#{ident})"

    def glow_disc(
        self, name: str, centre: tuple[float, float], radius: float, colour: str, opacity: float = 0.5
    ) -> str:
        """A soft halo around a point (a radial gradient fading to transparent)."""
        fill = self.radial(name, [(0, colour, opacity), (0.45, colour, opacity * 0.35), (1, colour, 0)])
        return f'<circle cx="{fmt(centre[0])}" cy="{fmt(centre[1])}" r="{fmt(radius)}" fill="{fill}"/>'

    def sky(self, top: str, bottom: str, middle: str | None = None) -> str:
        stops = [(0, top, 1), (0.55, middle or mix(top, bottom, 0.5), 1), (1, bottom, 1)]
        return f'<rect width="{W}" height="{H}" fill="{self.linear("sky", stops)}"/>'


# ---------------------------------------------------------------- reusable shapes


def stars(p: Poster, count: int, bottom: float, colour: str = "#ffffff") -> str:
    dots = []
    for _ in range(count):
        x, y, r = p.uniform(0, W), p.uniform(0, bottom), p.uniform(0.4, 1.5)
        dots.append(f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(r)}" opacity="{fmt(p.uniform(0.3, 1))}"/>')
    return f'<g fill="{colour}">{"".join(dots)}</g>'


def figure(x: float, ground: float, height: float, colour: str, hat: bool = False) -> str:
    """A standing human silhouette, feet at ``ground``; ``hat`` gives it a fedora and a long coat."""
    s = height / 100
    body = [
        (-9, -80),
        (9, -80),
        (15, -46),
        (11, -45),
        (9, -62),
        (8, -40),
        (12, 0),
        (4, 0),
        (0, -34),
        (-4, 0),
        (-12, 0),
        (-8, -40),
        (-9, -62),
        (-11, -45),
        (-15, -46),
    ]
    if hat:
        body = [
            (-10, -80),
            (10, -80),
            (14, -50),
            (10, -49),
            (9, -62),
            (13, -18),
            (6, -18),
            (7, 0),
            (2, 0),
            (0, -18),
            (-2, 0),
            (-7, 0),
            (-6, -18),
            (-13, -18),
            (-9, -62),
            (-10, -49),
            (-14, -50),
        ]
    shapes = [
        f'<polygon points="{points((x + bx * s, ground + by * s) for bx, by in body)}"/>',
        f'<circle cx="{fmt(x)}" cy="{fmt(ground - 89 * s)}" r="{fmt((6.5 if hat else 7.5) * s)}"/>',
    ]
    if hat:
        shapes.append(f'<ellipse cx="{fmt(x)}" cy="{fmt(ground - 93 * s)}" rx="{fmt(13 * s)}" ry="{fmt(2.4 * s)}"/>')
        shapes.append(
            f'<rect x="{fmt(x - 6 * s)}" y="{fmt(ground - 101 * s)}" width="{fmt(12 * s)}" '
            f'height="{fmt(9 * s)}" rx="{fmt(2 * s)}"/>'
        )
    return f'<g fill="{colour}">{"".join(shapes)}</g>'


def ridge(p: Poster, base: float, amplitude: float, roughness: float, sharp: bool = False) -> list[tuple[float, float]]:
    """A mountain or hill skyline from x=0 to x=W as a list of points."""
    waves = [(p.uniform(0.5, 1.0), p.uniform(1, 4) * (k + 1) * roughness, p.uniform(0, math.tau)) for k in range(4)]
    line = []
    for step in range(41):
        x = W * step / 40
        height = sum(a * math.sin(f * x / W * math.pi + ph) / (k + 1) for k, (a, f, ph) in enumerate(waves))
        if sharp:
            height = 1 - abs(height)
        line.append((x, base - amplitude * height))
    return line


def polygon(coords: Iterable[tuple[float, float]], attrs: str = "") -> str:
    return f'<polygon points="{points(coords)}" {attrs}/>'


def skyline_polygon(line: list[tuple[float, float]], fill: str, opacity: float = 1) -> str:
    outline = [*line, (W, H), (0, H)]
    return f'<polygon points="{points(outline)}" fill="{fill}" opacity="{opacity}"/>'


def tree(p: Poster, x: float, ground: float, size: float, colour: str) -> str:
    """A bare, twisted tree silhouette: one path per branch depth so stroke width tapers."""
    levels: list[list[str]] = [[] for _ in range(7)]

    def grow(x0: float, y0: float, angle: float, length: float, depth: int) -> None:
        x1, y1 = x0 + length * math.cos(angle), y0 - length * math.sin(angle)
        levels[depth].append(f"M{fmt(x0)} {fmt(y0)}L{fmt(x1)} {fmt(y1)}")
        if depth == 6:
            return
        for _ in range(2 if depth < 2 else p.rng.choice((2, 2, 3))):
            grow(x1, y1, angle + p.uniform(-0.75, 0.75), length * p.uniform(0.6, 0.78), depth + 1)

    grow(x, ground, math.pi / 2 + p.uniform(-0.15, 0.15), size, 0)
    paths = [
        f'<path d="{"".join(parts)}" stroke-width="{fmt(size * 0.16 * 0.62**depth + 0.6)}"/>'
        for depth, parts in enumerate(levels)
    ]
    return f'<g stroke="{colour}" stroke-linecap="round" fill="none">{"".join(paths)}</g>'


def birds(p: Poster, count: int, centre: tuple[float, float], spread: float, colour: str) -> str:
    x, y = centre
    marks = []
    for _ in range(count):
        bx, by, size = x + p.uniform(-spread, spread), y + p.uniform(-spread / 2, spread / 2), p.uniform(4, 8)
        marks.append(
            f"M{fmt(bx - size)} {fmt(by - size / 3)}Q{fmt(bx - size / 2)} {fmt(by - size / 2)} "
            f"{fmt(bx)} {fmt(by)}Q{fmt(bx + size / 2)} {fmt(by - size / 2)} "
            f"{fmt(bx + size)} {fmt(by - size / 3)}"
        )
    return f'<path d="{"".join(marks)}" stroke="{colour}" stroke-width="1.4" fill="none"/>'


def palm(x: float, ground: float, height: float, lean: float, colour: str) -> str:
    top_x, top_y = x + lean, ground - height
    trunk = (
        f'<path d="M{fmt(x - 4)} {fmt(ground)}Q{fmt(x + lean * 0.2)} {fmt(ground - height / 2)} '
        f"{fmt(top_x)} {fmt(top_y)}L{fmt(top_x + 3)} {fmt(top_y + 2)}Q{fmt(x + 6 + lean * 0.2)} "
        f'{fmt(ground - height / 2)} {fmt(x + 5)} {fmt(ground)}Z"/>'
    )
    fronds = []
    for angle in (-160, -130, -100, -70, -35, -10, 20, 200):
        rad = math.radians(angle)
        ex, ey = top_x + math.cos(rad) * height * 0.38, top_y + math.sin(rad) * height * 0.22 + height * 0.12
        cx, cy = top_x + math.cos(rad) * height * 0.2, top_y - height * 0.08
        fronds.append(f"M{fmt(top_x)} {fmt(top_y)}Q{fmt(cx)} {fmt(cy)} {fmt(ex)} {fmt(ey)}")
    leaves = f'<path d="{"".join(fronds)}" fill="none" stroke="{colour}" stroke-width="5" stroke-linecap="round"/>'
    return f'<g fill="{colour}">{trunk}</g>{leaves}'


# ---------------------------------------------------------------- motifs by genre


def motif_scifi(p: Poster) -> list[str]:
    if "Action" in p.movie["genres"]:
        return scifi_horizon(p)
    cx, cy, radius = p.uniform(150, 250), p.uniform(210, 250), p.uniform(105, 125)
    body = p.radial("planet", [(0, tint(p.accent, 0.5), 1), (0.55, p.mid, 1), (1, p.ink, 1)], cx=0.32, cy=0.3)
    tilt = p.uniform(-24, -12)
    ring = f'stroke="{p.glow}" fill="none" stroke-width="5" opacity="0.85"'
    ring_back = f'<ellipse cx="{fmt(cx)}" cy="{fmt(cy)}" rx="{fmt(radius * 1.85)}" ry="{fmt(radius * 0.34)}" {ring}/>'
    ring_front = (
        f'<path d="M{fmt(cx - radius * 1.85)} {fmt(cy)}A{fmt(radius * 1.85)} {fmt(radius * 0.34)} 0 0 0 '
        f'{fmt(cx + radius * 1.85)} {fmt(cy)}" {ring}/>'
    )
    thin = (
        f'<ellipse cx="{fmt(cx)}" cy="{fmt(cy)}" rx="{fmt(radius * 1.6)}" ry="{fmt(radius * 0.27)}" '
        f'stroke="{p.accent}" fill="none" stroke-width="1.2" opacity="0.6"/>'
    )
    moon_x, moon_y = (cx + 150) % W, cy - 120
    return [
        p.sky(p.ink, mix(p.dark, p.accent, 0.25), p.dark),
        stars(p, 150, 470),
        p.glow_disc("halo", (cx, cy), radius * 2.4, p.accent, 0.35),
        f'<g transform="rotate({fmt(tilt)} {fmt(cx)} {fmt(cy)})">{ring_back}{thin}</g>',
        f'<circle cx="{fmt(cx)}" cy="{fmt(cy)}" r="{fmt(radius)}" fill="{body}"/>',
        f'<g transform="rotate({fmt(tilt)} {fmt(cx)} {fmt(cy)})">{ring_front}</g>',
        f'<circle cx="{fmt(moon_x)}" cy="{fmt(moon_y)}" r="16" fill="{p.glow}" opacity="0.9"/>',
        '<line x1="40" y1="120" x2="110" y2="150" stroke="#ffffff" stroke-width="1.5" opacity="0.6"/>',
    ]


def scifi_horizon(p: Poster) -> list[str]:
    """A vast planet curving across the bottom, a sunrise on its limb and a beam climbing to the stars."""
    limb = p.radial("limb", [(0.9, p.glow, 0), (0.985, p.accent, 0.9), (1, tint(p.accent, 0.6), 1)])
    surface = p.radial("surface", [(0, p.ink, 1), (0.9, p.dark, 1), (1, p.mid, 1)], cy=0.45)
    beam = p.linear("beam", [(0, p.glow, 0), (0.5, p.glow, 0.9), (1, "#ffffff", 1)])
    cars = "".join(
        f'<rect x="195.5" y="{fmt(150 + i * 44)}" width="9" height="22" rx="3" fill="#ffffff"/>' for i in range(3)
    )
    return [
        p.sky(p.ink, mix(p.dark, p.accent, 0.4), p.dark),
        stars(p, 170, 420),
        f'<circle cx="200" cy="980" r="640" fill="{limb}"/>',
        f'<circle cx="200" cy="990" r="626" fill="{surface}"/>',
        f'<rect x="197" y="0" width="6" height="366" fill="{beam}"/>',
        p.glow_disc("flare", (200, 362), 150, tint(p.accent, 0.4), 0.9),
        '<ellipse cx="200" cy="362" rx="190" ry="3" fill="#ffffff" opacity="0.75"/>',
        cars,
        f'<g stroke="{p.glow}" opacity="0.35">'
        + "".join(
            f'<line x1="{x}" y1="{fmt(420 - abs(x - 200) * 0.2)}" x2="200" y2="80"/>' for x in (40, 110, 290, 360)
        )
        + "</g>",
    ]


def motif_horror(p: Poster) -> list[str]:
    """A pale moon, bats, mist, bare trees and a lonely building: a haunted mansion or a roadside stall."""
    mx, my, radius = p.uniform(140, 260), p.uniform(140, 160), p.uniform(70, 82)
    moon = p.radial("moon", [(0, "#ffffff", 1), (0.7, tint(p.accent, 0.4), 1), (1, p.accent, 1)], cx=0.4, cy=0.4)
    fog = p.blur("fog", 12)
    mist = "".join(
        f'<ellipse cx="{fmt(p.uniform(0, W))}" cy="{fmt(p.uniform(280, 380))}" rx="{fmt(p.uniform(90, 170))}" '
        f'ry="{fmt(p.uniform(10, 20))}" fill="{p.accent}" opacity="{fmt(p.uniform(0.12, 0.25))}"/>'
        for _ in range(6)
    )
    ground = 372
    building = chai_stall(p, 200, ground) if "Comedy" in p.movie["genres"] else haveli(p, 200, ground, p.ink)
    return [
        p.sky(shade(p.dark, 0.3), mix(p.dark, p.accent, 0.18), p.dark),
        stars(p, 40, 300, p.accent),
        p.glow_disc("moonglow", (mx, my), radius * 3, p.accent, 0.4),
        f'<circle cx="{fmt(mx)}" cy="{fmt(my)}" r="{fmt(radius)}" fill="{moon}"/>',
        f'<circle cx="{fmt(mx - 22)}" cy="{fmt(my + 14)}" r="14" fill="{p.accent}" opacity="0.25"/>',
        f'<circle cx="{fmt(mx + 26)}" cy="{fmt(my - 24)}" r="8" fill="{p.accent}" opacity="0.25"/>',
        bats(p, mx, my),
        f'<g filter="{fog}">{mist}</g>',
        building,
        tree(p, p.uniform(40, 60), ground + 8, 64, p.ink),
        tree(p, p.uniform(340, 360), ground + 10, 72, p.ink),
        skyline_polygon(ridge(p, ground + 6, 10, 0.6), p.ink),
    ]


def chai_stall(p: Poster, x: float, ground: float) -> str:
    """A tin-roofed tea stall with a bare bulb, a steaming kettle and a see-through customer."""
    bulb = (x + 10, ground - 78)
    steam = "".join(f'<path d="M{fmt(x - 22 + i * 9)} {fmt(ground - 60)}q-6 -10 0 -20t0 -20" />' for i in range(3))
    roof = [(x - 70, ground - 92), (x + 74, ground - 104), (x + 78, ground - 92), (x - 74, ground - 80)]
    hut = (
        polygon(roof) + f'<rect x="{fmt(x - 62)}" y="{fmt(ground - 86)}" width="5" height="86"/>'
        f'<rect x="{fmt(x + 60)}" y="{fmt(ground - 96)}" width="5" height="96"/>'
        f'<rect x="{fmt(x - 62)}" y="{fmt(ground - 40)}" width="127" height="40"/>'
        f'<rect x="{fmt(x - 34)}" y="{fmt(ground - 56)}" width="22" height="16" rx="4"/>'
        f'<rect x="{fmt(x - 110)}" y="{fmt(ground - 18)}" width="44" height="5"/>'
        f'<rect x="{fmt(x - 106)}" y="{fmt(ground - 14)}" width="4" height="14"/>'
        f'<rect x="{fmt(x - 74)}" y="{fmt(ground - 14)}" width="4" height="14"/>'
    )
    ghost = figure(x - 88, ground - 16, 58, p.glow)
    return (
        p.glow_disc("bulb", bulb, 90, p.accent, 0.7)
        + f'<g fill="{p.ink}">{hut}</g>'
        + f'<line x1="{fmt(bulb[0])}" y1="{fmt(ground - 100)}" x2="{fmt(bulb[0])}" y2="{fmt(bulb[1])}" '
        f'stroke="{p.ink}" stroke-width="1.5"/>'
        f'<circle cx="{fmt(bulb[0])}" cy="{fmt(bulb[1] + 4)}" r="5" fill="#ffffff"/>'
        + f'<g stroke="{p.paper}" stroke-width="2" fill="none" opacity="0.5">{steam}</g>'
        + f'<g opacity="0.45">{ghost}</g>'
    )


def bats(p: Poster, x: float, y: float) -> str:
    marks = []
    for _ in range(5):
        bx, by, s = x + p.uniform(-120, 120), y + p.uniform(-110, 60), p.uniform(0.6, 1.2)
        wing = [
            (-12, -3),
            (-7, -1),
            (-5, 2),
            (-2, 0),
            (0, 3),
            (2, 0),
            (5, 2),
            (7, -1),
            (12, -3),
            (6, 5),
            (0, 2),
            (-6, 5),
        ]
        marks.append(f'<polygon points="{points((bx + wx * s, by + wy * s) for wx, wy in wing)}"/>')
    return f'<g fill="{p.ink}">{"".join(marks)}</g>'


def haveli(p: Poster, x: float, ground: float, colour: str) -> str:
    """A crumbling mansion with twin domed towers and a few lit windows."""
    parts = [f'<rect x="{fmt(x - 80)}" y="{fmt(ground - 80)}" width="160" height="80"/>']
    for tower in (x - 80, x + 58):
        parts.append(f'<rect x="{fmt(tower)}" y="{fmt(ground - 120)}" width="22" height="120"/>')
        parts.append(
            f'<path d="M{fmt(tower - 4)} {fmt(ground - 120)}Q{fmt(tower + 11)} {fmt(ground - 158)} '
            f'{fmt(tower + 26)} {fmt(ground - 120)}Z"/>'
        )
    parts.append(
        f'<path d="M{fmt(x - 30)} {fmt(ground - 80)}Q{fmt(x)} {fmt(ground - 125)} {fmt(x + 30)} {fmt(ground - 80)}Z"/>'
    )
    parts.extend(f'<rect x="{fmt(x - 56 + i * 14)}" y="{fmt(ground - 88)}" width="8" height="8"/>' for i in range(9))
    windows = []
    for row in range(2):
        for column in range(5):
            lit = p.rng.random() < 0.25
            colour_attr = f'fill="{p.accent}" opacity="0.9"' if lit else f'fill="{p.dark}" opacity="0.8"'
            wx, wy = x - 52 + column * 22, ground - 66 + row * 30
            windows.append(
                f'<path d="M{fmt(wx)} {fmt(wy + 16)}V{fmt(wy + 5)}Q{fmt(wx + 5)} {fmt(wy - 2)} '
                f'{fmt(wx + 10)} {fmt(wy + 5)}V{fmt(wy + 16)}Z" {colour_attr}/>'
            )
    return f'<g fill="{colour}">{"".join(parts)}</g>{"".join(windows)}'


def motif_romance(p: Poster) -> list[str]:
    """A rainy sea at dusk: low sun, reflections on the water, bokeh and slanting rain."""
    horizon, sun_x = 300, p.uniform(220, 290)
    soft = p.blur("bokeh", 5)
    bokeh = "".join(
        f'<circle cx="{fmt(p.uniform(0, W))}" cy="{fmt(p.uniform(40, 290))}" r="{fmt(p.uniform(8, 34))}" '
        f'fill="{p.rng.choice((p.accent, p.glow, "#ffffff"))}" opacity="{fmt(p.uniform(0.08, 0.3))}"/>'
        for _ in range(22)
    )
    reflections = "".join(
        f'<rect x="{fmt(sun_x - width / 2)}" y="{fmt(horizon + 6 + i * 11)}" width="{fmt(width)}" height="3" rx="1.5"/>'
        for i, width in enumerate([p.uniform(60, 120) * (1 - k * 0.08) for k in range(10)])
    )
    rain = "".join(
        f"M{fmt(x)} {fmt(y)}l-6 {fmt(length)}"
        for x, y, length in ((p.uniform(0, W + 40), p.uniform(-20, H), p.uniform(16, 34)) for _ in range(130))
    )
    water = p.linear("water", [(0, mix(p.dark, p.accent, 0.3), 1), (1, p.ink, 1)])
    return [
        p.sky(shade(p.dark, 0.2), mix(p.dark, p.accent, 0.55), mix(p.dark, p.accent, 0.2)),
        p.glow_disc("sunglow", (sun_x, horizon), 210, p.accent, 0.7),
        f'<circle cx="{fmt(sun_x)}" cy="{horizon}" r="52" fill="{tint(p.accent, 0.5)}"/>',
        f'<g filter="{soft}">{bokeh}</g>',
        f'<rect y="{horizon}" width="{W}" height="{H - horizon}" fill="{water}"/>',
        f'<g fill="{tint(p.accent, 0.4)}" opacity="0.55">{reflections}</g>',
        jetty(p, horizon),
        f'<path d="{rain}" stroke="{tint(p.accent, 0.7)}" stroke-width="1" opacity="0.4"/>',
    ]


def jetty(p: Poster, horizon: float) -> str:
    posts = "".join(f'<rect x="{fmt(30 + i * 34)}" y="{fmt(horizon + 34)}" width="3" height="26"/>' for i in range(5))
    deck = f'<rect x="0" y="{fmt(horizon + 30)}" width="190" height="5"/>'
    couple = figure(150, horizon + 30, 46, p.ink) + figure(166, horizon + 30, 42, p.ink)
    umbrella = (
        f'<path d="M132 {fmt(horizon - 17)}Q158 {fmt(horizon - 46)} 184 {fmt(horizon - 17)}Z" fill="{p.ink}"/>'
        f'<line x1="158" y1="{fmt(horizon - 30)}" x2="158" y2="{fmt(horizon - 5)}" stroke="{p.ink}" '
        f'stroke-width="1.5"/>'
    )
    return f'<g fill="{p.ink}">{posts}{deck}</g>{couple}{umbrella}'


def motif_action(p: Poster) -> list[str]:
    cx, cy = p.uniform(170, 230), p.uniform(250, 290)
    burst = p.radial(
        "burst", [(0, "#fff3c4", 1), (0.3, tint(p.accent, 0.2), 1), (0.7, p.accent, 0.7), (1, p.accent, 0)]
    )
    spikes = []
    for i in range(48):
        angle = i * math.tau / 48
        reach = 170 if i % 2 else p.uniform(60, 100)
        spikes.append((cx + reach * math.cos(angle), cy + reach * math.sin(angle)))
    slashes = "".join(
        f'<polygon points="{points([(x, 0), (x + width, 0), (x + width - 260, H), (x - 260, H)])}" '
        f'fill="{p.rng.choice((p.accent, p.ink, p.mid))}" opacity="{fmt(p.uniform(0.15, 0.45))}"/>'
        for x, width in ((p.uniform(0, 660), p.uniform(8, 40)) for _ in range(7))
    )
    sparks = "".join(
        f'<line x1="{fmt(cx + math.cos(a) * r1)}" y1="{fmt(cy + math.sin(a) * r1)}" x2="{fmt(cx + math.cos(a) * r2)}" '
        f'y2="{fmt(cy + math.sin(a) * r2)}"/>'
        for a, r1, r2 in ((p.uniform(0, math.tau), p.uniform(120, 190), p.uniform(200, 260)) for _ in range(26))
    )
    debris = ridge(p, 468, 14, 1.5)
    return [
        p.sky(p.ink, shade(p.accent, 0.55), p.dark),
        slashes,
        p.glow_disc("heat", (cx, cy), 260, p.accent, 0.6),
        f'<polygon points="{points(spikes)}" fill="{burst}"/>',
        f'<g stroke="{tint(p.accent, 0.5)}" stroke-width="2" stroke-linecap="round">{sparks}</g>',
        figure(cx, 470, 150, p.ink),
        skyline_polygon(debris, p.ink),
    ]


def motif_animation(p: Poster) -> list[str]:
    """A folded paper moon over candy-coloured hills, with confetti shapes everywhere."""
    colours = [p.accent, *(rotate_hue(p.accent, turn, sat) for turn, sat in ((140, 0.75), (200, 0.7), (300, 0.8)))]
    mx, my = p.uniform(140, 260), 210
    folds = "".join(
        f'<line x1="{fmt(mx + 90 * math.cos(a))}" y1="{fmt(my + 90 * math.sin(a))}" '
        f'x2="{fmt(mx - 90 * math.cos(a + 0.4))}" y2="{fmt(my - 90 * math.sin(a + 0.4))}"/>'
        for a in (p.uniform(0, math.pi) for _ in range(3))
    )
    confetti = []
    for _ in range(34):
        x, y, size, colour = p.uniform(10, 390), p.uniform(60, 400), p.uniform(5, 12), p.rng.choice(colours)
        kind = p.rng.randrange(3)
        if kind == 0:
            confetti.append(f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(size / 2)}" fill="{colour}"/>')
        elif kind == 1:
            tri = [(x, y - size), (x + size, y + size * 0.7), (x - size, y + size * 0.7)]
            confetti.append(
                f'<polygon points="{points(tri)}" fill="{colour}" '
                f'transform="rotate({fmt(p.uniform(0, 120))} {fmt(x)} {fmt(y)})"/>'
            )
        else:
            half = fmt(size / 2)
            confetti.append(
                f'<path d="M{fmt(x - size)} {fmt(y)}q{half} -{half} {fmt(size)} 0t{fmt(size)} 0" '
                f'stroke="{colour}" stroke-width="3" fill="none" stroke-linecap="round"/>'
            )
    hills = [skyline_polygon(ridge(p, 400 + i * 45, 30, 0.5), rotate_hue(colours[i % 4], 0, 0.55), 1) for i in range(3)]
    return [
        p.sky(p.dark, tint(p.dark, 0.35), mix(p.dark, colours[2], 0.3)),
        stars(p, 50, 380, "#ffffff"),
        p.glow_disc("moonglow", (mx, my), 200, p.accent, 0.5),
        f'<circle cx="{fmt(mx)}" cy="{fmt(my)}" r="90" fill="{tint(p.accent, 0.3)}"/>',
        f'<g stroke="{shade(p.accent, 0.25)}" stroke-width="1.5" opacity="0.6">{folds}</g>',
        f'<polygon points="{points([(mx - 4, my + 6), (mx + 40, my + 24), (mx + 2, my + 30)])}" fill="#ffffff"/>',
        "".join(confetti),
        *hills,
    ]


def motif_sports(p: Poster) -> list[str]:
    """Stadium floodlights blazing over a pitch, beams crossing in the night."""
    turf = mix(p.dark, "#2f9e44", 0.35)
    beam = p.linear("beam", [(0, "#ffffff", 0.55), (1, p.paper, 0)])
    towers, beams = [], []
    for x, lean in ((58, 1), (342, -1)):
        towers.append(f'<rect x="{x - 3}" y="120" width="6" height="330" fill="{p.ink}"/>')
        lamps = "".join(
            f'<circle cx="{fmt(x - 24 + col * 12)}" cy="{fmt(104 + row * 11)}" r="4.2"/>'
            for row in range(3)
            for col in range(5)
        )
        towers.append(
            f'<rect x="{x - 32}" y="94" width="64" height="40" rx="3" fill="{p.ink}"/><g fill="#ffffff">{lamps}</g>'
        )
        beams.append(
            polygon([(x - 30, 120), (x + 30, 120), (200 + lean * 190, 470), (200 - lean * 20, 470)], f'fill="{beam}"')
        )
    crowd = "".join(
        f'<circle cx="{fmt(x)}" cy="{fmt(398 + p.uniform(-3, 3))}" r="{fmt(p.uniform(4, 6))}"/>'
        for x in range(0, W + 8, 8)
    )
    return [
        p.sky(p.ink, mix(p.dark, p.accent, 0.15), p.dark),
        stars(p, 40, 200),
        *beams,
        p.glow_disc("lampglow-l", (58, 114), 90, "#ffffff", 0.6),
        p.glow_disc("lampglow-r", (342, 114), 90, "#ffffff", 0.6),
        f'<g fill="{p.ink}">{crowd}<rect y="398" width="{W}" height="40"/></g>',
        f'<ellipse cx="200" cy="560" rx="300" ry="130" fill="{turf}"/>',
        f'<rect x="184" y="440" width="32" height="120" fill="{tint(turf, 0.35)}" opacity="0.7"/>',
        '<ellipse cx="200" cy="560" rx="200" ry="78" fill="none" stroke="#ffffff" stroke-width="1.5" opacity="0.4"/>',
        *towers,
        (
            f'<path d="M120 330Q170 240 250 250" stroke="{p.paper}" stroke-width="2" fill="none" '
            f'stroke-dasharray="4 6" opacity="0.7"/>'
        ),
        (
            '<circle cx="256" cy="252" r="8" fill="#c1121f"/>'
            '<path d="M250 248q6 4 12 0M250 256q6 -4 12 0" stroke="#ffffff" stroke-width="1" fill="none"/>'
        ),
    ]


def motif_documentary(p: Poster) -> list[str]:
    """Topographic contour lines around a few hills, and a river winding through them."""
    rings = []
    for cx, cy, count in ((p.uniform(80, 160), p.uniform(120, 200), 9), (p.uniform(240, 330), p.uniform(300, 380), 11)):
        waves = [(k, p.uniform(0.04, 0.1), p.uniform(0, math.tau)) for k in (2, 3, 5)]
        for level in range(1, count + 1):
            radius = level * 17
            outline = [
                (
                    cx + radius * math.cos(t) * (1 + sum(a * math.sin(k * t + ph) for k, a, ph in waves)),
                    cy + radius * math.sin(t) * 0.8 * (1 + sum(a * math.cos(k * t + ph) for k, a, ph in waves)),
                )
                for t in (i * math.tau / 48 for i in range(48))
            ]
            opacity = 0.75 - level * 0.045
            rings.append(
                f'<polygon points="{points(outline)}" fill="none" stroke="{p.accent}" '
                f'stroke-width="{1.6 if level % 4 == 0 else 0.9}" opacity="{fmt(opacity)}"/>'
            )
    river = "M-10 40C120 90 60 200 180 250S350 300 260 420S120 520 200 620"
    return [
        p.sky(p.dark, shade(p.dark, 0.4), mix(p.dark, p.accent, 0.1)),
        "".join(rings),
        f'<path d="{river}" stroke="{p.ink}" stroke-width="26" fill="none" opacity="0.8"/>',
        (
            f'<path d="{river}" stroke="{p.glow}" stroke-width="2" fill="none" opacity="0.9" stroke-dasharray="1 7" '
            f'stroke-linecap="round"/>'
        ),
        f'<circle cx="320" cy="120" r="26" fill="none" stroke="{p.paper}" stroke-width="2"/>',
        f'<circle cx="320" cy="120" r="4" fill="{p.paper}"/>',
    ]


def motif_thriller(p: Poster) -> list[str]:
    """Glass shattered from one impact point, a red target behind it and a shadow walking away."""
    ix, iy = p.uniform(150, 250), p.uniform(210, 280)
    cracks = []
    angles = sorted(p.uniform(0, math.tau) for _ in range(16))
    for angle in angles:
        x, y, line, heading = ix, iy, [(ix, iy)], angle
        for _ in range(7):
            heading += p.uniform(-0.18, 0.18)
            step = p.uniform(40, 90)
            x, y = x + step * math.cos(heading), y + step * math.sin(heading)
            line.append((x, y))
        cracks.append(line)
    rings = []
    for radius in (24, 55, 95, 150):
        ring = [
            (ix + radius * math.cos(a) * p.uniform(0.85, 1.15), iy + radius * math.sin(a) * p.uniform(0.85, 1.15))
            for a in angles
        ]
        rings.append(f'<polygon points="{points(ring)}"/>')
    shards = "".join(f'<polyline points="{points(line)}"/>' for line in cracks)
    return [
        p.sky(p.ink, p.dark, shade(p.dark, 0.2)),
        p.glow_disc("target", (ix, iy), 220, p.accent, 0.55),
        (
            f'<circle cx="{fmt(ix)}" cy="{fmt(iy)}" r="70" fill="none" stroke="{p.accent}" stroke-width="10" '
            f'opacity="0.8"/>'
        ),
        f'<circle cx="{fmt(ix)}" cy="{fmt(iy)}" r="26" fill="{p.accent}"/>',
        figure(ix + 2, 460, 120, p.ink),
        (
            f'<polygon points="{points([(ix - 8, 460), (ix + 12, 460), (ix + 150, 600), (ix - 40, 600)])}" '
            f'fill="{p.ink}" opacity="0.85"/>'
        ),
        f'<g fill="none" stroke="#ffffff" stroke-width="1.1" opacity="0.75">{shards}{"".join(rings)}</g>',
    ]


def motif_crime(p: Poster) -> list[str]:
    """Noir: venetian-blind light across a foggy room and a man in a fedora."""
    light = tint(p.accent, 0.3)
    slats = "".join(
        f'<polygon points="{points([(60, 40 + i * 30), (420, -20 + i * 30), (420, -6 + i * 30), (60, 54 + i * 30)])}"/>'
        for i in range(12)
    )
    return [
        p.sky(p.ink, mix(p.dark, p.accent, 0.2), p.dark),
        p.glow_disc("lamp", (280, 170), 320, p.accent, 0.45),
        f'<g fill="{light}" opacity="0.35" transform="skewX(-8)">{slats}</g>',
        f'<rect x="0" y="0" width="58" height="{H}" fill="{p.ink}" opacity="0.7"/>',
        f'<line x1="0" y1="420" x2="{W}" y2="420" stroke="{p.glow}" stroke-width="1" opacity="0.4"/>',
        figure(150, 420, 190, p.ink, hat=True),
        f'<polygon points="{points([(130, 420), (170, 420), (330, 600), (60, 600)])}" fill="{p.ink}" opacity="0.8"/>',
    ]


def motif_mystery(p: Poster) -> list[str]:
    """Backwaters at night: palms, an empty houseboat and a moon trembling on the water."""
    horizon = 350
    moon_x = p.uniform(240, 300)
    mist = p.blur("mist", 10)
    ripples = "".join(
        f'<rect x="{fmt(moon_x - width / 2 + p.uniform(-10, 10))}" y="{fmt(horizon + 10 + i * 12)}" '
        f'width="{fmt(width)}" height="2" rx="1"/>'
        for i, width in enumerate([p.uniform(20, 70) for _ in range(12)])
    )
    boat = (
        f'<path d="M130 {horizon + 22}Q200 {horizon + 44} 270 {horizon + 22}L258 {horizon + 14}H142Z"/>'
        f'<path d="M150 {horizon + 14}Q200 {horizon - 24} 250 {horizon + 14}Z"/>'
    )
    water = p.linear("water", [(0, mix(p.dark, p.accent, 0.15), 1), (1, p.ink, 1)])
    return [
        p.sky(p.ink, mix(p.dark, p.accent, 0.3), p.dark),
        stars(p, 60, 300),
        p.glow_disc("moonglow", (moon_x, 150), 160, p.accent, 0.5),
        f'<circle cx="{fmt(moon_x)}" cy="150" r="38" fill="{p.paper}"/>',
        skyline_polygon(ridge(p, horizon, 8, 2), p.ink),
        f'<rect y="{horizon}" width="{W}" height="{H - horizon}" fill="{water}"/>',
        f'<g fill="{p.paper}" opacity="0.5">{ripples}</g>',
        f'<g fill="{p.ink}">{boat}</g>',
        f'<ellipse cx="200" cy="{horizon + 50}" rx="70" ry="6" fill="{p.ink}" opacity="0.5"/>',
        (
            f'<g filter="{mist}" fill="{p.glow}" opacity="0.25">'
            f'<rect x="-20" y="{horizon - 30}" width="440" height="26" rx="13"/>'
            f'<rect x="60" y="{horizon + 40}" width="300" height="18" rx="9"/></g>'
        ),
        palm(40, horizon + 10, 220, 40, p.ink),
        palm(350, horizon + 10, 190, -30, p.ink),
        palm(385, horizon + 10, 250, -45, p.ink),
    ]


def motif_musical(p: Poster) -> list[str]:
    """A vinyl record rising like a sun, sound waves and floating notes."""
    grooves = "".join(f'<circle cx="200" cy="230" r="{r}" />' for r in range(52, 150, 7))
    waves = []
    for k in range(16):
        phase, amp = p.uniform(0, math.tau), 10 + k * 3.2
        line = [
            (x, 330 + k * 3 + amp * math.sin(x / 34 + phase) * math.sin(x / W * math.pi)) for x in range(0, W + 10, 10)
        ]
        waves.append(f'<polyline points="{points(line)}" opacity="{fmt(0.15 + k * 0.045)}"/>')
    notes = []
    for _ in range(7):
        x, y, s = p.uniform(30, 370), p.uniform(60, 420), p.uniform(0.7, 1.3)
        notes.append(
            f'<g transform="translate({fmt(x)} {fmt(y)}) scale({fmt(s)})">'
            f'<ellipse cx="0" cy="0" rx="7" ry="5" '
            f'transform="rotate(-20)"/><rect x="5" y="-30" width="2.2" height="30"/>'
            f'<path d="M7 -30q10 6 8 18q-2 -8 -8 -10z"/></g>'
        )
    return [
        p.sky(p.ink, mix(p.dark, p.accent, 0.35), p.dark),
        p.glow_disc("spot", (200, 230), 260, p.accent, 0.6),
        f'<circle cx="200" cy="230" r="150" fill="{p.ink}"/>',
        f'<g fill="none" stroke="{p.mid}" stroke-width="1" opacity="0.8">{grooves}</g>',
        f'<circle cx="200" cy="230" r="44" fill="{p.accent}"/><circle cx="200" cy="230" r="5" fill="{p.ink}"/>',
        '<path d="M150 140A110 110 0 0 1 290 170" stroke="#ffffff" stroke-width="6" fill="none" opacity="0.12"/>',
        f'<g fill="none" stroke="{p.glow}" stroke-width="1.6">{"".join(waves)}</g>',
        f'<g fill="{p.paper}" opacity="0.85">{"".join(notes)}</g>',
    ]


def motif_fantasy(p: Poster) -> list[str]:
    """A temple tower on a hill against a blazing halo, embers rising."""
    halo_rings = "".join(
        f'<circle cx="200" cy="220" r="{r}" fill="none" stroke="{p.glow}" stroke-width="{w}" opacity="{o}"/>'
        for r, w, o in ((120, 2, 0.6), (140, 1, 0.4), (175, 6, 0.15))
    )
    rays = "".join(
        polygon([(200, 220), polar((200, 220), 420, a - 0.04), polar((200, 220), 420, a + 0.04)])
        for a in (i * math.tau / 18 for i in range(18))
    )
    tiers = "".join(
        f'<rect x="{fmt(200 - (70 - i * 10))}" y="{fmt(400 - (i + 1) * 24)}" width="{fmt(2 * (70 - i * 10))}" '
        f'height="24" rx="2"/>'
        for i in range(6)
    )
    pediments = "".join(
        f'<rect x="{fmt(126 + i * 10)}" y="{fmt(376 - i * 24)}" width="{fmt(148 - i * 20)}" height="4"/>'
        for i in range(6)
    )
    crown = '<path d="M180 256Q200 220 220 256Z"/><circle cx="200" cy="226" r="5"/>'
    embers = "".join(
        f'<circle cx="{fmt(p.uniform(0, W))}" cy="{fmt(p.uniform(120, 520))}" r="{fmt(p.uniform(0.8, 3))}" '
        f'opacity="{fmt(p.uniform(0.3, 1))}"/>'
        for _ in range(70)
    )
    sun = p.radial("sun", [(0, "#ffffff", 1), (0.5, tint(p.accent, 0.3), 1), (1, p.accent, 1)])
    return [
        p.sky(p.ink, shade(p.accent, 0.35), mix(p.dark, p.accent, 0.25)),
        f'<g fill="{p.accent}" opacity="0.12">{rays}</g>',
        p.glow_disc("halo", (200, 220), 300, p.accent, 0.7),
        halo_rings,
        f'<circle cx="200" cy="220" r="100" fill="{sun}"/>',
        skyline_polygon(ridge(p, 430, 30, 0.7), shade(p.dark, 0.3)),
        f'<g fill="{p.ink}">{tiers}{pediments}{crown}<path d="M100 430Q200 370 300 430Z"/></g>',
        f'<g fill="{tint(p.accent, 0.4)}">{embers}</g>',
        skyline_polygon(ridge(p, 470, 16, 1.2), p.ink),
    ]


def motif_adventure(p: Poster) -> list[str]:
    """A striped desert sun over rolling dunes, and a small caravan on the crest."""
    sun = p.linear("sun", [(0, "#fff1c1", 1), (1, p.accent, 1)])
    stripes = "".join(
        f'<rect x="60" y="{fmt(250 + i * 13)}" width="280" height="{fmt(2 + i * 1.4)}"/>' for i in range(6)
    )
    dunes = []
    for i in range(4):
        base = 350 + i * 55
        shape = (
            f"M0 {base + p.uniform(-20, 20):.0f}C120 {base - 60 + p.uniform(-20, 20):.0f} 220 "
            f"{base + 40:.0f} {W} {base - 30 + p.uniform(-15, 15):.0f}V{H}H0Z"
        )
        dunes.append(f'<path d="{shape}" fill="{mix(p.accent, p.ink, 0.25 + i * 0.22)}"/>')
    caravan = "".join(camel(x, 354 - (x - 140) * 0.08, 0.9 - i * 0.15) for i, x in enumerate((150, 190, 222)))
    return [
        p.sky(shade(p.dark, 0.3), tint(p.accent, 0.2), mix(p.dark, p.accent, 0.55)),
        p.glow_disc("sunglow", (200, 260), 230, "#fff1c1", 0.55),
        f'<circle cx="200" cy="260" r="110" fill="{sun}"/>',
        f'<g fill="{mix(p.dark, p.accent, 0.55)}">{stripes}</g>',
        birds(p, 5, (110, 130), 50, p.ink),
        dunes[0],
        f'<g fill="{p.ink}">{caravan}</g>',
        *dunes[1:],
    ]


def camel(x: float, ground: float, scale: float) -> str:
    outline = [
        (-14, -14),
        (-12, -20),
        (-6, -22),
        (-2, -28),
        (3, -22),
        (8, -22),
        (12, -28),
        (16, -27),
        (17, -24),
        (13, -22),
        (12, -14),
        (10, 0),
        (8, 0),
        (8, -12),
        (-8, -12),
        (-9, 0),
        (-11, 0),
        (-11, -12),
    ]
    return f'<polygon points="{points((x + px * scale * 1.2, ground + py * scale * 1.2) for px, py in outline)}"/>'


def motif_comedy(p: Poster) -> list[str]:
    """Pop-art sunburst and halftone dots around a ring road jammed with traffic, seen from above."""
    second = rotate_hue(p.accent, 180, 0.65)
    wedges = "".join(
        polygon([(200, 250), polar((200, 250), 600, a), polar((200, 250), 600, a + math.tau / 36)])
        for a in (i * math.tau / 18 for i in range(18))
    )
    dots = "".join(
        f'<circle cx="{x}" cy="{y}" r="{fmt(max(0.4, 5 - math.hypot(x - 400, y) / 60))}"/>'
        for y in range(8, 300, 14)
        for x in range(8 + (y // 14 % 2) * 7, W, 14)
        if math.hypot(x - 400, y) < 300
    )
    colours = [p.accent, second, p.paper, rotate_hue(p.accent, 60, 0.7), rotate_hue(p.accent, 240, 0.6)]
    traffic = [
        vehicle(p, math.radians(a + p.uniform(-2, 2)), p.rng.choice(colours))
        for a in range(0, 360, 15)
        if p.rng.random() < 0.8
    ]
    heart = "M200 300C110 240 140 170 200 212C260 170 290 240 200 300Z"
    smile = "M160 240q40 50 80 0"
    centre = (
        f'<path d="{heart}" fill="{p.accent}" stroke="{p.ink}" stroke-width="4"/>'
        if "Romance" in p.movie["genres"]
        else f'<path d="{smile}" stroke="{p.accent}" stroke-width="10" fill="none" stroke-linecap="round"/>'
    )
    return [
        f'<rect width="{W}" height="{H}" fill="{p.dark}"/>',
        f'<g fill="{mix(p.dark, second, 0.3)}">{wedges}</g>',
        f'<g fill="{p.accent}" opacity="0.55">{dots}</g>',
        f'<circle cx="200" cy="250" r="146" fill="{p.ink}" opacity="0.35"/>',
        f'<circle cx="200" cy="250" r="120" fill="none" stroke="{p.ink}" stroke-width="44"/>',
        (
            f'<circle cx="200" cy="250" r="120" fill="none" stroke="{p.paper}" stroke-width="2" '
            f'stroke-dasharray="10 10" opacity="0.5"/>'
        ),
        f'<circle cx="200" cy="250" r="97" fill="{mix(p.dark, second, 0.15)}" stroke="{p.paper}" stroke-width="2"/>',
        *traffic,
        centre,
    ]


def polar(centre: tuple[float, float], radius: float, angle: float) -> tuple[float, float]:
    return centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle)


def vehicle(p: Poster, angle: float, colour: str) -> str:
    """A car (or now and then a scooter) on the ring road at ``angle``, seen from above."""
    lane = 120 + p.rng.choice((-10, 10))
    x, y = polar((200, 250), lane, angle)
    turn = f'transform="translate({fmt(x)} {fmt(y)}) rotate({fmt(math.degrees(angle))})"'
    if p.rng.random() < 0.2:
        return (
            f'<g {turn}><rect x="-2.5" y="-9" width="5" height="18" rx="2.5" fill="{colour}"/>'
            f'<circle cx="0" cy="1" r="3.5" fill="{p.ink}"/></g>'
        )
    return (
        f'<g {turn}><rect x="-6" y="-10" width="12" height="20" rx="3.5" fill="{colour}"/>'
        f'<rect x="-4.5" y="3" width="9" height="4" rx="1" fill="{p.ink}" opacity="0.7"/>'
        f'<rect x="-4.5" y="-7" width="9" height="3" rx="1" fill="{p.ink}" opacity="0.7"/></g>'
    )


def mountains(p: Poster, base: float, height: float, peaks: int) -> list[tuple[float, float]]:
    """A natural-looking mountain skyline: a few peaks refined by midpoint displacement."""
    line = [(0.0, base - p.uniform(0.1, 0.4) * height)]
    for i in range(peaks):
        x = W * (i + p.uniform(0.3, 0.7)) / peaks
        line += [(x, base - p.uniform(0.65, 1) * height), (x + W / peaks / 2, base - p.uniform(0.2, 0.45) * height)]
    line.append((float(W), base - p.uniform(0.1, 0.4) * height))
    spread = height * 0.18
    for _ in range(4):
        refined = [line[0]]
        for (x0, y0), (x1, y1) in pairwise(line):
            refined += [((x0 + x1) / 2, (y0 + y1) / 2 + p.uniform(-spread, spread)), (x1, y1)]
        line, spread = refined, spread * 0.55
    return line


def snow_cap(p: Poster, ridge_line: list[tuple[float, float]], snowline: float) -> list[tuple[float, float]]:
    """Outline of the snow on a ridge: the ridge itself, back along a ragged edge that hangs lower on high peaks."""
    edge = [(x, y if y >= snowline else y + (snowline - y) * p.uniform(0.35, 0.6)) for x, y in reversed(ridge_line)]
    return [*ridge_line, *edge]


def motif_landscape(p: Poster) -> list[str]:
    """Family dramas: layered Himalayan ridges in mist, snow on the far peaks, a low sun and birds."""
    if "Family" not in p.movie["genres"]:
        return motif_road(p)
    sun_x = p.uniform(120, 280)
    far = mountains(p, 300, 170, 3)
    mist = p.linear("mist", [(0, p.glow, 0), (0.6, p.glow, 0.3), (1, p.glow, 0)])
    layers = [
        skyline_polygon(far, mix(p.dark, p.glow, 0.35)),
        f'<polygon points="{points(snow_cap(p, far, 215))}" fill="{tint(p.accent, 0.8)}"/>',
    ]
    for i in range(1, 4):
        line = mountains(p, 300 + i * 45, 90 - i * 18, 2 + i)
        layers.append(f'<rect y="{fmt(225 + i * 45)}" width="{W}" height="70" fill="{mist}"/>')
        layers.append(skyline_polygon(line, mix(p.mid, p.ink, 0.2 + i * 0.22)))
    return [
        p.sky(p.dark, tint(p.accent, 0.3), mix(p.dark, p.accent, 0.45)),
        p.glow_disc("sunglow", (sun_x, 130), 200, "#ffffff", 0.55),
        f'<circle cx="{fmt(sun_x)}" cy="130" r="34" fill="#fffaf0" opacity="0.95"/>',
        birds(p, 6, (sun_x + 40, 90), 60, p.ink),
        *layers,
    ]


def road_centre(t: float) -> tuple[float, float, float]:
    """Point ``t`` (0 at the horizon, 1 at the bottom edge) of a winding road: centre x, y and half-width."""
    return 200 + 70 * math.sin(t * 4.2) * t, 300 + 300 * t**1.4, 2 + 150 * t**2


def pilgrim(p: Poster, t: float, flag: bool) -> str:
    x, y, _ = road_centre(t)
    height = 5 + 110 * t
    x += p.uniform(-0.15, 0.15) * height
    shapes = figure(x, y, height, p.ink)
    if flag:
        pole, top = x + height * 0.16, y - height * 1.3
        pennant = [(pole, top), (pole + height * 0.4, top + height * 0.1), (pole, top + height * 0.2)]
        shapes += (
            f'<line x1="{fmt(pole)}" y1="{fmt(y - height * 0.5)}" x2="{fmt(pole)}" y2="{fmt(top)}" '
            f'stroke="{p.ink}" stroke-width="{fmt(max(0.8, height / 40))}"/>'
            f'<polygon points="{points(pennant)}" fill="{p.accent}"/>'
        )
    return shapes


def motif_road(p: Poster) -> list[str]:
    """Dramas: a long road across fields to a low sun, pilgrims and their flags walking into the light."""
    horizon, sun = 300, (200, 296)
    samples = [road_centre(k / 40) for k in range(41)]
    road = [(x - w, y) for x, y, w in samples] + [(x + w, y) for x, y, w in reversed(samples)]
    fields = "".join(
        f'<path d="M0 {fmt(y + 8)}Q200 {fmt(y)} {W} {fmt(y + 10)}"/>'
        for y in (horizon + i * i * 5 for i in range(1, 10))
    )
    walkers = [pilgrim(p, t, flag=k % 2 == 0) for k, t in enumerate((0.06, 0.14, 0.24, 0.36))]
    groves = "".join(
        f'<circle cx="{fmt(x)}" cy="{fmt(horizon - 4 - size * 0.8)}" r="{fmt(size)}"/>'
        f'<rect x="{fmt(x - 1)}" y="{fmt(horizon - 6)}" width="2" height="6"/>'
        for x, size in ((p.uniform(0, W), p.uniform(4, 13)) for _ in range(14))
        if abs(x - 200) > 50
    )
    return [
        p.sky(p.dark, tint(p.accent, 0.25), mix(p.dark, p.accent, 0.55)),
        p.glow_disc("sunglow", sun, 260, "#fff4d6", 0.75),
        f'<circle cx="{sun[0]}" cy="{sun[1]}" r="54" fill="#fff6e0"/>',
        birds(p, 7, (150, 170), 70, p.ink),
        skyline_polygon(ridge(p, horizon + 2, 7, 1.3), mix(p.dark, p.accent, 0.35)),
        f'<g fill="{mix(p.dark, p.ink, 0.4)}">{groves}</g>',
        f'<rect y="{horizon}" width="{W}" height="{H - horizon}" fill="{mix(p.dark, p.accent, 0.2)}"/>',
        f'<g fill="none" stroke="{p.ink}" stroke-width="1.2" opacity="0.5">{fields}</g>',
        f'<polygon points="{points(road)}" fill="{tint(p.accent, 0.45)}" opacity="0.9"/>',
        *reversed(walkers),
    ]


MOTIFS: dict[str, Callable[[Poster], list[str]]] = {
    "Sci-Fi": motif_scifi,
    "Horror": motif_horror,
    "Romance": motif_romance,
    "Action": motif_action,
    "Animation": motif_animation,
    "Sports": motif_sports,
    "Documentary": motif_documentary,
    "Thriller": motif_thriller,
    "Crime": motif_crime,
    "Mystery": motif_mystery,
    "Musical": motif_musical,
    "Fantasy": motif_fantasy,
    "Adventure": motif_adventure,
    "Comedy": motif_comedy,
}
WEAK_GENRES = {"Drama", "Family"}  # only used when a movie has no more distinctive genre


def choose_motif(genres: list[str]) -> Callable[[Poster], list[str]]:
    for genre in genres:
        if genre in MOTIFS and genre not in WEAK_GENRES:
            return MOTIFS[genre]
    return motif_landscape


# ---------------------------------------------------------------- typography


def text_width(text: str, size: float, factor: float = 1.0) -> float:
    return sum(NARROW_CHARS.get(char, WIDE_CHARS.get(char, DEFAULT_WIDTH)) for char in text.upper()) * size * factor


def split_title(words: list[str], lines: int) -> Iterable[list[str]]:
    for cuts in combinations(range(1, len(words)), lines - 1):
        bounds = (0, *cuts, len(words))
        yield [" ".join(words[a:b]) for a, b in pairwise(bounds)]


def layout_title(title: str, max_width: float = W - 2 * MARGIN) -> tuple[list[str], float]:
    """Pick 1-3 lines and a font size so the title is as big as possible without overflowing."""
    words = title.upper().split()
    best: tuple[float, list[str], float] = (0, [title.upper()], 20)
    for count in range(1, min(3, len(words)) + 1):
        for lines in split_title(words, count):
            block_cap = MAX_TITLE_BLOCK / (0.9 * (count - 1) + 0.75)  # keep the art above the title visible
            size = min(118, block_cap, *(max_width / text_width(line, 1) for line in lines))
            score = size * (1 - 0.06 * (count - 1))
            if score > best[0]:
                best = (score, lines, size)
    return best[1], best[2]


def wrap(text: str, size: float, max_width: float, factor: float) -> list[str]:
    """One line if it fits, else two lines of balanced width (the tagline never needs more)."""
    words = text.split()
    if len(words) < 2 or text_width(text, size, factor) <= max_width:
        return [text]
    return min(split_title(words, 2), key=lambda lines: max(text_width(line, size, factor) for line in lines))


def fitted_text(
    text: str, x: float, y: float, size: float, attrs: str, *, spacing: float = 0, factor: float = 1.0
) -> str:
    """A centred text line; if its estimated width exceeds the poster's text width, lock it with textLength."""
    estimate = text_width(text, size, factor) + spacing * len(text)
    lock = f' textLength="{fmt(W - 2 * MARGIN)}" lengthAdjust="spacingAndGlyphs"' if estimate > W - 2 * MARGIN else ""
    spacing_attr = f' letter-spacing="{spacing}"' if spacing else ""
    return f'<text x="{fmt(x)}" y="{fmt(y)}" font-size="{fmt(size)}"{spacing_attr}{lock} {attrs}>{escape(text)}</text>'


def title_block(p: Poster) -> list[str]:
    lines, size = layout_title(p.movie["title"])
    step = size * 0.9
    fill = p.linear("title", [(0, "#ffffff", 1), (1, p.paper, 1)])
    font = f'font-family="{TITLE_FONT}" font-weight="bold" text-anchor="middle"'
    parts = []
    for index, line in enumerate(lines):
        y = TITLE_BASELINE - (len(lines) - 1 - index) * step
        width = fmt(text_width(line, size))
        common = f'font-size="{fmt(size)}" textLength="{width}" lengthAdjust="spacingAndGlyphs" {font}'
        parts.append(f'<text x="202.5" y="{fmt(y + 2.5)}" fill="{p.ink}" opacity="0.6" {common}>{escape(line)}</text>')
        parts.append(f'<text x="200" y="{fmt(y)}" fill="{fill}" {common}>{escape(line)}</text>')
    return parts


def credits(p: Poster) -> list[str]:
    movie = p.movie
    small = f'font-family="{SMALL_FONT}" text-anchor="middle"'
    tagline = wrap(movie["tagline"], 14, W - 2 * MARGIN, 0.9)
    parts = [
        fitted_text("MOVIE MAGIC PRESENTS", 200, 34, 10.5, f'fill="{p.paper}" opacity="0.9" {small}', spacing=4.5),
        fitted_text(
            "   ".join(name.upper() for name in movie["cast"][:4]),
            200,
            52,
            9,
            f'fill="{p.paper}" opacity="0.7" {small}',
            spacing=1.5,
        ),
    ]
    parts.extend(
        fitted_text(line, 200, 520 + i * 17, 14, f'fill="{p.paper}" font-style="italic" {small}', factor=0.9)
        for i, line in enumerate(tagline)
    )
    if movie.get("kind"):  # an event: who presents it, and that it is live
        footer = f"PRESENTED BY {movie['director'].upper()}"
        when = f"LIVE  \u00b7  {movie['kind'].upper()}  \u00b7  {movie['certificate']}"
    else:
        released = date.fromisoformat(movie["release_date"])
        footer = f"DIRECTED BY {movie['director'].upper()}"
        when = f"IN CINEMAS {released.day} {released.strftime('%B').upper()}  \u00b7  {movie['certificate']}"
    parts.append(fitted_text(footer, 200, 566, 9, f'fill="{p.paper}" opacity="0.75" {small}', spacing=2))
    parts.append(fitted_text(when, 200, 583, 9.5, f'fill="{p.accent}" font-weight="bold" {small}', spacing=2.5))
    return parts


# ---------------------------------------------------------------- assembly


def finishing(p: Poster) -> list[str]:
    """Darken the bottom for the type, add a vignette and a fine film grain."""
    shade_fill = p.linear("fade", [(0, p.ink, 0), (0.45, p.ink, 0.55), (1, p.ink, 0.95)])
    vignette = p.radial("vignette", [(0.55, "#000000", 0), (1, "#000000", 0.6)], cy=0.45)
    grain = f"{p.uid}-grain"
    p.defs.append(
        f'<filter id="{grain}" x="0" y="0" width="100%" height="100%">'
        f'<feTurbulence type="fractalNoise" baseFrequency="0.9" numOctaves="2" seed="{p.rng.randrange(1000)}" '
        f'stitchTiles="stitch"/><feColorMatrix type="matrix" values="0 0 0 0 1  0 0 0 0 1  0 0 0 0 1  0 0 0 0.14 0"/>'
        "</filter>"
    )
    return [
        f'<rect y="330" width="{W}" height="{H - 330}" fill="{shade_fill}"/>',
        f'<rect width="{W}" height="{H}" fill="{vignette}"/>',
        f'<rect width="{W}" height="{H}" filter="url(#{grain})" opacity="0.5"/>',
    ]


def render(movie: dict) -> str:
    p = Poster(movie)
    art = choose_motif(movie["genres"])(p)
    overlay = finishing(p)
    text = title_block(p) + credits(p)
    label = escape(f"Poster for {movie['title']}: {movie['tagline']}")
    body = "\n".join([f"<title>{label}</title>", f"<defs>{''.join(p.defs)}</defs>", *art, *overlay, *text])
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
        f'role="img">\n{body}\n</svg>\n'
    )


def main() -> None:
    movies = json.loads(MOVIES_FILE.read_text(encoding="utf-8"))
    movies += json.loads(EVENTS_FILE.read_text(encoding="utf-8"))["events"]
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for movie in movies:
        path = ASSETS / movie["poster"]
        path.write_text(render(movie), encoding="utf-8")
        motif = choose_motif(movie["genres"]).__name__
        print(f"{path.relative_to(ASSETS.parent)}: {path.stat().st_size // 1024} KiB ({motif})")


if __name__ == "__main__":
    main()
