"""A poster's thumbnail and its "Replace poster" upload, in the staff console's movie and event editors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import events, ui

from components.movie_card import poster_url
from services.catalog.models import Movie
from services.catalog.posters import MAX_BYTES
from services.errors import DomainError
from services.i18n import t


def poster_picker(item: Movie, upload: Callable[[bytes], Awaitable[Movie]], *, refused: Callable[[str], object],
                  saved: Callable[[Movie], None], marker: str) -> None:
    """``upload`` sends the image through the service's poster pipeline and returns the item as stored now; the
    thumbnail then shows the new poster and ``saved`` gets the item. A refusal's message goes to ``refused``.
    Markers: ``<marker>-image`` (the thumbnail) and ``<marker>`` (the upload)."""
    poster = ui.image(poster_url(item, "card")).classes("w-20 shrink-0").props(
        f'alt="{t("Poster of {title}", title=item.title)}"').mark(f"{marker}-image")

    async def uploaded(event: events.UploadEventArguments) -> None:
        try:
            fresh = await upload(await event.file.read())
        except DomainError as exc:
            refused(exc.message)
            return
        poster.set_source(poster_url(fresh, "card"))
        saved(fresh)
        ui.notify(t("Poster saved."), type="positive")

    ui.upload(label=t("Replace poster (PNG, JPEG, WebP, up to 5 MB)"), on_upload=uploaded, auto_upload=True,
              max_file_size=MAX_BYTES).props('accept="image/png,image/jpeg,image/webp" dark flat').classes(
        "max-w-[18rem]").mark(marker)
