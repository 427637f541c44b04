"""Encodings, byte-order marks, line ends and content hashes."""

from __future__ import annotations

import hashlib

import pytest

from induction.content.source import DecodeError, decode, from_text

TEXT = "---\ntitle: Café\n---\n\nBody line.\n"


def test_plain_utf8_is_read_as_is() -> None:
    source = decode(TEXT.encode())
    assert source.text == TEXT
    assert not source.has_bom
    assert source.newline == "\n"


def test_bom_and_crlf_are_removed_but_remembered() -> None:
    raw = "\ufeff" + TEXT.replace("\n", "\r\n")
    source = decode(raw.encode("utf-8"))
    assert source.text == TEXT
    assert source.has_bom
    assert source.newline == "\r\n"
    assert source.denormalise(source.text) == raw


def test_old_mac_line_ends_are_normalised() -> None:
    source = from_text(TEXT.replace("\n", "\r"))
    assert source.text == TEXT
    assert source.newline == "\r"


@pytest.mark.parametrize(
    "variant",
    [TEXT, "\ufeff" + TEXT, TEXT.replace("\n", "\r\n"), "\ufeff" + TEXT.replace("\n", "\r\n")],
)
def test_content_hash_ignores_bom_and_line_ends(variant: str) -> None:
    expected = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    assert decode(variant.encode("utf-8")).content_hash == expected


def test_content_hash_changes_with_the_text() -> None:
    assert decode(b"a\n").content_hash != decode(b"b\n").content_hash


def test_invalid_utf8_reports_the_line_of_the_first_bad_byte() -> None:
    data = b"line one\nline two\ncaf\xe9 on line three\n\xff"
    with pytest.raises(DecodeError) as raised:
        decode(data)
    assert raised.value.line == 3
    assert "0xe9" in raised.value.message
    assert "save it as UTF-8" in raised.value.message
