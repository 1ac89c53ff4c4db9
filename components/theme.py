"""The dark "cinema" theme: colours, type and a few shared CSS rules, applied once per page."""

from __future__ import annotations

import hashlib
from pathlib import Path

from nicegui import ui

PRIMARY = "#e11d48"  # marquee red
ACCENT = "#fbbf24"  # usher's-torch gold
SURFACE = "#151522"
BACKGROUND = "#0b0b12"

_CSS = f"""
:root {{ --mm-bg: {BACKGROUND}; --mm-surface: {SURFACE}; --mm-primary: {PRIMARY}; --mm-accent: {ACCENT}; }}
body {{ background: radial-gradient(1200px 600px at 50% -200px, #2a1030 0%, {BACKGROUND} 60%) fixed;
        color: #e8e6f0; font-family: Inter, "Segoe UI", Roboto, "Noto Sans", system-ui, sans-serif; }}
.mm-surface {{ background: {SURFACE}; border: 1px solid rgba(255,255,255,.06); border-radius: 14px; }}
.mm-muted {{ color: #a09cb5; }}
.mm-title {{ font-weight: 800; letter-spacing: -.02em; }}
.mm-chip {{ border: 1px solid rgba(255,255,255,.14); border-radius: 999px; padding: 4px 12px; font-size: .82rem; }}
.mm-poster {{ aspect-ratio: 2 / 3; object-fit: cover; border-radius: 12px;
              box-shadow: 0 10px 30px rgba(0,0,0,.45); background: #222; }}
.mm-card {{ transition: transform .15s ease; }}
.mm-card:hover, .mm-card:focus-visible {{ transform: translateY(-3px); }}
.mm-link {{ color: inherit; text-decoration: none; }}
a:focus-visible, button:focus-visible {{ outline: 2px solid {ACCENT}; outline-offset: 2px; }}
.q-field--dark .q-field__control {{ background: rgba(255,255,255,.04); }}
"""


# Tailwind compiled ahead of time (tools/build_css.py); served with the other assets under /assets.
TAILWIND_CSS = Path(__file__).resolve().parents[1] / "assets" / "css" / "tailwind.css"


def use_compiled_tailwind() -> None:
    """Link the precompiled Tailwind CSS on every page (the app runs with ``ui.run(tailwind=False)``).

    Called once at start-up. The content hash in the URL lets browsers keep the file cached until a rebuild
    changes it. NiceGUI's head declares the layer order (theme, base, quasar, ..., utilities) before this link,
    so Tailwind's layers fall into the same places as with its in-browser script."""
    digest = hashlib.sha256(TAILWIND_CSS.read_bytes()).hexdigest()[:12]
    ui.add_head_html(f'<link rel="stylesheet" href="/assets/css/tailwind.css?v={digest}">', shared=True)


def apply_theme() -> None:
    ui.colors(
        primary=PRIMARY,
        secondary="#7c3aed",
        accent=ACCENT,
        dark=BACKGROUND,
        dark_page=BACKGROUND,  # below short pages too, not Quasar's own #121212
        positive="#22c55e",
        negative="#f43f5e",
        warning="#f59e0b",
        info="#38bdf8",
    )
    ui.dark_mode(True)
    ui.add_css(_CSS)
    ui.query(".nicegui-content").classes("p-0 gap-0")
