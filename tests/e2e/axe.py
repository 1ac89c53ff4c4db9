"""axe-core (the npm package in package.json, installed by test.sh's ``npm ci``) run inside real Chromium:
inject it into the page as it is and return the violations, and print them the way a person fixes them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

from tests.e2e.app_process import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# What the issue asks for: no serious or critical violation on any page.
BLOCKING = ("serious", "critical")


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    nodes: list[str]


def axe_source() -> str:
    if not AXE.exists():
        raise AssertionError(f"{AXE.relative_to(ROOT)} is missing: ./test.sh installs it (npm ci)")
    return AXE.read_text()


def audit(page: Page, source: str) -> list[Violation]:
    """axe's WCAG 2.x A/AA rules (and its best practices) over the whole document as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)  # NiceGUI's CSP allows inline scripts
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({rule: v.id, impact: v.impact || 'minor', help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + '  ' + (n.failureSummary || '').split('\\n')[1]
                                   + '  ' + n.html.slice(0, v.id === 'label-content-name-mismatch' ? 3000 : 160))}));
        }"""
    )
    return [Violation(v["rule"], v["impact"], v["help"], list(v["nodes"])) for v in found]


def by_impact(violations: list[Violation]) -> Counter[str]:
    """Violating nodes per impact (a rule failing on 5 elements counts 5)."""
    counts: Counter[str] = Counter()
    for violation in violations:
        counts[violation.impact] += len(violation.nodes)
    return counts


def describe(violations: list[Violation], limit: int = 6) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  [{violation.impact}] {violation.rule}: {violation.help} ({len(violation.nodes)} nodes)")
        lines.extend(f"      {node}" for node in violation.nodes[:limit])
    return "\n".join(lines)


def report(results: dict[str, list[Violation]], path: Path) -> str:
    """A table (page × impact, counted in nodes) written to ``path`` and returned for the test's output."""
    impacts = ("critical", "serious", "moderate", "minor")
    rows = [f"{'page':40} " + " ".join(f"{name:>9}" for name in impacts)]
    for name, violations in results.items():
        counts = by_impact(violations)
        rows.append(f"{name:40} " + " ".join(f"{counts[impact]:>9}" for impact in impacts))
    text = "\n".join(rows) + "\n"
    path.write_text(text + "\n" + "\n".join(f"{name}\n{describe(v, 50)}" for name, v in results.items() if v))
    return text
