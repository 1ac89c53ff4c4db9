"""The movie page's audience reviews (issue 15): the average, your own review (if you saw the movie),
the list sorted by most helpful or newest, helpful votes, and staff hiding a review with a reason.
Review text is always shown as text (``ui.label``), never as HTML."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from components.service_call import call
from components.session import current_user
from services.accounts.users import User
from services.catalog.models import Movie
from services.clock import parse_iso
from services.container import Services
from services.engage.reviews import MAX_TEXT, RatingSummary, Review, Sort
from services.errors import DomainError
from services.formatting import long_date
from services.i18n import t


async def reviews_section(services: Services, movie: Movie) -> None:
    reviews = services.engage.reviews
    user = current_user()
    may_review = user is not None and await call(reviews.may_review, user, movie.movie_id)
    member = await call(services.staff.access.member, user) if user is not None else None
    may_hide = member is not None and member.may("manage")
    state: dict[str, Sort] = {"sort": "helpful"}

    with ui.column().classes("w-full gap-4 mt-4").mark("reviews"):
        ui.label(t("Audience reviews")).classes("mm-title text-2xl text-white")

        @ui.refreshable
        async def summary() -> None:
            _summary(await call(reviews.summary, movie.movie_id))

        await summary()
        if user is None:
            with ui.row().classes("items-center gap-2"):
                ui.label(t("Saw it?")).classes("mm-muted")
                ui.link(t("Log in to rate it"), f"/login?next=/movie/{movie.movie_id}").classes("text-accent")
        elif may_review:
            await _my_review(services, user, movie, lambda: (summary.refresh(), listing.refresh()))
        else:
            ui.label(t("You can rate this movie once you have seen it with a Movie Magic ticket.")).classes(
                "mm-muted text-sm").mark("review-not-yet")

        def sort_by(value: Sort) -> None:
            state["sort"] = value
            listing.refresh()

        ui.toggle({"helpful": t("Most helpful"), "newest": t("Newest")}, value="helpful",
                  on_change=lambda e: sort_by(e.value)).props("no-caps dense rounded unelevated").mark("review-sort")

        @ui.refreshable
        async def listing() -> None:
            found = await call(reviews.reviews, movie.movie_id, state["sort"])
            if not found:
                ui.label(t("No reviews yet.")).classes("mm-muted").mark("no-reviews")
                return
            with ui.column().classes("w-full gap-3").mark("review-list"):
                for review in found:
                    _review_card(services, user, review, may_hide, lambda: (summary.refresh(), listing.refresh()))

        await listing()


def _summary(summary: RatingSummary) -> None:
    with ui.row().classes("items-center gap-3").mark("review-summary"):
        if summary.average is None:
            ui.label(t("Not rated by our audience yet.")).classes("mm-muted")
            return
        ui.label(f"{summary.average:.1f}").classes("text-4xl font-bold text-white")
        with ui.column().classes("gap-0"):
            ui.rating(value=summary.average, max=5, size="20px", color="amber").props(
                f'readonly aria-label="{t("{n} out of 5 stars", n=f"{summary.average:.1f}")}"')
            ui.label(t("{n} reviews", n=summary.count) if summary.count != 1 else t("1 review")).classes(
                "mm-muted text-sm")


async def _my_review(services: Services, user: User, movie: Movie, changed: Callable[[], object]) -> None:
    reviews = services.engage.reviews
    mine = await call(reviews.mine, user, movie.movie_id)
    with ui.column().classes("mm-surface w-full p-4 gap-3").mark("my-review"):
        ui.label(t("Your review")).classes("font-bold text-white")
        if mine is not None and mine.hidden:
            ui.label(t("Our staff hid your review: {reason}", reason=mine.hidden_reason)).classes(
                "text-negative text-sm").mark("my-review-hidden")
        stars = ui.rating(value=mine.rating if mine else 0, max=5, size="28px", color="amber").props(
            f'aria-label="{t("Your rating")}"').mark("my-rating")
        text = ui.textarea(t("What did you think? (optional)"), value=mine.text if mine else "").props(
            f"outlined dark autogrow counter maxlength={MAX_TEXT}").classes("w-full").mark("my-review-text")

        async def save() -> None:
            try:
                await call(reviews.write, user, movie.movie_id, int(stars.value or 0), text.value or "")
            except DomainError as exc:
                ui.notify(exc.message, type="negative")
                return
            ui.notify(t("Thanks! Your review is saved."), type="positive")
            delete.set_visibility(True)
            changed()

        async def remove() -> None:
            try:
                await call(reviews.delete, user, movie.movie_id)
            except DomainError as exc:
                ui.notify(exc.message, type="negative")
                return
            stars.set_value(0)
            text.set_value("")
            delete.set_visibility(False)
            ui.notify(t("Your review is deleted."))
            changed()

        with ui.row().classes("gap-2"):
            ui.button(t("Save review"), on_click=save).props("unelevated no-caps").mark("save-review")
            delete = ui.button(t("Delete"), on_click=remove).props("flat no-caps").mark("delete-review")
            delete.set_visibility(mine is not None)


def _review_card(services: Services, user: User | None, review: Review, may_hide: bool,
                 changed: Callable[[], object]) -> None:
    reviews = services.engage.reviews
    with ui.column().classes("mm-surface w-full p-4 gap-2").mark("review"):
        with ui.row().classes("w-full items-center justify-between gap-2"):
            with ui.row().classes("items-center gap-2"):
                ui.label(review.author or t("A moviegoer")).classes("font-bold text-white")
                ui.rating(value=review.rating, max=5, size="16px", color="amber").props(
                    f'readonly aria-label="{t("{n} out of 5 stars", n=review.rating)}"')
            written = long_date(parse_iso(review.created_at).date())
            ui.label(t("{date} (edited)", date=written) if review.edited_at else written).classes("mm-muted text-xs")
        if review.text:
            # A label sets textContent: markup in a review is shown as the characters typed, never run.
            ui.label(review.text).classes("text-gray-200 whitespace-pre-wrap break-words").mark("review-text")
        with ui.row().classes("items-center gap-2"):
            async def vote() -> None:
                if user is None:
                    ui.navigate.to(f"/login?next=/movie/{review.movie_id}")
                    return
                try:
                    await call(reviews.vote_helpful, user, review.movie_id, review.user_id)
                except DomainError as exc:
                    ui.notify(exc.message)
                    return
                changed()

            own = user is not None and user.user_id == review.user_id
            helpful = ui.button(t("Helpful ({n})", n=review.helpful), icon="thumb_up", on_click=vote).props(
                "flat dense no-caps size=sm").mark("helpful")
            if own:
                helpful.disable()
            if may_hide and user is not None:
                ui.button(t("Hide"), icon="visibility_off",
                          on_click=lambda: _hide_dialog(services, user, review, changed)).props(
                    "flat dense no-caps size=sm color=negative").mark("hide-review")


def _hide_dialog(services: Services, staff_user: User, review: Review, changed: Callable[[], object]) -> None:
    with ui.dialog() as dialog, ui.card().classes("mm-surface p-5 gap-3 w-96 max-w-full").mark("hide-dialog"):
        ui.label(t("Hide this review?")).classes("text-lg text-white")
        ui.label(t("It leaves the list and the average. The reason is kept in the audit log.")).classes("mm-muted")
        reason = ui.input(t("Reason")).props("outlined dark maxlength=300").classes("w-full").mark("hide-reason")

        async def hide() -> None:
            try:
                await call(services.engage.reviews.hide, staff_user, review.movie_id, review.user_id,
                           reason.value or "")
            except DomainError as exc:
                ui.notify(exc.message, type="negative")
                return
            dialog.close()
            ui.notify(t("The review is hidden."))
            changed()

        with ui.row().classes("justify-end w-full gap-2"):
            ui.button(t("Cancel"), on_click=dialog.close).props("flat no-caps")
            ui.button(t("Hide review"), on_click=hide).props("unelevated no-caps color=negative").mark("confirm-hide")
    dialog.open()
