"""Copy deploy/bootstrap.sh into the user data of deploy/cloudformation.yaml, verbatim.

The template must carry the script itself (the instance has nothing else at first boot), and the file
keeps it readable and checkable (shellcheck). Run this after editing the script:

    python deploy/embed_bootstrap.py          # rewrite the template's copy
    python deploy/embed_bootstrap.py --check  # exit 1 if the copy differs (CI)
"""

from __future__ import annotations

import sys
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
TEMPLATE = DEPLOY / "cloudformation.yaml"
SCRIPT = DEPLOY / "bootstrap.sh"
BEGIN = "# BEGIN deploy/bootstrap.sh"
END = "# END deploy/bootstrap.sh"


def embedded(template_text: str, script_text: str) -> str:
    """The template text with the block between the BEGIN and END comments replaced by the script."""
    lines = template_text.splitlines(keepends=True)
    begin = next(i for i, line in enumerate(lines) if line.lstrip().startswith(BEGIN))
    end = next(i for i, line in enumerate(lines) if line.lstrip().startswith(END))
    indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
    if "\t" in script_text or not script_text.endswith("\n") or script_text.endswith("\n\n"):
        raise ValueError("bootstrap.sh must use spaces, not tabs, and end with exactly one newline")
    body = [f"{indent}  {line}" if line.strip() else "\n" for line in script_text.splitlines(keepends=True)]
    block = [f"{indent}- |\n", *body]
    return "".join(lines[: begin + 1] + block + lines[end:])


def main(argv: list[str]) -> int:
    current = TEMPLATE.read_text()
    wanted = embedded(current, SCRIPT.read_text())
    if current == wanted:
        return 0
    if "--check" in argv:
        print(f"{TEMPLATE.name} does not carry the current {SCRIPT.name}: run python deploy/embed_bootstrap.py")
        return 1
    TEMPLATE.write_text(wanted)
    print(f"copied {SCRIPT.name} into {TEMPLATE.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
