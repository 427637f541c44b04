"""The second factor: set-up, sign-in with a code or a recovery code, replay, admin guard."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select, update

from induction.accounts import totp
from induction.accounts.models import RecoveryCode, User
from induction.extensions import db
from tests.factories import TEST_PASSWORD


def _secret_of(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).totp_secret


def _password_step(client, user):
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/login/two-factor"


def test_admin_signs_in_with_password_then_code(app, client, make_user, audit_actions):
    admin = make_user(role="admin")
    _password_step(client, admin)
    assert client.get("/admin/").status_code == 302  # not signed in yet
    code = pyotp.TOTP(_secret_of(app, admin.id)).now()
    response = client.post("/login/two-factor", data={"code": code})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/admin/").status_code == 200
    assert audit_actions()[-1] == "auth.login"


def test_code_page_has_one_time_code_autocomplete(app, client, make_user):
    _password_step(client, make_user(role="admin"))
    page = client.get("/login/two-factor").get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in page


def test_wrong_code_is_refused_with_a_message(app, client, make_user):
    admin = make_user(role="admin")
    _password_step(client, admin)
    response = client.post("/login/two-factor", data={"code": "000000"})
    assert "The code is not right" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_a_used_code_cannot_be_replayed(app, make_user):
    admin = make_user(role="admin")
    code = pyotp.TOTP(_secret_of(app, admin.id)).now()
    first, second = app.test_client(), app.test_client()
    _password_step(first, admin)
    assert first.post("/login/two-factor", data={"code": code}).status_code == 302
    _password_step(second, admin)
    response = second.post("/login/two-factor", data={"code": code})
    assert response.status_code == 200
    assert "The code is not right" in response.get_data(as_text=True)


def test_matching_step_accepts_one_step_of_drift_and_not_more():
    secret, now = (
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        1_700_000_000.0,
    )  # fixed: the codes below are known
    step = totp.current_step(now)
    generator = pyotp.TOTP(secret)
    for offset, expected in [(-2, None), (-1, step - 1), (0, step), (1, step + 1), (2, None)]:
        code = generator.at((step + offset) * 30)
        assert totp.matching_step(secret, code, after=None, now=now) == expected, offset
    assert totp.matching_step(secret, generator.at(step * 30), after=step, now=now) is None
    assert totp.matching_step(secret, "12345", after=None, now=now) is None


def test_recovery_code_works_once(app, client, make_user):
    admin = make_user(role="admin")
    with app.app_context():
        user = db.session.get(User, admin.id)
        codes = totp.new_recovery_codes(user)
        db.session.commit()
        assert len(codes) == 10
        assert len(set(codes)) == 10
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert codes[0] not in stored  # only hashes are kept
    _password_step(client, admin)
    response = client.post("/login/two-factor", data={"code": codes[0].upper()})
    assert response.status_code == 302
    client.post("/logout")
    _password_step(client, admin)
    response = client.post("/login/two-factor", data={"code": codes[0]})
    assert "The code is not right" in response.get_data(as_text=True)


def test_the_code_step_expires(app_factory, make_user):
    app = app_factory(TWO_FACTOR_PENDING_MINUTES=0)
    admin = make_user(role="admin")
    client = app.test_client()
    _password_step(client, admin)
    time.sleep(0.01)
    with app.app_context():
        code = pyotp.TOTP(db.session.get(User, admin.id).totp_secret).now()
    response = client.post("/login/two-factor", data={"code": code})
    assert response.headers["Location"] == "/login"


def test_code_page_without_password_step_sends_to_login(client):
    assert client.get("/login/two-factor").headers["Location"] == "/login"


def _set_up_totp(client, app, user_id):
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "<svg" in page
    assert "<script" not in page
    shown = (
        re.search(r'<p class="secret"><code>([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    )
    assert shown == _secret_of(app, user_id)
    return client.post("/account/two-factor", data={"code": pyotp.TOTP(shown).now()})


def test_admin_without_second_factor_must_set_it_up_before_any_page(app, client, make_user):
    admin = make_user(role="admin", totp=False)
    response = client.post("/login", data={"email": admin.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/account/two-factor"
    for path in ("/admin/", "/admin/people", "/account", "/courses/"):
        assert client.get(path).headers.get("Location") == "/account/two-factor", path
    response = _set_up_totp(client, app, admin.id)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your recovery codes" in page
    assert len(re.findall(r"<li><code>[a-z2-9-]{19}</code></li>", page)) == 10
    assert client.get("/admin/").status_code == 200


def test_learner_may_turn_the_second_factor_on_and_off(app, login_as, audit_actions):
    client = login_as()
    assert _set_up_totp(client, app, client.user.id).status_code == 200
    with app.app_context():
        assert db.session.get(User, client.user.id).has_totp
    response = client.post(
        "/account/two-factor/disable", data={"disable-current_password": "wrong"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, client.user.id).has_totp
    client.post("/account/two-factor/disable", data={"disable-current_password": TEST_PASSWORD})
    with app.app_context():
        assert not db.session.get(User, client.user.id).has_totp
    assert {"totp.enabled", "totp.disabled"} <= set(audit_actions())


def test_admin_cannot_turn_the_second_factor_off(app, login_as):
    client = login_as(role="admin")
    client.post("/account/two-factor/disable", data={"disable-current_password": TEST_PASSWORD})
    with app.app_context():
        assert db.session.get(User, client.user.id).has_totp


def test_new_recovery_codes_replace_the_old_ones(app, login_as):
    client = login_as(role="admin")
    response = client.post(
        "/account/two-factor/recovery-codes", data={"codes-current_password": TEST_PASSWORD}
    )
    assert "Your recovery codes" in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, client.user.id)
        assert totp.recovery_codes_left(user) == 10


def test_wrong_setup_code_keeps_the_same_secret(app, login_as):
    client = login_as()
    client.get("/account/two-factor")
    secret = _secret_of(app, client.user.id)
    response = client.post("/account/two-factor", data={"code": "123"})
    assert "The code is not right" in response.get_data(as_text=True)
    assert _secret_of(app, client.user.id) == secret
    with app.app_context():
        assert not db.session.get(User, client.user.id).has_totp


@pytest.mark.parametrize("code", ["", "abc"])
def test_setup_code_problems_show_beside_the_field(login_as, code):
    client = login_as()
    page = client.post("/account/two-factor", data={"code": code}).get_data(as_text=True)
    assert 'class="error-message"' in page


def test_verify_code_ignores_disabled_user(app_ctx):
    user = User(email="x@example.org", name="X")
    assert not totp.verify_code(user, "123456")
    db.session.rollback()


def test_totp_last_step_is_stored(app, make_user):
    admin = make_user(role="admin")
    with app.app_context():
        db.session.execute(update(User).values(totp_last_step=None))
        db.session.commit()
    client = app.test_client()
    _password_step(client, admin)
    client.post("/login/two-factor", data={"code": pyotp.TOTP(_secret_of(app, admin.id)).now()})
    with app.app_context():
        assert db.session.get(User, admin.id).totp_last_step == totp.current_step() or (
            db.session.get(User, admin.id).totp_last_step == totp.current_step() - 1
        )


def test_admin_turns_off_a_persons_lost_second_factor(app, login_as, make_user, audit_actions):
    person = login_as(totp=True)
    admin = login_as(role="admin")
    page = admin.get(f"/admin/people/{person.user.id}").get_data(as_text=True)
    assert "Turn off two-step verification" in page
    assert admin.post(f"/admin/people/{person.user.id}/reset-two-factor").status_code == 302
    with app.app_context():
        assert not db.session.get(User, person.user.id).has_totp
    assert person.get("/account").status_code == 302  # signed out
    assert "totp.reset_by_admin" in audit_actions()
