"""Opening the listed pages: one reused browser page per role and view, and each state's steps."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page, Response

from tests.browser.harness import DESKTOP, Site
from tests.browser.pages import ROLE_PEOPLE, ROLE_START, TWO_FACTOR, State

# How the layout is looked at: desktop; a 320 CSS px phone (WCAG 1.4.10); and 200% zoom
# of a 1280 px window, emulated as what the page gets at that zoom: a 640 CSS px
# viewport drawn with two device pixels per CSS pixel.
VIEWS: dict[str, tuple[dict[str, int], float]] = {
    "desktop": (DESKTOP, 1),
    "320px": ({"width": 320, "height": 640}, 1),
    "zoom200": ({"width": 640, "height": 450}, 2),
}


class RolePages:
    """Browser pages signed in as each role, made on first use and reused afterwards."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._open: dict[tuple[str, str], tuple[BrowserContext, Page]] = {}

    def get(self, role: str, view: str = "desktop") -> Page:
        """Return the page of `role` in `view` (half-way roles get a fresh one each time)."""
        key = (role, view)
        if role == TWO_FACTOR and key in self._open:
            self._open.pop(key)[0].close()
        if key not in self._open:
            viewport, scale = VIEWS[view]
            person_key = ROLE_PEOPLE[role]
            if role == TWO_FACTOR:
                context = self.site.new_context(viewport=viewport, scale=scale)
                page = context.new_page()
                self._give_password(page, person_key)
            else:
                person = self.site.person(person_key) if person_key else None
                context = self.site.new_context(person=person, viewport=viewport, scale=scale)
                page = context.new_page()
                if role in ROLE_START:
                    open_state(self.site, page, ROLE_START[role])
            self._open[key] = (context, page)
        return self._open[key][1]

    def _give_password(self, page: Page, person_key: str | None) -> None:
        assert person_key is not None
        person = self.site.person(person_key)
        page.goto("/login")
        page.get_by_label("Email address").fill(person.email)
        page.get_by_label("Password", exact=True).fill(person.password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/login/two-factor$"))

    def close(self) -> None:
        """Close every browser context made."""
        for context, _page in self._open.values():
            context.close()
        self._open.clear()


def open_state(site: Site, page: Page, state: State) -> Response:
    """Bring `page` to the listed state and return the response that shows it.

    Raises AssertionError when the page redirects elsewhere or answers with another
    status than listed, or when the error summary is missing or shown unexpectedly.
    """
    path = site.fill(state.path)
    response = page.goto(path)
    assert response is not None
    # A redirect (to the sign-in page, say) would check the wrong page.
    assert urlsplit(page.url).path == urlsplit(path).path, (
        f"{state.name}: {path} went to {page.url}"
    )
    if state.submit:
        main = page.locator("main")
        for label, text in state.fill:
            main.get_by_label(label, exact=True).fill(text)
        for label in state.check:
            main.get_by_label(label, exact=True).check()
        if state.upload:
            label, text = state.upload
            main.get_by_label(label, exact=True).set_input_files(
                files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": text.encode()}]
            )
        with page.expect_navigation() as navigation:
            main.get_by_role("button", name=state.submit, exact=True).click()
        response = navigation.value
        assert response is not None
    assert response.status == state.status, (
        f"{state.name}: {page.url} answered {response.status}, expected {state.status}"
    )
    shown = page.locator(".error-summary").count() > 0
    assert shown == state.errors, (
        f"{state.name}: the error summary is {'shown' if shown else 'missing'} on {page.url}"
    )
    return response
