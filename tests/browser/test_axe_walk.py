"""axe-core on every listed page, in every listed state, for every role: zero violations."""

from __future__ import annotations

import pytest

from tests.browser import axe
from tests.browser.harness import Site
from tests.browser.pages import STATES, State
from tests.browser.walk import RolePages, open_state

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("state", STATES, ids=lambda state: state.name)
def test_page_has_no_axe_violations(site: Site, role_pages: RolePages, state: State) -> None:
    page = role_pages.get(state.role)
    open_state(site, page, state)
    axe.assert_no_violations(page, f"{state.name} ({state.role}, {page.url})")
    # JavaScript only enhances, from files (the CSP allows no inline script).
    inline = page.locator("script:not([src])").count()
    assert inline == 0, f"{state.name} has {inline} inline script(s)"
    scripts = page.locator("script[src]").evaluate_all("ss => ss.map(s => s.defer || s.async)")
    assert all(scripts), f"{state.name} has a script that blocks the page while it loads"


def test_the_walk_runs_every_wcag_a_and_aa_rule_including_target_size(
    site: Site, role_pages: RolePages
) -> None:
    page = role_pages.get("anonymous")
    page.goto("/accessibility")
    rules = axe.rules_for_tags(page)
    assert "target-size" in rules
    assert {"color-contrast", "label", "link-name", "document-title", "html-has-lang"} <= set(rules)


def test_every_state_is_listed_once() -> None:
    names = [state.name for state in STATES]
    assert len(names) == len(set(names))
