"""axe-core (from the axe-playwright-python package) with every WCAG 2.x A and AA rule."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# WCAG 2.0, 2.1 and 2.2 at levels A and AA; wcag22aa brings target-size (2.5.8).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}

_axe = Axe()


def violations(page: Page) -> list[dict[str, Any]]:
    """Run axe on the page once it has loaded and return its violations (an empty list: none).

    A test may go on as soon as the new page's text is there; on a busy machine its
    stylesheet can still be on the way, and axe would judge the page unstyled (links 17 px
    high, too small to tap). So the page's load event, which waits for stylesheets, first.
    """
    page.wait_for_load_state("load")
    return list(_axe.run(page, options=OPTIONS).response["violations"])


def report(found: list[dict[str, Any]]) -> str:
    """Return violations as lines a person can act on: rule, impact, selector, help."""
    lines = []
    for violation in found:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(
                f"{violation['id']} ({violation['impact']}) at {target}: {violation['help']}"
                f" [{violation['helpUrl']}] {summary}"
            )
    return "\n".join(lines)


def assert_no_violations(page: Page, where: str) -> None:
    """Fail with a readable list when axe finds any violation on the page."""
    found = violations(page)
    assert not found, f"axe found {len(found)} violation(s) on {where}:\n{report(found)}"


def rules_for_tags(page: Page) -> list[str]:
    """Return the ids of the axe rules the WCAG tags select, read from axe itself."""
    page.evaluate(_axe.axe_script)
    return list(page.evaluate("tags => axe.getRules(tags).map(r => r.ruleId)", WCAG_TAGS))
