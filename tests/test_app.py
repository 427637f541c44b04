"""The app factory, configuration layers, health check, security headers and error pages."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from induction import create_app


def test_config_layers_env_overrides_instance_file_and_test_dict_wins(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text('SITE_NAME = "From file"\nCOURSES_DIR = "/from/file"\n')
    monkeypatch.setenv("INDUCTION_COURSES_DIR", "/from/env")
    monkeypatch.setenv("INDUCTION_COURSES_RELOAD_SECONDS", "7")
    app = create_app(
        {"INSTANCE_PATH": str(instance), "SECRET_KEY": "x" * 32, "SITE_NAME": "From test"}
    )
    assert app.config["SITE_NAME"] == "From test"
    assert app.config["COURSES_DIR"] == "/from/env"
    assert app.config["COURSES_RELOAD_SECONDS"] == 7


def test_induction_database_url_wins_over_plain_database_url(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://plain@db/plain")
    monkeypatch.setenv("INDUCTION_DATABASE_URL", "postgresql://prefixed@db/prefixed")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://prefixed@db/prefixed"


def test_plain_database_url_is_used_and_normalised(tmp_path, monkeypatch):
    monkeypatch.delenv("INDUCTION_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://plain@db/plain")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://plain@db/plain"


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("INDUCTION_DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'induction.sqlite'}"


@pytest.mark.parametrize("secret", [None, "dev", "short"])
def test_production_refuses_missing_or_default_secret_key(tmp_path, monkeypatch, secret):
    monkeypatch.delenv("INDUCTION_SECRET_KEY", raising=False)
    config = {"INSTANCE_PATH": str(tmp_path), "ENV": "production"}
    if secret is not None:
        config["SECRET_KEY"] = secret
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


def test_development_makes_and_keeps_an_instance_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("INDUCTION_SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_secure_cookies_by_default(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "ENV": "production",
            "SECRET_KEY": "s" * 40,
            "BASE_URL": "https://learn.example.org",
            "MAIL_FROM": "induction@learn.example.org",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_does_not_answer(app_factory, tmp_path):
    app = app_factory(
        DATABASE_URL="postgresql://nobody@127.0.0.1:1/none",
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 1}},
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"


def test_security_headers_on_every_page(client):
    response = client.get("/accessibility")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_unknown_page_gets_a_helpful_404(client, login_as):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page
    # Signed out: the front page (the courses would only ask to sign in), and who to ask.
    assert '<a href="/">Go to the start page of the CCIN induction</a>' in page
    assert 'href="/courses/"' not in page
    assert 'email the CCIN at <a href="mailto:comms@councils.coop">' in page
    signed_in = login_as(role="learner").get("/no/such/page").get_data(as_text=True)
    assert '<a href="/">Go to My learning</a>' in signed_in
    assert 'href="/courses/"' in signed_in


def test_unexpected_error_shows_no_stack_trace(app: Flask):
    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom-for-test")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_pages_load_nothing_from_another_host(client):
    page = client.get("/accessibility").get_data(as_text=True)
    loaded = re.findall(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="([^"]*)"', page)
    loaded += re.findall(r'<link\b[^>]*\bhref="([^"]*)"', page)
    assert loaded, "the page should load its own stylesheet"
    assert all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded
