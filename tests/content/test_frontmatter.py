"""Front matter: where it is, key lines, types, defaults and the messages about it."""

from __future__ import annotations

import pytest

from induction.content.document import Document, parse_source
from induction.content.source import from_text
from tests.content.helpers import formatted

QUESTION = "## Q {#q}\n\n- [x] A\n- [ ] B\n"


def parse(text: str, kind: str = "lesson") -> Document:
    if kind == "quiz":
        text += QUESTION
    return parse_source(from_text(text), kind, "x.md")


def messages(document: Document) -> list[str]:
    return formatted(document.problems)


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("No", "No"),
        ("yes", "yes"),
        ("1.0", "1.0"),
        ("2020-01-01", "2020-01-01"),
        ("null", None),
        ('"No"', "No"),
        ("'It''s here'", "It's here"),
        ("Fees # and charges", "Fees"),  # a YAML comment
        ("  spaced  ", "spaced"),
    ],
)
def test_text_keys_keep_the_text_as_written(written: str, value: str | None) -> None:
    document = parse(f"---\ntitle: {written}\n---\nBody\n")
    if value is None:
        assert "title" not in document.values
        assert messages(document) == [
            "x.md:2: 'title' has no value: write one after 'title:' or remove the line"
        ]
    else:
        assert document.values["title"] == value
        assert document.problems == ()


def test_block_scalars_give_their_text() -> None:
    document = parse("---\ntitle: T\nacknowledge: >\n  I have read\n  and understood.\n---\n")
    assert document.values["acknowledge"] == "I have read and understood."


@pytest.mark.parametrize(("written", "value"), [("0", 0), ("100", 100), ("080", 80), ("+5", 5)])
def test_integers(written: str, value: int) -> None:
    document = parse(f"---\npass_mark: {written}\n---\n", "quiz")
    assert document.values == {"pass_mark": value}


@pytest.mark.parametrize(
    ("key", "written", "fragment"),
    [
        ("pass_mark", "1.5", "from 0 to 100, not '1.5'"),
        ("pass_mark", "ten", "not 'ten'"),
        ("pass_mark", "true", "not 'true'"),
        ("pass_mark", "101", "not 101"),
        ("pass_mark", "-1", "not -1"),
        ("pass_mark", '"80"', "not the quoted text '80'"),
        ("pass_mark", "[80]", "must be a single value, not a list"),
        ("max_attempts", "-1", "0 or more, not -1"),
        ("shuffle", "yes", "must be true or false, not 'yes'"),
        ("shuffle", "1", "must be true or false, not '1'"),
        ("shuffle", "on", "must be true or false, not 'on'"),
        ("shuffle", '"true"', "must be true or false"),
    ],
)
def test_wrong_types_are_errors_at_the_key_line(key: str, written: str, fragment: str) -> None:
    document = parse(f"---\ntitle: Quiz\n{key}: {written}\n---\n", "quiz")
    assert key not in document.values
    assert [(p.line, fragment in p.message) for p in document.problems] == [(3, True)]


@pytest.mark.parametrize(("written", "value"), [("true", True), ("false", False), ("True", True)])
def test_booleans(written: str, value: bool) -> None:
    assert parse(f"---\nshuffle: {written}\n---\n", "quiz").values["shuffle"] is value


@pytest.mark.parametrize(
    "written",
    ["officer", "[officer]", "\n  - officer", "[officer, officer]"],
)
def test_a_list_key_takes_one_value_or_a_list(written: str) -> None:
    document = parse(f"---\ntitle: T\naudiences: {written}\n---\n")
    assert document.values["audiences"] == frozenset({"officer"})


def test_due_days_must_be_at_least_one() -> None:
    text = "---\ntitle: C\nsummary: S\ndue_days: 0\n---\n"
    assert messages(parse(text, "course")) == [
        "x.md:4: 'due_days' must be a whole number, 1 or more, not 0: write it like 'due_days: 30'"
    ]


def test_missing_front_matter_names_every_required_key() -> None:
    document = parse("Just a body.\n", "course")
    assert messages(document) == [
        "x.md:1: the file has no front matter: start it with a '---' line, then 'title: ...' "
        "and 'summary: ...', then another '---' line"
    ]


def test_a_quiz_needs_no_front_matter() -> None:
    document = parse("", "quiz")
    assert document.problems == ()
    assert not document.front.present
    assert document.front.body_line == 1


def test_front_matter_must_start_on_line_one() -> None:
    document = parse("\n---\ntitle: Late\n---\n")
    assert "the file has no front matter" in document.problems[0].message


def test_front_matter_after_a_bom_with_crlf_keeps_its_lines() -> None:
    document = parse("\ufeff---\r\ntitle: T\r\nminuts: 3\r\n---\r\nBody\r\n")
    assert messages(document) == [
        "x.md:3: unknown front matter key 'minuts' (did you mean 'minutes'?)"
    ]
    assert document.body == "Body\n"
    assert document.front.body_line == 5


def test_unknown_key_without_a_close_match_lists_the_allowed_keys() -> None:
    document = parse("---\ntitle: T\nsummary: S\ncolour: red\n---\n", "module")
    assert messages(document) == [
        "x.md:4: unknown front matter key 'colour': remove it "
        "(allowed here: id, title, summary, audiences)"
    ]


def test_a_key_of_another_kind_of_file_says_where_it_belongs() -> None:
    document = parse("---\ntitle: T\nsummary: S\ndue_days: 3\n---\n", "module")
    assert messages(document) == [
        "x.md:4: front matter key 'due_days' is not allowed in module.md "
        "(it belongs in course.md): remove it"
    ]


def test_yaml_syntax_errors_give_the_yaml_line() -> None:
    document = parse("---\ntitle: T\nsummary: a: b\nminutes: 3\n---\n")
    assert [p.line for p in document.problems] == [3]
    assert "not valid YAML" in document.problems[0].message


def test_every_problem_in_a_file_is_reported() -> None:
    document = parse(
        "---\nid: Bad Id\nminutes: ten\nversion: 0\naudiences: [nobody]\nfoo: 1\n---\n"
    )
    assert [p.line for p in document.problems] == [2, 3, 4, 5, 6, 1]


def test_key_lines_and_comments_are_kept() -> None:
    document = parse("---\n# about the title\ntitle: T  # short\n\nminutes: 4\n# the end\n---\n")
    entries = {entry.key: entry for entry in document.front.entries}
    assert entries["title"].line == 3
    assert entries["title"].comments_before == ("# about the title",)
    assert entries["title"].inline_comments == ("# short",)
    assert entries["minutes"].line == 5
    assert document.front.trailing_comments == ("# the end",)
    assert document.key_line("minutes") == 5
    assert document.key_line("version") == 1
