"""Password hashing and rules."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from induction.accounts.passwords import (
    PROFILES,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from tests.factories import TEST_PASSWORD


def test_strong_profile_meets_owasp_argon2id_parameters():
    strong = PROFILES["strong"]
    assert strong["memory_cost"] >= 19456
    assert strong["time_cost"] >= 2
    assert strong["parallelism"] == 1


def test_hash_is_argon2id_and_verifies(app_ctx):
    stored = hash_password(TEST_PASSWORD)
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, TEST_PASSWORD)
    assert not verify_password(stored, TEST_PASSWORD + "!")
    assert not verify_password(None, TEST_PASSWORD)
    assert not verify_password("not a hash", TEST_PASSWORD)


def test_strong_profile_hash_uses_its_parameters(app_factory):
    app = app_factory(PASSWORD_HASH_PROFILE="strong")
    with app.app_context():
        stored = hash_password("a long enough passphrase")
    assert "m=19456,t=2,p=1" in stored


def test_unicode_is_normalised_so_equivalent_input_matches(app_ctx):
    stored = hash_password("café au lait du matin")  # composed é
    assert verify_password(stored, "cafe\u0301 au lait du matin")  # e + combining accent


def test_hash_made_with_other_parameters_needs_rehash(app_ctx):
    old = PasswordHasher(time_cost=1, memory_cost=16, parallelism=1).hash("x")
    assert needs_rehash(old)
    assert not needs_rehash(hash_password("x"))


def test_production_refuses_the_test_profile(tmp_path):
    from induction import create_app

    with pytest.raises(RuntimeError, match="PASSWORD_HASH_PROFILE"):
        create_app(
            {
                "INSTANCE_PATH": str(tmp_path),
                "ENV": "production",
                "SECRET_KEY": "s" * 40,
                "BASE_URL": "https://learn.example.org",
                "MAIL_FROM": "induction@learn.example.org",
                "PASSWORD_HASH_PROFILE": "test",
            }
        )


@pytest.mark.parametrize(
    "password",
    [
        TEST_PASSWORD,
        "Ünïcödé pässwörd 日本語のパスワード",
        "ein langer Satz über den Rhein und die Berge " * 6,  # 264 characters
    ],
)
def test_good_passwords_are_accepted(app_ctx, password):
    assert password_problem(password, ["someone@example.org", "Someone"]) is None


def test_passwords_up_to_1000_characters_are_allowed(app_ctx):
    long = ("paper lantern river " * 60)[:1000]
    assert password_problem(long) is None
    assert "fewer" in password_problem(long + "x")


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("short", "8 characters or more"),
        ("password1", "harder to guess"),
        ("qwertyuiop", "harder to guess"),
        ("aaaaaaaaaaaa", "harder to guess"),
    ],
)
def test_short_and_common_passwords_are_refused_with_advice(app_ctx, password, expected):
    assert expected in password_problem(password)


def test_password_made_from_the_persons_email_is_refused(app_ctx):
    assert password_problem("jane.appleseed2024", ["jane.appleseed2024@example.org"]) is not None


def test_no_composition_rules(app_ctx):
    # Only lower-case letters and spaces, yet long and unusual: accepted.
    assert password_problem("purple otters juggle quietly") is None
