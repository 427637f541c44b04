"""What a link's check says when it cannot be resolved."""

from __future__ import annotations

import pytest

from induction.content.linker import CourseLinker


@pytest.mark.parametrize(
    ("url", "suggested"),
    [
        ("www.example.gov.uk", "https://www.example.gov.uk"),
        ("councils.coop/about-us", "https://councils.coop/about-us"),
    ],
)
def test_a_web_address_without_https_is_told_to_add_it(url: str, suggested: str) -> None:
    linker = CourseLinker("course", {}, frozenset(), None)  # type: ignore[arg-type]
    error = linker.resolve(url, False, "01-module").error
    assert error == (
        f"link to '{url}': a web address must start with https:// (did you mean '{suggested}'?)"
    )
    # A file of the course that is missing is still told where files go.
    missing = linker.resolve("notes.txt", False, "01-module").error
    assert missing is not None and "only lessons, quizzes and files in media/" in missing
