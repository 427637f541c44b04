"""A learner finds their way round their account: the invitation says what accepting does,
and Your account leads to their record and certificates."""

from __future__ import annotations

from tests.quizzes.pages import read, text_of


def test_your_account_leads_to_my_record(login_as):
    client = login_as(audience="councillor")
    html = client.get("/account").get_data(as_text=True)
    assert "Your record and certificates" in text_of(html)
    assert any(href == "/my/record" for _, href in read(html).links)


def test_the_invitation_page_says_what_the_password_is_for(app, login_as, make_org, mailbox):
    org = make_org()
    login_as(role="admin").post(
        "/admin/people/invite",
        data={
            "email": "new@example.org",
            "name": "",
            "role": "learner",
            "audience": "councillor",
            "organisation": org.id,
        },
    )
    link = mailbox("new@example.org")[-1].link_path
    text = text_of(app.test_client().get(link).get_data(as_text=True))
    assert (
        "choose a password to finish setting up your account. From then on you sign in with "
        "your email address and this password." in text
    )
