"""/assets serves posters, layouts and fonts, never source code: generators live in tools/."""

from __future__ import annotations

import re
from pathlib import Path

import nicegui
from nicegui import ui
from nicegui.testing import User as SimulatedUser

from components.theme import PRELOADED_FONTS
from services.settings import Settings
from tests.conftest import ROOT
from tests.tools import load_tool


def test_no_python_file_lives_under_the_served_folder() -> None:
    assert sorted((ROOT / "assets").rglob("*.py")) == []
    assert (ROOT / "tools" / "make_posters.py").is_file()


async def test_assets_serve_posters_but_not_the_generators(app_env: Settings, user: SimulatedUser) -> None:
    # app_env first: it points main.py at the test's tables before the user fixture starts it (else main.py would
    # start an embedded backend in this process, and its snapshot would replace the shared test server's state).
    poster = await user.http_client.get("/assets/posters/station-zero.svg")
    assert poster.status_code == 200 and poster.text.lstrip().startswith("<svg")
    for path in ("/assets/posters/make_posters.py", "/assets/catalog/make_layouts.py", "/assets/fonts/make_fonts.py",
                 "/assets/../main.py", "/assets/..%2Fmain.py"):
        assert (await user.http_client.get(path)).status_code == 404, path


async def test_every_demo_poster_has_its_raster_card_and_the_grid_uses_it(app_env: Settings,
                                                                         user: SimulatedUser) -> None:
    """A grid card shows the WebP copy (tools/poster_cards.py: an SVG image is drawn on the main thread);
    the movie page keeps the sharp SVG."""
    assert load_tool("poster_cards").problems() == []
    await user.open("/?city=Mumbai")
    card = next(iter(user.find(marker="movie-card").elements))
    markup = next(child for child in card.default_slot.children).props["innerHTML"]
    source = re.search(r'src="(/assets/posters/[^"]+)"', markup)
    assert source and source.group(1).endswith("-card.webp")
    image = await user.http_client.get(source.group(1))
    assert image.status_code == 200 and image.headers["content-type"] == "image/webp"
    await user.open(card.props["href"])
    hero = [element.props.get("src", "") for element in user.find(kind=ui.element).elements
            if element.tag == "img"]
    assert any(src.endswith(".svg") for src in hero)


async def test_the_preloaded_fonts_are_the_ones_nicegui_draws_with(app_env: Settings, user: SimulatedUser) -> None:
    """The preloads name NiceGUI's hashed font files: after a NiceGUI upgrade renames them, this fails instead
    of every page fetching three missing files."""
    fonts_css = (Path(nicegui.__file__).parent / "static" / "fonts.css").read_text()
    page = (await user.http_client.get("/login")).text
    for name in PRELOADED_FONTS:
        assert f"fonts/{name}.woff2" in fonts_css
        href = f"/_nicegui/{nicegui.__version__}/static/fonts/{name}.woff2"
        assert f'rel="preload" as="font" type="font/woff2" crossorigin href="{href}"' in page
        assert (await user.http_client.get(href)).status_code == 200
