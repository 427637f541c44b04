"""A partly answered quiz survives an expired form or session: the answers come back, no 400."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

import pytest
from sqlalchemy import select, update

from induction.accounts.models import UserSession
from induction.database import utcnow
from induction.extensions import db
from induction.quizzes.models import QuizAttempt
from tests.factories import TEST_PASSWORD, form_data
from tests.quizzes.pages import (
    ALL_RIGHT,
    BASICS_QUIZ,
    check,
    choose,
    form_with_button,
    page,
    start,
    submit_from,
    text_of,
)

PICKS = {
    "be-what": "Kind",
    "rules-ask": ["Kindness", "Silence"],
    "first-lesson": {"text": "Welcome"},
}
EXPIRED = "Your answers were not sent because the page had expired. We have kept them"
SIGNED_OUT = "Your answers were not sent because you had been signed out. We have kept them"


@pytest.fixture
def app(app_factory):
    """An app with CSRF protection switched on, as in production."""
    return app_factory(WTF_CSRF_ENABLED=True)


def attempt_row(app, attempt_id: int) -> QuizAttempt:
    with app.app_context():
        row = db.session.get(QuizAttempt, attempt_id)
        db.session.expunge(row)
        return row


def attempt_id(url: str) -> int:
    return int(url.rsplit("/", 1)[1])


def forget_csrf_token(client) -> None:
    """What an expired form amounts to: the token it carries no longer matches the session."""
    with client.session_transaction() as session:
        session.pop("csrf_token", None)


def end_sessions(app, user_id: int) -> None:
    """Let every session of the person run out (idle for longer than the limit)."""
    long_ago = utcnow() - dt.timedelta(days=30)
    with app.app_context():
        db.session.execute(
            update(UserSession)
            .where(UserSession.user_id == user_id)
            .values(created_at=long_ago, last_seen_at=long_ago)
        )
        db.session.commit()


def assert_filled_in(html: str) -> None:
    assert '<input checked id="q-be-what-0"' in html
    checked = re.findall(r'<input checked id="(q-rules-ask-\d)"', html)
    assert checked == ["q-rules-ask-0", "q-rules-ask-2"]
    assert 'value="Welcome"' in html


def test_the_answer_form_is_protected_but_carries_its_token(app, login_as):
    client = login_as()
    html = page(client.get(start(client)))
    assert 'name="csrf_token"' in html


@pytest.mark.parametrize("step", ["check", "submit"])
def test_an_expired_form_keeps_the_answers(app, login_as, step):
    client = login_as()
    url = start(client)
    if step == "check":
        action, data = url, choose(page(client.get(url)), PICKS)
    else:
        form = form_with_button(check(client, url, PICKS), "Submit answers")
        action, data = form.action, form.hidden()
    forget_csrf_token(client)

    response = client.post(action, data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == url
    row = attempt_row(app, attempt_id(url))
    assert row.submitted_at is None
    assert row.draft_answers["reason"] == "expired"

    html = page(client.get(url))
    assert EXPIRED in text_of(html)
    assert_filled_in(html)
    # A fresh form goes through.
    fixed = {**PICKS, "rules-ask": ["Kindness", "Being on time"]}
    form = form_with_button(check(client, url, fixed), "Submit answers")
    assert client.post(form.action, data=form.hidden()).status_code == 303
    assert "You scored 3 of 4, 75%." in text_of(page(client.get(url)))


def test_an_expired_start_button_asks_again(app, login_as):
    client = login_as()
    page(client.get(BASICS_QUIZ))
    forget_csrf_token(client)
    response = client.post(BASICS_QUIZ, data={"csrf_token": "stale"})
    assert response.status_code == 303
    assert response.headers["Location"] == BASICS_QUIZ
    assert "the quiz did not start" in text_of(page(client.get(BASICS_QUIZ)))
    with app.app_context():
        assert db.session.scalars(select(QuizAttempt)).all() == []


def test_a_forged_post_changes_nothing(app, login_as):
    """Without the page's CSRF token and the attempt's own key, nothing is kept."""
    client = login_as()
    url = start(client)
    response = client.post(url, data={"q-be-what": "1", "submit_key": "guess"})
    assert response.status_code == 303
    assert attempt_row(app, attempt_id(url)).draft_answers is None
    response = client.post(f"{url}/submit", data={"q-be-what": "1", "submit_key": "guess"})
    assert response.status_code == 303
    row = attempt_row(app, attempt_id(url))
    assert row.submitted_at is None
    assert row.draft_answers is None


@pytest.mark.parametrize("step", ["check", "submit"])
def test_answers_survive_a_sign_in_again(app, make_user, login_as, step):
    user = make_user()
    client = login_as(user)
    url = start(client)
    if step == "check":
        action, data = url, choose(page(client.get(url)), PICKS)
    else:
        form = form_with_button(check(client, url, PICKS), "Submit answers")
        action, data = form.action, form.hidden()
    end_sessions(app, user.id)

    response = client.post(action, data=data)
    assert response.status_code == 303
    login_url = f"/login?next={quote(url, safe='')}"
    assert response.headers["Location"] == login_url
    row = attempt_row(app, attempt_id(url))
    assert row.submitted_at is None
    assert row.draft_answers["reason"] == "signed_out"
    assert "your answers have been kept" in text_of(page(client.get(login_url)))

    signed_in = client.post(
        login_url,
        data=form_data(client, login_url, {"email": user.email, "password": TEST_PASSWORD}),
    )
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] == url
    html = page(client.get(url))
    assert SIGNED_OUT in text_of(html)
    assert_filled_in(html)

    response = submit_from(client, check(client, url, {**PICKS, **ALL_RIGHT}))
    assert response.headers["Location"] == url
    assert "You scored 4 of 4, 100%." in text_of(page(client.get(url)))


def test_a_signed_out_post_with_a_wrong_key_keeps_nothing(app, make_user, login_as):
    user = make_user()
    client = login_as(user)
    url = start(client)
    end_sessions(app, user.id)
    response = client.post(url, data={"q-be-what": "1", "submit_key": "guess"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/login?next=")
    assert attempt_row(app, attempt_id(url)).draft_answers is None


def test_someone_else_signing_in_does_not_see_the_kept_answers(app, make_user, login_as):
    owner, other = make_user(), make_user()
    client = login_as(owner)
    url = start(client)
    data = choose(page(client.get(url)), PICKS)
    end_sessions(app, owner.id)
    login_url = client.post(url, data=data).headers["Location"]
    signed_in = client.post(
        login_url,
        data=form_data(client, login_url, {"email": other.email, "password": TEST_PASSWORD}),
    )
    assert signed_in.headers["Location"] == url
    assert client.get(url).status_code == 404


def test_a_signed_out_post_to_an_unknown_attempt_goes_to_sign_in(app, client):
    response = client.post(f"{BASICS_QUIZ}/attempts/999/submit", data={"submit_key": "x"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/login?next={quote(BASICS_QUIZ, safe='')}"
