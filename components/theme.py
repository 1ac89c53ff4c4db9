"""The dark "cinema" theme: colours, type and a few shared CSS rules, applied once per page."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nicegui
from nicegui import ui

from components.display import apply_display
from components.heading import CSS as HEADING_CSS
from components.language import set_html_lang
from services.i18n import language, t

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
/* "Skip to content": the first thing a keyboard reaches; out of sight until focused. */
.mm-skip {{ position: fixed; left: 8px; top: -80px; z-index: 10000; padding: 12px 18px; border-radius: 10px;
            background: #fff; color: #0b0b12; font-weight: 700; text-decoration: none; }}
.mm-skip:focus {{ top: 8px; outline: 3px solid {ACCENT}; }}
#main-content:focus {{ outline: none; }}
.q-field--dark .q-field__control {{ background: rgba(255,255,255,.04); }}
/* Contrast (WCAG 4.5:1): the brand red and the status colours are too dark as text on our dark surfaces and too
   light under white text, so text takes a lighter tint and filled badges a darker one (Quasar reads the variable). */
.text-primary:not(.q-icon) {{ --q-primary: #fb7185; }}
.text-negative {{ --q-negative: #fb7185; }}
.bg-positive {{ --q-positive: #15803d; }}
.bg-negative {{ --q-negative: #be123c; }}
.bg-info {{ --q-info: #0369a1; }}
/* Touch targets of at least 44 px on phones (WCAG 2.5.5): chips, dense and round buttons, list links. */
@media (max-width: 639.98px) {{
  .mm-chip {{ min-height: 44px; display: inline-flex; align-items: center; }}
  .q-btn {{ min-height: 44px; }}
  .q-btn.q-btn--dense, .q-btn.q-btn--round, .mm-tap {{ min-height: 44px; min-width: 44px; }}
  .mm-tap, a.nicegui-link.text-accent {{ display: inline-flex; align-items: center; min-height: 44px;
                                         min-width: 44px; }}
  .q-field--dense .q-field__control, .q-field--dense .q-field__marginal {{ min-height: 44px; height: 44px; }}
  .q-toggle, .q-checkbox {{ min-height: 44px; }}
}}
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


# NiceGUI's own font files (static/fonts.css) that every page draws with: Roboto's Latin and Latin-extended
# subsets (one variable font per subset; the rupee sign is in the extended one) and Material Icons.
PRELOADED_FONTS = ("5f5fa57fb07d7e44", "f3c560102a6d7def", "0c19a63c7528cc1a")


def preload_fonts() -> None:
    """Fetch the page's fonts with its stylesheets (called once at start-up). Unannounced, the first layout that
    met a Roboto text stopped to load and decode the font (~30 ms inside Quasar's start-up on every page)."""
    fonts = f"/_nicegui/{nicegui.__version__}/static/fonts"
    for name in PRELOADED_FONTS:
        ui.add_head_html(f'<link rel="preload" as="font" type="font/woff2" crossorigin href="{fonts}/{name}.woff2">',
                         shared=True)


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
    ui.add_css(_CSS + HEADING_CSS)
    ui.query(".nicegui-content").classes("p-0 gap-0")
    apply_display()  # high contrast / larger text, as this browser (or account) chose
    # <html lang> on every page (customer, staff, kiosk), and a name for Quasar's page-loading bar, a progressbar
    # without one (axe: aria-progressbar-name). A page built after its websocket connected (the staff console)
    # is past the point where head and body HTML are sent: there the same script runs over the connection.
    script = (f"document.documentElement.lang = {json.dumps(language())};"
              f"for (const bar of document.querySelectorAll('.q-loading-bar'))"
              f" bar.setAttribute('aria-label', {json.dumps(t('Loading'))});")
    if ui.context.client.has_socket_connection:
        ui.run_javascript(script)
    else:
        set_html_lang()
        ui.add_body_html(f"<script>window.addEventListener('load', () => {{ {script} }});</script>")
