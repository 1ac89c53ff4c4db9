"""Tailwind compiled ahead of time: ``tools/tailwind.css`` -> ``assets/css/tailwind.css`` (committed, served).

    python tools/build_css.py           # rebuild after adding or changing Tailwind classes in pages/components
    python tools/build_css.py check     # exit 1 when the committed file differs from a fresh build

Why: NiceGUI's in-browser Tailwind script re-injects its CSS while the page loads, and every injection restyles
the whole page (measured: most of the seat map's six full-page style recalculations over ~4,600 elements).
The app runs with ``ui.run(tailwind=False)`` and links the compiled file instead, so ``./run.sh`` needs no npm.
The compiler is the npm package pinned in package.json (``npm ci`` installs it, test.sh does).
Deterministic: the same sources give the same bytes.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tools" / "tailwind.css"
OUTPUT = ROOT / "assets" / "css" / "tailwind.css"
COMPILER = ROOT / "node_modules" / ".bin" / "tailwindcss"


def build(output: Path) -> None:
    """Compile the Tailwind input into ``output`` (minified)."""
    if not COMPILER.exists():
        raise FileNotFoundError(f"{COMPILER.relative_to(ROOT)} is missing: run `npm ci` in {ROOT} first")
    subprocess.run([str(COMPILER), "--input", str(SOURCE), "--output", str(output), "--minify"],
                   cwd=ROOT, check=True, capture_output=True, text=True)


def stale() -> bool:
    """Whether the committed CSS differs from what the current sources compile to."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "tailwind.css"
        build(fresh)
        return not OUTPUT.exists() or fresh.read_bytes() != OUTPUT.read_bytes()


def main(argv: list[str]) -> int:
    if not COMPILER.exists():
        print(f"{COMPILER.relative_to(ROOT)} is missing: run `npm ci` in {ROOT} first")
        return 2
    if argv[1:] == ["check"]:
        if stale():
            print(f"{OUTPUT.relative_to(ROOT)} is stale: run `python tools/build_css.py`")
            return 1
        print(f"{OUTPUT.relative_to(ROOT)} is up to date")
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    build(OUTPUT)
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
