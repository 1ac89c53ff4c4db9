"""/assets serves posters, layouts and fonts, never source code: generators live in tools/."""

from __future__ import annotations

from nicegui.testing import User as SimulatedUser

from services.settings import Settings
from tests.conftest import ROOT


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
