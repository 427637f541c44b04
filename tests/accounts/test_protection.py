"""CSRF on every POST, and rate limits on sign-in, the code step and reset (memory and Redis)."""

from __future__ import annotations

import random
import socket
import uuid

import pytest

from tests.factories import TEST_PASSWORD, csrf_token_from, sign_in


def _random_ip() -> str:
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def test_post_without_csrf_token_is_refused(app_factory, make_user):
    app = app_factory(WTF_CSRF_ENABLED=True)
    user = make_user()
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_logout_without_csrf_token_is_refused_and_keeps_the_session(app_factory, make_user):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    sign_in(client, make_user())
    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200
    token = csrf_token_from(client.get("/account").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/account").status_code == 302


def test_admin_actions_need_the_csrf_token(app_factory, make_user):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    sign_in(client, make_user(role="admin"))
    target = make_user()
    assert client.post(f"/admin/people/{target.id}/deactivate").status_code == 400


def _limited_app(app_factory, **config):
    return app_factory(
        RATELIMIT_ENABLED=True,
        LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes",
        LOGIN_LIMIT_PER_IP="5 per 15 minutes",
        RESET_LIMIT_PER_ACCOUNT="2 per 15 minutes",
        RESET_LIMIT_PER_IP="4 per 15 minutes",
        **config,
    )


def _fail_login(client, email, ip):
    return client.post(
        "/login",
        data={"email": email, "password": "not the password"},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_repeated_failed_logins_for_one_account_get_429(app_factory, make_user):
    app = _limited_app(app_factory)
    user = make_user()
    client = app.test_client()
    for _ in range(3):
        assert _fail_login(client, user.email, _random_ip()).status_code == 200
    response = _fail_login(client, user.email, _random_ip())  # another address: still limited
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    # Even the right password is refused while the account is limited.
    response = client.post(
        "/login",
        data={"email": user.email, "password": TEST_PASSWORD},
        environ_base={"REMOTE_ADDR": _random_ip()},
    )
    assert response.status_code == 429


def test_repeated_failed_logins_from_one_address_get_429(app_factory):
    app = _limited_app(app_factory)
    client = app.test_client()
    ip = _random_ip()
    for n in range(5):
        assert _fail_login(client, f"someone{n}@example.org", ip).status_code == 200
    assert _fail_login(client, "someone-else@example.org", ip).status_code == 429
    assert _fail_login(client, "someone-else@example.org", _random_ip()).status_code == 200


def test_successful_sign_ins_do_not_use_up_the_limit(app_factory, make_user):
    app = _limited_app(app_factory)
    user = make_user()
    for _ in range(5):
        client = app.test_client()
        response = client.post(
            "/login",
            data={"email": user.email, "password": TEST_PASSWORD},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        )
        assert response.status_code == 302


def test_showing_the_login_page_is_not_limited(app_factory):
    app = _limited_app(app_factory)
    client = app.test_client()
    for _ in range(10):
        assert client.get("/login").status_code == 200


def test_reset_requests_are_limited_per_account_and_per_address(app_factory):
    app = _limited_app(app_factory)
    client = app.test_client()
    for _ in range(2):
        response = client.post(
            "/reset", data={"email": "a@example.org"}, environ_base={"REMOTE_ADDR": _random_ip()}
        )
        assert response.status_code == 200
    assert (
        client.post(
            "/reset", data={"email": "a@example.org"}, environ_base={"REMOTE_ADDR": _random_ip()}
        ).status_code
        == 429
    )
    ip = _random_ip()
    for n in range(4):
        client.post("/reset", data={"email": f"p{n}@example.org"}, environ_base={"REMOTE_ADDR": ip})
    assert (
        client.post(
            "/reset", data={"email": "q@example.org"}, environ_base={"REMOTE_ADDR": ip}
        ).status_code
        == 429
    )


def test_wrong_codes_at_the_second_step_are_limited(app_factory, make_user):
    app = _limited_app(app_factory)
    admin = make_user(role="admin")
    client = app.test_client()
    env = {"REMOTE_ADDR": _random_ip()}
    client.post("/login", data={"email": admin.email, "password": TEST_PASSWORD}, environ_base=env)
    codes = [
        client.post("/login/two-factor", data={"code": "000000"}, environ_base=env).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_available(), reason="no Redis server on 127.0.0.1:6379")
def test_limits_are_shared_through_redis(app_factory, make_user):
    uri = "redis://127.0.0.1:6379/0"
    user = make_user(email=f"redis-{uuid.uuid4().hex}@example.org")
    first = _limited_app(app_factory, RATELIMIT_STORAGE_URI=uri)
    for _ in range(3):
        assert _fail_login(first.test_client(), user.email, _random_ip()).status_code == 200
    # A second app (another worker or host) sees the same counters.
    second = _limited_app(app_factory, RATELIMIT_STORAGE_URI=uri)
    assert _fail_login(second.test_client(), user.email, _random_ip()).status_code == 429


def test_prefixed_forms_on_one_page_carry_their_csrf_tokens(app_factory, make_user):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    sign_in(client, make_user(totp=True))
    page = client.get("/account/two-factor").get_data(as_text=True)
    token = csrf_token_from(page)
    assert 'id="codes-csrf_token"' in page
    response = client.post(
        "/account/two-factor/recovery-codes",
        data={"codes-csrf_token": token, "codes-current_password": TEST_PASSWORD},
    )
    assert "Your recovery codes" in response.get_data(as_text=True)
