"""The dashboard's summary: each figure is a link that lists exactly the people it counts.

People invited who have not joined are counted and listed with their invitation date;
accepted, withdrawn and other organisations' invitations are not.
"""

from __future__ import annotations

import datetime as dt
import html as html_module
import re

import pytest

from induction.accounts import tokens
from induction.accounts.models import Invitation
from induction.database import utcnow
from induction.extensions import db
from tests.quizzes.pages import page, text_of
from tests.reports.test_dashboard import dashboard_url


def _invite(org_id: int, email: str, *, audience: str = "officer", **fields) -> None:
    now = fields.pop("created_at", utcnow())
    db.session.add(
        Invitation(
            token_hash=tokens.hash_token(tokens.new_token()),
            email=email,
            name=fields.pop("name", email.split("@")[0].title()),
            role="learner",
            audience=audience,
            organisation_id=org_id,
            created_at=now,
            expires_at=fields.pop("expires_at", now + dt.timedelta(days=14)),
            **fields,
        )
    )


@pytest.fixture
def invited(app, world):
    """Own: two pending (one expired, a councillor), one accepted, one withdrawn, and one
    to an address that already has an account; other: one pending."""
    with app.app_context():
        now = utcnow()
        _invite(world.own.id, "pending@example.org", created_at=now - dt.timedelta(days=3))
        _invite(
            world.own.id,
            "expired@example.org",
            audience="councillor",
            created_at=now - dt.timedelta(days=40),
            expires_at=now - dt.timedelta(days=26),
        )
        _invite(world.own.id, "accepted@example.org", accepted_at=now)
        _invite(world.own.id, "withdrawn@example.org", revoked_at=now)
        _invite(world.own.id, world.new.email)
        _invite(world.other.id, "elsewhere@example.org")
        db.session.commit()
    return world


def _figures(html: str) -> dict[str, tuple[int, str]]:
    """Return each summary figure's key -> (number, link)."""
    summary = html.split('id="summary-heading"', 1)[1].split("</ul>", 1)[0]
    found = re.findall(
        r'<li class="figure figure--([a-z-]+)"><a href="([^"]+)"[^>]*>'
        r'<span class="figure__number">(\d+)</span>',
        summary,
    )
    return {key: (int(number), html_module.unescape(href)) for key, href, number in found}


def _listed(html: str) -> list[str]:
    """Return the people the table lists: joined people's names or invited people's addresses."""
    section = html.split('id="people-caption"', 1)[1].split('id="modules-heading"', 1)[0]
    if "<tbody>" not in section:
        return []
    body = section.split("</tbody>", 1)[0]
    return [text_of(cell) for cell in re.findall(r'<th scope="row">(.*?)</th>', body)]


@pytest.mark.parametrize("filters", [{}, {"audience": "officer"}, {"q": "example"}])
def test_each_figure_equals_the_people_its_link_lists(invited, login_as, filters):
    client = login_as(invited.manager)
    html = page(client.get(dashboard_url(invited, **filters)))
    figures = _figures(html)
    assert list(figures) == [
        "people",
        "complete",
        "update-to-read",
        "in-progress",
        "not-started",
        "overdue",
        "invited",
    ]
    for key, (number, link) in figures.items():
        response = client.get(link)
        assert response.status_code == 200, link
        listed = _listed(page(response))
        assert len(listed) == number, (key, link, listed)
        # The filters of the page (audience, search) are kept by every figure's link.
        for name, value in filters.items():
            assert f"{name}={value}" in link


def test_the_figures_count_the_right_people(invited, login_as):
    client = login_as(invited.manager)
    html = page(client.get(dashboard_url(invited)))
    figures = {key: number for key, (number, _link) in _figures(html).items()}
    assert figures == {
        "people": 5,
        "complete": 1,
        "update-to-read": 0,
        "in-progress": 1,
        "not-started": 3,
        "overdue": 2,
        "invited": 2,
    }
    # The same figures while the table is filtered to one state: the summary stays whole.
    filtered = page(client.get(dashboard_url(invited, status="complete")))
    assert {key: number for key, (number, _link) in _figures(filtered).items()} == figures
    assert (
        'aria-current="true"><span class="figure__number">1</span> '
        '<span class="figure__label">complete' in filtered
    )
    councillors = page(client.get(dashboard_url(invited, audience="councillor")))
    assert _figures(councillors)["invited"][0] == 1
    assert _figures(councillors)["people"][0] == 1


def test_invited_people_are_listed_with_their_invitation_date(invited, login_as):
    client = login_as(invited.manager)
    html = page(client.get(dashboard_url(invited, status="invited")))
    # The expired link first: it is the one to do something about.
    assert _listed(html) == [
        "Expired expired@example.org",
        "Pending pending@example.org",
    ]
    text = text_of(html)
    sent = (utcnow() - dt.timedelta(days=3)).date()
    assert (
        f"pending@example.org Officer The day they join {sent.day} {sent:%B %Y} Works until" in text
    )
    assert "Expired expired@example.org Councillor" in text and "Expired on" in text
    for absent in ("accepted@", "withdrawn@", "elsewhere@", invited.new.email):
        assert absent not in text.split("at a glance", 1)[1].split("Completion by module")[0]


