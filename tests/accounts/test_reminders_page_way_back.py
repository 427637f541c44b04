"""The reminder-emails stop/start page offers the way back: to Your account for the
person signed in, to the site for someone who came from an email."""

from __future__ import annotations

from induction.accounts.unsubscribe import reminders_page


def path_for(app, user_id: int) -> str:
    with app.test_request_context():
        return reminders_page(user_id)


def test_signed_in_from_your_account_the_way_back_is_your_account(app, make_user, login_as):
    person = make_user()
    client = login_as(person)
    account = client.get("/account").get_data(as_text=True)
    path = path_for(app, person.id)
    assert f'href="{path}"' in account
    for response in (client.get(path), client.post(path)):
        html = response.get_data(as_text=True)
        assert '<a href="/account">Back to Your account</a>' in html
        assert "Go to the" not in html


def test_from_an_email_without_signing_in_the_way_on_is_the_site(app, make_user, client):
    person = make_user()
    html = client.get(path_for(app, person.id)).get_data(as_text=True)
    assert "Go to the" in html
    assert "Back to Your account" not in html


def test_someone_else_signed_in_is_not_sent_to_their_own_account(app, make_user, login_as):
    person = make_user()
    other = login_as(make_user())
    html = other.get(path_for(app, person.id)).get_data(as_text=True)
    assert "Back to Your account" not in html
