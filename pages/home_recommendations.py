"""The home page's recommendation rows (issue 15): "Because you watched …" for a customer with a history
and "Popular in <city> this week" for everyone, from services/engage/recommendations.py."""

from __future__ import annotations

from urllib.parse import urlencode

from nicegui import ui

from components.movie_card import movie_card
from components.service_call import call
from components.session import current_user
from services.catalog.models import Listing
from services.container import Services
from services.engage.recommendations import Recommendations
from services.engage.reviews import RatingSummary
from services.i18n import t


async def load_recommendations(services: Services, city: str) -> tuple[Recommendations, dict[str, RatingSummary]]:
    """What the rows show, read before the page is built (the rows then build at once)."""
    user = current_user()
    recs = await call(services.engage.recommendations.for_city, user.user_id if user else None, city)
    shown = [listing.movie.movie_id for listing in (*recs.for_you, *recs.popular)]
    audience = await call(services.engage.reviews.summaries, shown) if shown else {}
    return recs, audience


def recommendation_rows(services: Services, city: str, recs: Recommendations,
                        audience: dict[str, RatingSummary]) -> None:
    if recs.because and recs.for_you:
        _row(t("Because you watched {title}", title=recs.because), recs.for_you, city, services, audience,
             "recs-for-you")
    if recs.popular:
        _row(t("Popular in {city} this week", city=city), recs.popular, city, services, audience, "recs-popular")


def _row(title: str, listings: list[Listing], city: str, services: Services, audience: dict[str, RatingSummary],
         marker: str) -> None:
    with ui.column().classes("w-full gap-2").mark(marker):
        ui.label(title).classes("mm-title text-xl text-white")
        # A strip that scrolls sideways on a phone; cards keep the grid's width.
        with ui.row().classes("w-full gap-4 flex-nowrap overflow-x-auto pb-2"):
            for listing in listings:
                with ui.element("div").classes("shrink-0 w-40 sm:w-44"):
                    movie_card(listing, f"/movie/{listing.movie.movie_id}?{urlencode({'city': city})}",
                               services.settings.currency, audience.get(listing.movie.movie_id))
