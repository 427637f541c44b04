"""Ids and ordering from file and folder names."""

from __future__ import annotations

import pytest

from induction.content.ids import id_from_name, is_valid_id, order_key, split_prefix, suggest_id


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("01-welcome", (1, "welcome")),
        ("01-02-x", (1, "02-x")),  # stripped once only
        ("10-later", (10, "later")),
        ("welcome", (None, "welcome")),
        ("2020", (None, "2020")),
        ("01-", (None, "01-")),
    ],
)
def test_split_prefix(name: str, expected: tuple[int | None, str]) -> None:
    assert split_prefix(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("01-welcome.md", "welcome"), ("01-02-x.md", "02-x"), ("intro.md", "intro"), ("01-a", "a")],
)
def test_id_from_name_strips_prefix_and_extension(name: str, expected: str) -> None:
    assert id_from_name(name) == expected


def test_prefixed_names_come_first_by_number_then_the_rest_by_name() -> None:
    names = ["intro", "10-later", "b-side", "2-earlier", "01-first", "1-also-first"]
    assert sorted(names, key=order_key) == [
        "01-first",
        "1-also-first",
        "2-earlier",
        "10-later",
        "b-side",
        "intro",
    ]


@pytest.mark.parametrize("value", ["a", "module-one", "2020", "a1-b2-c3"])
def test_valid_ids(value: str) -> None:
    assert is_valid_id(value)


@pytest.mark.parametrize(
    "value", ["", "Module", "module one", "module--one", "-module", "module-", "module_one", "café"]
)
def test_invalid_ids(value: str) -> None:
    assert not is_valid_id(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Module One", "module-one"),
        ("Café  Politique!", "cafe-politique"),
        ("Bad_Id", "bad-id"),
        ("___", "some-id"),
    ],
)
def test_suggested_ids_are_valid(text: str, expected: str) -> None:
    assert suggest_id(text) == expected
    assert is_valid_id(suggest_id(text))
