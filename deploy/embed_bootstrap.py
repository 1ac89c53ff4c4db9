"""Copy deploy/release.sh and deploy/bootstrap.sh into the user data of deploy/cloudformation.yaml (and of
deploy/cloudformation-scale.yaml, the several-instances stack), verbatim.

The template must carry the scripts themselves (a new server has nothing else at first boot), and the files
keep them readable and checkable (shellcheck, tests/test_release.py). Run this after editing either script:

    python deploy/embed_bootstrap.py          # rewrite the template's copies
    python deploy/embed_bootstrap.py --check  # exit 1 if a copy differs (CI)
"""

from __future__ import annotations

import sys
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
TEMPLATE = DEPLOY / "cloudformation.yaml"
TEMPLATES = [TEMPLATE, DEPLOY / "cloudformation-scale.yaml"]
SCRIPTS = [DEPLOY / "release.sh", DEPLOY / "bootstrap.sh"]


def embedded(template_text: str, script_text: str, name: str = "bootstrap.sh") -> str:
    """The template text with the block between the BEGIN and END comments for ``deploy/<name>`` replaced."""
    begin_marker, end_marker = f"# BEGIN deploy/{name}", f"# END deploy/{name}"
    lines = template_text.splitlines(keepends=True)
    begin = next(i for i, line in enumerate(lines) if line.lstrip().startswith(begin_marker))
    end = next(i for i, line in enumerate(lines) if line.lstrip().startswith(end_marker))
    indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
    if "\t" in script_text or not script_text.endswith("\n") or script_text.endswith("\n\n"):
        raise ValueError(f"{name} must use spaces, not tabs, and end with exactly one newline")
    body = [f"{indent}  {line}" if line.strip() else "\n" for line in script_text.splitlines(keepends=True)]
    block = [f"{indent}- |\n", *body]
    return "".join(lines[: begin + 1] + block + lines[end:])


def with_all_scripts(template_text: str) -> str:
    for script in SCRIPTS:
        template_text = embedded(template_text, script.read_text(), script.name)
    return template_text


def main(argv: list[str]) -> int:
    status = 0
    for template in TEMPLATES:
        current = template.read_text()
        wanted = with_all_scripts(current)
        if current == wanted:
            continue
        if "--check" in argv:
            print(f"{template.name} does not carry the current deploy scripts: run python deploy/embed_bootstrap.py")
            status = 1
            continue
        template.write_text(wanted)
        print(f"copied {', '.join(script.name for script in SCRIPTS)} into {template.name}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
