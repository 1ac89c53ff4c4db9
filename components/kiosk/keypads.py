"""On-screen keys: the kiosk has no keyboard. An email keyboard (for the optional e-ticket) and a PIN pad
(for the staff corner). Values live on the server only: nothing is typed into a browser field."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from services.i18n import t

EMAIL_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl@", "zxcvbnm._-")
MAX_EMAIL = 80
Submit = Callable[[str], Awaitable[None] | None]


class EmailKeyboard:
    """Keys that build an address shown above them; "Done" hands it over."""

    def __init__(self, initial: str, on_done: Submit, on_key: Callable[[], None] | None = None) -> None:
        self.value = initial
        self._on_done = on_done
        self._on_key = on_key
        with ui.column().classes("w-full gap-3").mark("email-keyboard"):
            self._shown = ui.label().classes("k-card w-full px-5 py-4 text-[1.3em] font-mono min-h-[80px] break-all")
            self._shown.mark("email-value")
            for row in EMAIL_ROWS:
                columns = f"grid-template-columns: repeat({len(row)}, 1fr)"
                with ui.element("div").classes("w-full grid gap-2").style(columns):
                    for char in row:
                        ui.button(char, on_click=lambda c=char: self._type(c), color=None).props(
                            "unelevated no-caps").classes(
                            "k-key k-soft").mark(f"key-{char}")
            with ui.element("div").classes("w-full grid gap-2").style("grid-template-columns: 2fr 2fr 1.4fr 2.6fr"):
                for text in ("@gmail.com", ".com"):
                    ui.button(text, on_click=lambda s=text: self._type(s), color=None).props(
                        "unelevated no-caps").classes(
                        "k-key k-soft")
                ui.button(icon="backspace", on_click=self._back, color=None).props(
                    f'unelevated aria-label="{t("Delete")}"').classes("k-key k-soft-red").mark("key-back")
                ui.button(t("Done"), on_click=self._done).props("unelevated no-caps").classes("k-key").mark("key-done")
        self._render()

    def _type(self, text: str) -> None:
        if len(self.value) + len(text) <= MAX_EMAIL:
            self.value += text
        self._render()

    def _back(self) -> None:
        self.value = self.value[:-1]
        self._render()

    async def _done(self) -> None:
        result = self._on_done(self.value)
        if result is not None:
            await result

    def _render(self) -> None:
        self._shown.set_text(self.value or t("name@example.com"))
        self._shown.classes(replace="k-card w-full px-5 py-4 text-[1.3em] font-mono min-h-[80px] break-all "
                            + ("text-white" if self.value else "k-muted"))
        if self._on_key is not None:
            self._on_key()


class PinPad:
    """Digits shown as dots; "OK" hands the PIN over and clears the pad."""

    def __init__(self, on_submit: Submit, length: int = 8) -> None:
        self.value = ""
        self._on_submit = on_submit
        self._length = length
        with ui.column().classes("items-center gap-3").mark("pin-pad"):
            self._dots = ui.label().classes("text-[2em] tracking-[.4em] min-h-[1.6em]").mark("pin-dots")
            with ui.element("div").classes("grid grid-cols-3 gap-3"):
                for key in "123456789":
                    self._key(key)
                ui.button(icon="backspace", on_click=self._back, color=None).props(
                    f'unelevated aria-label="{t("Delete")}"').classes("k-key w-[96px] k-soft-red")
                self._key("0")
                ui.button(t("OK"), on_click=self._submit).props("unelevated no-caps").classes("k-key w-[96px]").mark(
                    "pin-ok")
        self._render()

    def _key(self, digit: str) -> None:
        ui.button(digit, on_click=lambda: self._type(digit), color=None).props("unelevated").classes(
            "k-key w-[96px] k-soft").mark(f"pin-{digit}")

    def _type(self, digit: str) -> None:
        if len(self.value) < self._length:
            self.value += digit
        self._render()

    def _back(self) -> None:
        self.value = self.value[:-1]
        self._render()

    async def _submit(self) -> None:
        pin, self.value = self.value, ""
        self._render()
        result = self._on_submit(pin)
        if result is not None:
            await result

    def _render(self) -> None:
        self._dots.set_text("●" * len(self.value) or "····")
