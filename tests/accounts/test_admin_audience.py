"""An admin's audience on the People pages: admins see every audience's content, so the
audience stored for them (officer, by default) is not what the pages show."""

from __future__ import annotations

import re

import pytest


def _audiences(page: str) -> dict[str, str]:
    """Return {name: audience} from the People list's rows."""
    rows = re.findall(
        r'<td data-label="Name"><a [^>]*>([^<]*)</a></td>.*?'
        r'<td data-label="Audience">([^<]*)</td>',
        page,
        flags=re.S,
    )
    return dict(rows)


def test_the_people_list_shows_an_admin_sees_every_audience(login_as, make_user):
    make_user(name="Ada Admin", role="admin", audience="officer")
    make_user(name="Cara Councillor", audience="councillor")
    make_user(name="Oli Officer", audience="officer")
    page = login_as(role="admin", name="Zed Admin").get("/admin/people").get_data(as_text=True)
    audiences = _audiences(page)
    assert audiences["Ada Admin"] == "All audiences (admin)"
    assert audiences["Zed Admin"] == "All audiences (admin)"
    assert audiences["Cara Councillor"] == "Councillor"
    assert audiences["Oli Officer"] == "Officer"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", "All audiences (admin)"), ("manager", "Affiliate"), ("learner", "Affiliate")],
)
def test_a_person_page_shows_the_audience_that_decides_what_they_see(
    login_as, make_user, role, expected
):
    person = make_user(role=role, audience="affiliate")
    page = login_as(role="admin").get(f"/admin/people/{person.id}").get_data(as_text=True)
    assert f"<dt>Audience</dt><dd>{expected}</dd>" in page
