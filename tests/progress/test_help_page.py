"""Help names the people a learner can ask: their own organisation's active lead
officers, never another organisation's, never themselves (a lead officer is told they are
one, with the others); whom to write to about the site; and, for lead officers and
admins only, where to do their part."""

from __future__ import annotations

import datetime as dt
import html as html_module
import re

from induction.database import utcnow
from induction.extensions import db
from tests.quizzes.pages import page, text_of
from tests.reports.test_summary import _invite


def test_help_names_the_lead_officers_of_the_persons_own_organisation(
    login_as, make_org, make_user
):
    own, other = make_org("Aberwen Council"), make_org("Other Council")
    make_user(role="manager", organisation=own, name="Rosa Nguyen", email="rosa@aberwen.example")
    make_user(role="manager", organisation=own, name="Gone Away", is_active=False)
    make_user(role="manager", organisation=other, name="Not Yours", email="not@other.example")
    make_user(role="learner", organisation=own, name="Another Learner")
    client = login_as(make_user(organisation=own, audience="councillor"))
    html = page(client.get("/help"))
    text = text_of(html)
    assert "Ask your lead officer at Aberwen Council:" in text
    assert "Rosa Nguyen , rosa@aberwen.example" in text  # tags read as spaces
    assert 'href="mailto:rosa@aberwen.example"' in html
    for not_to_ask in ("Gone Away", "Not Yours", "not@other.example", "Another Learner"):
        assert not_to_ask not in text


def test_several_lead_officers_are_listed_by_name(login_as, make_org, make_user):
    own = make_org("Aberwen Council")
    for name in ("Zoe Zed", "Adam Ant"):
        make_user(role="manager", organisation=own, name=name)
    text = text_of(page(login_as(make_user(organisation=own)).get("/help")))
    assert "Ask one of your lead officers at Aberwen Council:" in text
    assert text.index("Adam Ant") < text.index("Zoe Zed")


def test_a_lead_officer_is_told_they_are_one_not_that_there_is_none(login_as, make_org, make_user):
    own = make_org("Aberwen Council")
    me = make_user(role="manager", organisation=own, name="Only Officer")
    text = text_of(page(login_as(me).get("/help")))
    assert "You are the lead officer for Aberwen Council." in text
    assert "Only Officer" not in text
    assert "has no lead officer" not in text
    assert "Ask your lead officer" not in text


def test_a_lead_officer_is_named_with_the_other_lead_officers(login_as, make_org, make_user):
    own, other = make_org("Aberwen Council"), make_org("Other Council")
    me = make_user(role="manager", organisation=own, name="Me Myself")
    make_user(role="manager", organisation=own, name="Sam Jones", email="sam@aberwen.example")
    make_user(role="manager", organisation=own, name="Gone Away", is_active=False)
    make_user(role="manager", organisation=other, name="Not Yours")
    html = page(login_as(me).get("/help"))
    text = text_of(html)
    assert "You are the lead officer for Aberwen Council, with: Sam Jones , sam@aberwen" in text
    assert 'href="mailto:sam@aberwen.example"' in html
    for not_named in ("Me Myself", "Gone Away", "Not Yours"):
        assert not_named not in text


def _officer_section(html: str) -> str:
    return html.split('<h2 id="officers">', 1)[1].split('<h2 id="site">', 1)[0]


def _links(section: str) -> list[str]:
    return [html_module.unescape(href) for href in re.findall(r'<a href="([^"]+)"', section)]


def test_lead_officers_get_working_links_for_their_own_organisation(login_as, make_org, make_user):
    own = make_org("Aberwen Council")
    client = login_as(make_user(role="manager", organisation=own))
    html = page(client.get("/help"))
    section = _officer_section(html)
    text = text_of(section)
    assert text.startswith("For lead officers")
    for question in (
        "How is Aberwen Council doing?",
        "How do I remind people who are overdue?",
        "How do I invite people?",
        "How do I get the figures for a committee paper?",
    ):
        assert question in text
    links = _links(section)
    dashboard = f"/reports/organisations/{own.id}"
    remind = f"/reminders/organisations/{own.id}?course=basics&group=overdue"
    committee = f"/reports/organisations/{own.id}/committee"
    for expected in (
        dashboard,
        remind,
        "/admin/people/invite",
        "/reports/invitations/import",
        committee,
    ):
        assert expected in links, expected
    assert "Remind everyone overdue in Basics" in text
    assert "Download completion by module as CSV" in text
    for href in set(links):  # each one opens for them
        assert client.get(href).status_code == 200, href


