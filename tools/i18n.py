"""The translation catalogs: extract the strings from the code, update each language's .po, compile the .mo.

    python tools/i18n.py            # all of it: extract + update + compile, then list what is untranslated
    python tools/i18n.py check      # only report (exit 1): untranslated, placeholder mismatches, stale .po/.mo

Strings are found (a Babel extraction method reading Python's syntax tree, f-strings included) in the calls
``t("...")``, ``tn("one", "many", n)`` and the marker ``N_("...")`` under the app's code (services, pages,
components, api, main.py). A new string lands in every ``locales/<lang>/LC_MESSAGES/messages.po`` with an
empty translation; translate it there, run this again (it compiles ``messages.mo``, which the app reads), and
``tests/test_i18n_catalogs.py`` is green.
Deterministic: running it twice changes nothing.
"""

from __future__ import annotations

import ast
import io
import re
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract as babel_extract
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.i18n import DOMAIN, LOCALES, SHIPPED  # noqa: E402 (after the path is set)

SOURCES = ("services", "pages", "components", "api")
KEYWORDS = {"t": None, "tn": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")
TRANSLATED = [code for code in SHIPPED if code != "en"]


def extract() -> Catalog:
    """Every string the code marks, with where it is used, in the order of the files and their lines."""
    template = Catalog(project="Movie Magic", domain=DOMAIN, charset="utf-8", fuzzy=False)
    files = [*sorted(path for folder in SOURCES for path in (ROOT / folder).rglob("*.py")), ROOT / "main.py"]
    for path in files:
        with path.open("rb") as source:
            for lineno, message, comments, context in babel_extract(cast(Any, python_ast), source, keywords=KEYWORDS,
                                                              comment_tags=("TRANSLATORS:",)):
                where = path.relative_to(ROOT).as_posix()
                template.add(message, None, [(where, lineno)], auto_comments=comments, context=context)
    return template


def python_ast(fileobj: Any, keywords: Mapping[str, Any], comment_tags: Collection[str],
               options: Mapping[str, Any]) -> Iterator[tuple[int, str, Any, list[str]]]:
    """A Babel extraction method that reads Python's syntax tree, so calls inside f-strings count too
    (``f'aria-label="{t("City")}"'``: Babel's own Python extractor skips those on Python 3.11)."""
    calls = [(node, node.func.id) for node in ast.walk(ast.parse(fileobj.read()))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in keywords]
    for node, name in sorted(calls, key=lambda found: (found[0].lineno, found[0].col_offset)):
        args = tuple(arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
                     for arg in node.args)
        if args and args[0] is not None:
            yield node.lineno, name, args, []


def po_path(code: str) -> Path:
    return LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(code: str) -> Catalog:
    path = po_path(code)
    if not path.exists():
        return Catalog(locale=code, domain=DOMAIN, project="Movie Magic", fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=code, domain=DOMAIN)


def update(template: Catalog) -> None:
    """Each language's .po gains the new strings (empty), loses the gone ones; translations stay."""
    for code in TRANSLATED:
        catalog = read_catalog(code)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        write(catalog, po_path(code))


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=120, omit_header=False, sort_output=False, include_lineno=False,
             ignore_obsolete=True)
    # The header's dates change on every write; fixed ones keep the files unchanged when nothing else is.
    text = re.sub(rb'"(POT-Creation|PO-Revision)-Date: [^"]*"', rb'"\1-Date: 2026-01-01 00:00+0000\\n"',
                  buffer.getvalue())
    if not path.exists() or path.read_bytes() != text:
        path.write_bytes(text)


def compile_all() -> None:
    for code in TRANSLATED:
        catalog = read_catalog(code)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        target = po_path(code).with_suffix(".mo")
        if not target.exists() or target.read_bytes() != buffer.getvalue():
            target.write_bytes(buffer.getvalue())


def problems(template: Catalog) -> list[str]:
    """What keeps a shipped language from being complete and true to the code (empty = all good)."""
    wanted = {_key(message) for message in template if message.id}
    found: list[str] = []
    for code in TRANSLATED:
        catalog = read_catalog(code)
        have = {_key(message) for message in catalog if message.id}
        found += [f"{code}: in the code but not in the .po (run tools/i18n.py): {key[0]!r}"
                  for key in sorted(wanted - have)]
        found += [f"{code}: in the .po but no longer in the code (run tools/i18n.py): {key[0]!r}"
                  for key in sorted(have - wanted)]
        for message in catalog:
            if message.id:
                found += [f"{code}: {issue}" for issue in _message_problems(message)]
        mo = po_path(code).with_suffix(".mo")
        if not mo.exists():
            found.append(f"{code}: {mo.relative_to(ROOT)} is missing (run tools/i18n.py)")
        else:
            with mo.open("rb") as handle:
                compiled = {_key(m): _strings(m) for m in read_mo(handle) if m.id and all(_strings(m))}
            if compiled != {_key(m): _strings(m) for m in catalog if m.id and all(_strings(m))}:
                found.append(f"{code}: {mo.relative_to(ROOT)} is older than the .po (run tools/i18n.py)")
    return found


def _message_problems(message: Message) -> Iterable[str]:
    ids, strings = _key(message), _strings(message)
    if message.fuzzy:
        yield f"marked fuzzy (check it, then remove the flag): {ids[0]!r}"
    if not all(strings):
        yield f"not translated: {ids[0]!r}"
        return
    expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
    for string in strings:
        if set(PLACEHOLDER.findall(string)) != expected:
            yield f"placeholders differ in {string!r} for {ids[0]!r} (want {sorted(expected)})"


def _key(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, (tuple, list)) else (message.id,)


def _strings(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, (tuple, list)) else (message.string or "",)


def main(argv: list[str]) -> int:
    template = extract()
    if argv[:1] != ["check"]:
        update(template)
        compile_all()
    found = problems(template)
    for line in found:
        print(line)
    print(f"{len(template)} strings; {len(found)} problems", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
