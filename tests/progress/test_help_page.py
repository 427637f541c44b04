"""Help names the people a learner can ask: their own organisation's active lead
officers, never another organisation's, never themselves; and whom to write to about
the site."""

from __future__ import annotations

from tests.quizzes.pages import page, text_of


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


def test_a_lead_officer_is_not_told_to_ask_themselves(login_as, make_org, make_user):
    own = make_org("Aberwen Council")
    me = make_user(role="manager", organisation=own, name="Only Officer")
    text = text_of(page(login_as(me).get("/help")))
    assert "Only Officer" not in text
    assert "Aberwen Council has no lead officer on this site yet." in text


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