def test_no_one_waiting_to_join_says_so(world, login_as):
    html = page(login_as(world.manager).get(dashboard_url(world, status="invited")))
    assert "No one is waiting to join." in text_of(html)


def test_another_organisations_invitations_are_not_found(invited, login_as):
    client = login_as(invited.other_manager)
    assert client.get(dashboard_url(invited, status="invited")).status_code == 404
    own = page(client.get(f"/reports/organisations/{invited.other.id}?status=invited"))
    assert _listed(own) == ["Elsewhere elsewhere@example.org"]
    assert "pending@example.org" not in own


def test_an_unknown_status_is_shown_and_ignored(world, login_as):
    html = page(login_as(world.manager).get(dashboard_url(world, status="nonsense")))
    assert "Choose a status from the list" in html
    assert len(_listed(html)) == 5


def test_the_invited_list_has_pages(app, world, login_as):
    from induction.reports.services import PER_PAGE

    with app.app_context():
        for number in range(PER_PAGE + 1):
            _invite(world.own.id, f"invited{number:03}@example.org")
        db.session.commit()
    client = login_as(world.manager)
    first = page(client.get(dashboard_url(world, status="invited")))
    assert len(_listed(first)) == PER_PAGE and "Page 1 of 2" in first
    second = page(client.get(dashboard_url(world, status="invited", page=2)))
    assert len(_listed(second)) == 1
    assert client.get(dashboard_url(world, status="invited", page=3)).status_code == 404


def _expired_note(html: str) -> str:
    """Return the words of the invited figure's label."""
    summary = html.split('id="summary-heading"', 1)[1].split("</ul>", 1)[0]
    figure = summary.split('class="figure figure--invited"', 1)[1].split("</li>", 1)[0]
    return text_of(figure.split('class="figure__label">', 1)[1])


def test_the_invited_figure_says_how_many_links_have_expired_and_where_to_renew_them(
    invited, login_as
):
    client = login_as(invited.manager)
    html = page(client.get(dashboard_url(invited)))
    assert _expired_note(html) == "invited, not joined yet (1 link expired)"
    text = text_of(html)
    assert "1 invitation link has expired: that person cannot join until they get a new one" in (
        text
    )
    assert "Send a new invitation to that person" in text
    # The People page's list the link goes to marks the same invitation as expired.
    people = text_of(page(client.get("/admin/people")))
    assert "1 invitation link has expired." in people
    # The audience filter counts the expired links it selects: only the councillor's is.
    councillors = page(client.get(dashboard_url(invited, audience="councillor")))
    assert _expired_note(councillors) == "invited, not joined yet (1 link expired)"
    officers = page(client.get(dashboard_url(invited, audience="officer")))
    assert _expired_note(officers) == "invited, not joined yet"
    assert "expired-links" not in officers
    # The list of the people invited says it too, and what to do.
    listed = text_of(page(client.get(dashboard_url(invited, status="invited"))))
    assert (
        "1 invitation link has expired: it is listed first. Press Send a new invitation beside"
        " a person" in listed
    )


def test_no_expired_link_adds_nothing_and_an_admin_renews_that_organisations_links(
    app, invited, login_as
):
    with app.app_context():
        db.session.execute(
            Invitation.__table__.update()
            .where(Invitation.email == "pending@example.org")
            .values(expires_at=utcnow() - dt.timedelta(seconds=1))
        )
        db.session.commit()
    html = page(login_as(invited.admin).get(dashboard_url(invited)))
    assert _expired_note(html) == "invited, not joined yet (2 links expired)"
    renew = f"/reminders/organisations/{invited.own.id}/invitations/renew-expired"
    assert f'action="{renew}"' in html and "Send new invitations to all 2" in html
    other = page(login_as(invited.admin).get(f"/reports/organisations/{invited.other.id}"))
    assert _expired_note(other) == "invited, not joined yet"


def test_the_sql_form_of_an_expired_link_agrees_with_the_invitation_model(app, world):
    from sqlalchemy import select

    from induction.reports.invited import link_expired_condition

    with app.app_context():
        now = utcnow()
        for days in (-30, -1, 1, 30):
            _invite(world.own.id, f"in{days}@example.org", expires_at=now + dt.timedelta(days=days))
        db.session.commit()
        found = db.session.execute(select(Invitation, link_expired_condition())).all()
        assert len(found) == 4
        assert {row.Invitation.email for row in found if row[1]} == {
            "in-30@example.org",
            "in-1@example.org",
        }
        assert all(bool(sql) == invitation.link_expired for invitation, sql in found)


def test_counting_expired_links_costs_the_dashboard_no_query(app, invited, login_as, count_queries):
    client = login_as(invited.manager)
    assert client.get("/").status_code == 200
    counted = []
    for expired in (False, True):
        with app.app_context():
            db.session.execute(
                Invitation.__table__.update().values(
                    expires_at=utcnow() + dt.timedelta(days=-5 if expired else 5)
                )
            )
            db.session.commit()
        for args in ({}, {"status": "complete"}, {"status": "invited"}):
            with count_queries() as counter:
                assert client.get(dashboard_url(invited, **args)).status_code == 200
            counted.append(counter.count)
    assert counted[:3] == counted[3:], counted
