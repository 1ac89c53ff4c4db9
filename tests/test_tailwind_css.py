"""The committed Tailwind CSS (assets/css/tailwind.css) is what the current pages and components compile to.

A class added to a page without rebuilding would be missing in the browser (the app runs without NiceGUI's
in-browser Tailwind). Fix: ``python tools/build_css.py``. Skipped only where node is not installed (test.sh
installs npm and the compiler)."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import ModuleType

import pytest

from tests.tools import load_tool

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return load_tool("build_css")


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (test.sh installs npm)")
def test_committed_tailwind_css_is_current(tool: ModuleType) -> None:
    assert not tool.stale(), "assets/css/tailwind.css is stale: run `python tools/build_css.py` and commit it"


def test_the_compiled_css_has_what_the_pages_use(tool: ModuleType) -> None:
    css = tool.OUTPUT.read_text()
    # Utilities from a page, a component and an f-string; the responsive and arbitrary-value variants.
    for selector in (".lg\\:grid-cols-5", ".lg\\:w-80", ".max-lg\\:hidden", ".text-\\[11px\\]", ".items-center",
                     ".lg\\:sticky"):
        assert selector in css, selector
    # NiceGUI's dark mode is a class on <body>: a dark: variant must follow it, as in-browser Tailwind's did.
    assert "@custom-variant dark (&:where(body.body--dark, body.body--dark *));" in tool.SOURCE.read_text()
