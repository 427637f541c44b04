"""The certificate PDF: one A4 landscape page, Unicode names, a QR code, no overflow."""

from __future__ import annotations

import dataclasses
import datetime
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from induction.progress.certificate_pdf import (
    DEFAULT_BOLD_FONT,
    DEFAULT_FONT,
    CertificateData,
    render_certificate,
    uk_date,
)

pytestmark = pytest.mark.skipif(
    not (DEFAULT_FONT.is_file() and DEFAULT_BOLD_FONT.is_file()),
    reason="needs the DejaVu fonts (Debian package fonts-dejavu-core)",
)

MM_PER_PT = 25.4 / 72
A4_LANDSCAPE_PT = (841.89, 595.28)

DATA = CertificateData(
    learner_name="Llŷr Ãlvarez-Ó'Brien",
    course_title="CCIN induction: What is our Co-operative Difference?",
    organisation_name="Oldham Council",
    completed_on=datetime.date(2026, 11, 28),
    code="K7Q2-9XMP",
    verify_url="https://induction.example.org/certificates/K7Q2-9XMP",
    issuer="Co-operative Councils' Innovation Network",
)


def read(data: CertificateData, **fonts: Path | None) -> PdfReader:
    return PdfReader(io.BytesIO(render_certificate(data, **fonts)))


def one_line(text: str) -> str:
    return " ".join(text.split())


def text_positions(reader: PdfReader) -> list[tuple[float, float, str]]:
    """Return (x, y from the top, text) in millimetres for every run of text on page 1."""
    height = float(reader.pages[0].mediabox.height)
    found: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            found.append((tm[4] * MM_PER_PT, (height - tm[5]) * MM_PER_PT, text))

    reader.pages[0].extract_text(visitor_text=visit)
    return found


def test_one_a4_landscape_page_with_the_unicode_text() -> None:
    reader = read(DATA)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width, 2), round(height, 2)) == A4_LANDSCAPE_PT
    assert width > height
    assert (page.rotation or 0) == 0
    text = page.extract_text()
    for expected in (
        "Llŷr Ãlvarez-Ó'Brien",
        "Certificate of completion",
        "has completed",
        DATA.course_title,
        "Oldham Council",
        "28 November 2026",
        "K7Q2-9XMP",
        "Co-operative Councils' Innovation Network",
        f"Check this certificate at {DATA.verify_url}",
    ):
        assert expected in text


def test_welsh_name_prints_as_written() -> None:
    text = read(dataclasses.replace(DATA, learner_name="Siân Ŵyn")).pages[0].extract_text()
    assert "Siân Ŵyn" in text


def test_metadata_title_author_and_language() -> None:
    reader = read(DATA)
    assert reader.metadata is not None
    assert reader.metadata.title == f"Certificate of completion: {DATA.course_title}"
    assert reader.metadata.author == DATA.issuer
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_qr_code_image_and_links_to_the_verify_url() -> None:
    page = read(DATA).pages[0]
    images = list(page.images)
    assert len(images) == 1
    qr = images[0].image
    assert qr is not None
    assert qr.width == qr.height  # a QR code is square
    uris = {annot.get_object()["/A"]["/URI"] for annot in page.get("/Annots", [])}
    assert uris == {DATA.verify_url}


def test_organisation_is_left_out_when_not_given() -> None:
    without = read(dataclasses.replace(DATA, organisation_name=None)).pages[0].extract_text()
    assert "Oldham Council" not in without
    assert DATA.learner_name in without


def test_regular_font_serves_for_bold_when_no_bold_font() -> None:
    reader = read(DATA, bold_font_path=None)
    assert DATA.learner_name in reader.pages[0].extract_text()


def test_a_missing_font_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="CERTIFICATE_FONT") as caught:
        render_certificate(DATA, font_path=tmp_path / "nope.ttf")
    assert "nope.ttf" in str(caught.value)


def test_a_missing_bold_font_names_its_setting(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="CERTIFICATE_BOLD_FONT"):
        render_certificate(DATA, bold_font_path=tmp_path / "nope-bold.ttf")


def assert_inside_page(reader: PdfReader) -> None:
    """Every run of text starts inside the margins; the body stays above the footer."""
    positions = text_positions(reader)
    assert positions
    for x, y, text in positions:
        assert 27 <= x <= 270, (x, text)
        assert 20 <= y <= 185, (y, text)


def test_a_120_character_course_title_still_fits_one_page() -> None:
    title = (
        "Understanding the Co-operative Councils' Innovation Network: values, governance, "
        "membership benefits and our commitments"
    )
    assert len(title) == 120
    reader = read(dataclasses.replace(DATA, course_title=title))
    assert len(reader.pages) == 1
    assert one_line(title) in one_line(reader.pages[0].extract_text())
    assert_inside_page(reader)


def test_absurdly_long_texts_shrink_or_are_cut_but_never_overflow() -> None:
    data = dataclasses.replace(
        DATA,
        learner_name="Wolfeschlegelsteinhausenbergerdorff" * 6,
        course_title="A course title that goes on " * 12,
        organisation_name="The Royal Borough of Somewhere Extraordinarily Long " * 4,
        issuer="An issuer with a very long name indeed " * 4,
    )
    reader = read(data)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "…" in text  # something had to be cut
    assert "K7Q2-9XMP" in text  # the footer is untouched
    assert DATA.verify_url in text
    assert_inside_page(reader)


def test_default_layout_is_inside_the_page() -> None:
    assert_inside_page(read(DATA))


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (datetime.date(2026, 11, 28), "28 November 2026"),
        (datetime.date(2025, 3, 1), "1 March 2025"),
        (datetime.date(2024, 1, 31), "31 January 2024"),
    ],
)
def test_uk_dates(day: datetime.date, text: str) -> None:
    assert uk_date(day) == text
