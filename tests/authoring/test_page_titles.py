"""Browser tab titles of the authoring pages name the course by its title, never its folder."""

from __future__ import annotations

import re

import pytest

from tests.authoring.conftest import BASICS, RULES, text_of

BASE = f"/admin/courses/{BASICS}"


def title_of(page: str) -> str:
    match = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    assert match, "no <title>"
    return match.group(1)


@pytest.mark.parametrize(
    ("url", "starts"),
    [
        (f"{BASE}/new-module", "Add a module – Basics –"),
        (f"{BASE}/rename/{RULES}", "Change the title of “The rules” – Basics –"),
        (f"{BASE}/rename/01-first-steps", "Change the title of “First steps” – Basics –"),
    ],
)
def test_a_page_title_names_the_course_not_its_folder(admin, url, starts):
    title = title_of(text_of(admin.get(url)))
    assert title.startswith(starts)
    assert BASICS not in title