def test_lead_officers_are_told_what_to_do_when_an_invitation_link_does_not_work(
    app, login_as, make_org, make_user
):
    """The answer is short for a busy officer: what to do first, with a link to the list
    where they do it, and what to do when the person has joined already."""
    own = make_org("Aberwen Council")
    with app.app_context():
        _invite(own.id, "waiting@example.org", expires_at=utcnow() - dt.timedelta(days=1))
        db.session.commit()
    client = login_as(make_user(role="manager", organisation=own))
    section = _officer_section(page(client.get("/help")))
    question = "<h3>Someone says their invitation link does not work. What do I do?</h3>"
    answer = section.split(question, 1)[1].split("<h3>", 1)[0]
    text = text_of(answer)
    assert text.startswith(
        "Send them a new one: open the people invited and not joined yet and press "
        "Send a new invitation beside their name."
    )
    assert "they have probably joined already: they sign in, or choose a new password" in text
    assert len(re.findall(r"[.?!](?:\s|$)", text)) <= 3, text  # two or three sentences
    assert len(text.split()) <= 60, text
    invited = f"/reports/organisations/{own.id}?status=invited#people"
    assert _links(answer) == [invited, "/reset"]
    # The link opens the list of people invited, with the button the answer names.
    invited_page = page(client.get(invited.split("#")[0]))
    assert 'id="people"' in invited_page
    listed = text_of(invited_page.split('id="people"', 1)[1])
    assert "1 person has been invited and not joined yet" in listed
    assert "Send a new invitation to waiting@example.org" in listed
    assert client.get("/reset").status_code == 200


def test_learners_do_not_see_the_lead_officers_section(login_as, make_org, make_user):
    own = make_org("Aberwen Council")
    make_user(role="manager", organisation=own, name="Rosa Nguyen")
    html = page(login_as(make_user(organisation=own)).get("/help"))
    assert 'id="officers"' not in html
    assert "For lead officers" not in text_of(html)
    assert "/reports/" not in html and "/reminders/" not in html and "/admin/" not in html


def test_admins_see_the_section_worded_for_them(login_as, make_user):
    client = login_as(make_user(role="admin"))
    html = page(client.get("/help"))
    section = _officer_section(html)
    text = text_of(section)
    assert text.startswith("For admins")
    assert "you can do the same for every council" in text
    links = _links(section)
    for expected in (
        "/reports/network",
        "/admin/people/invite",
        "/reports/invitations/import",
        "/admin/organisations",
        "/admin/#how-do-i",
    ):
        assert expected in links, expected
    for href in set(links):
        assert client.get(href).status_code == 200, href


def test_with_no_lead_officer_the_network_is_the_one_to_write_to(app, login_as, make_org):
    app.config["SUPPORT_EMAIL"] = "help@network.example"
    client = login_as(organisation=make_org("Lonely Council"))
    html = page(client.get("/help"))
    text = text_of(html)
    assert "Lonely Council has no lead officer on this site yet." in text
    assert 'href="mailto:help@network.example"' in html


def test_help_is_in_the_menu_and_only_for_people_signed_in(client, login_as):
    response = client.get("/help")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    html = page(login_as().get("/help"))
    assert '<a href="/help" aria-current="page">Help</a>' in html
    assert '<a href="/" aria-current="page">My learning</a>' not in html


def test_help_says_which_emails_come_and_leads_to_stopping_and_starting_them(
    app, login_as, make_user
):
    from induction.accounts.models import User
    from induction.extensions import db

    me = make_user(audience="councillor")
    client = login_as(me)
    html = page(client.get("/help"))
    text = text_of(html)
    assert "Emails from this site" in text
    assert "Reminder emails are on." in text
    stop = re.search(r'<a href="([^"]+)">Stop reminder emails</a>', html)
    assert stop is not None, html
    # The link opens the person's own page, whose button stops their reminders.
    assert "Stop reminder emails" in text_of(page(client.get(stop.group(1))))
    client.post(stop.group(1))
    with app.app_context():
        assert db.session.get(User, me.id).reminders_stopped_at is not None
    text = text_of(page(client.get("/help")))
    assert "You have stopped reminder emails. Start reminder emails again ." in text
    assert 'href="/account/email"' in html  # where to send them to another address
