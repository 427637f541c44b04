"""My record reads row by row on a phone and says what each download is for; the printed
certificate carries no internal ids, while the evidence it was earned on is kept."""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from induction.accounts.models import User
from induction.catalogue import get_catalogue
from induction.database import utcnow
from induction.extensions import db
from induction.progress import certificates
from induction.progress.certificate_pdf import DEFAULT_BOLD_FONT, DEFAULT_FONT
from induction.progress.models import Certificate, LessonCompletion
from induction.quizzes.models import QuizAttempt
from tests.progress.test_learning import complete, pass_quiz
from tests.quizzes.pages import page, text_of


class _Cells(HTMLParser):
    """Collect the class of each table and its cells: (data-label or None, text) per row."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[str, list[list[tuple[str | None, str]]]]] = []
        self._cell: list[str] | None = None
        self._label: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.tables.append((a.get("class") or "", []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag == "td":
            self._cell, self._label = [], a.get("data-label")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.tables[-1][1][-1].append((self._label, " ".join("".join(self._cell).split())))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables_of(html: str) -> list[tuple[str, list[list[tuple[str | None, str]]]]]:
    reader = _Cells()
    reader.feed(html)
    return reader.tables


def test_my_record_table_reads_row_by_row_with_each_value_labelled(app, make_user, login_as):
    learner = make_user(audience="councillor")
    client = login_as(learner)
    complete(client, "welcome")
    complete(client, "rules", acknowledge=True)
    pass_quiz(app, learner.id)
    html = page(client.get("/my/record"))
    [(classes, rows)] = tables_of(html)
    assert "table--stack" in classes.split()
    body = [row for row in rows if row]  # the header row has no <td>
    assert body
    for row in body:
        # No code words: no Version column (the course is the table's heading).
        assert [label for label, _ in row] == ["Date", "What", "Result"]
    assert "Version" not in text_of(html)
    lessons = [row for row in body if row[1][1].startswith("The rules")]
    assert lessons[0][2] == ("Result", "Read and acknowledged")


def learned(app, user_id: int, course_id: str, lesson_id: str, version: int, days_ago: int):
    """Store a lesson completion directly, `days_ago` days back."""
    with app.app_context():
        db.session.add(
            LessonCompletion(
                user_id=user_id,
                course_id=course_id,
                lesson_id=lesson_id,
                lesson_version=version,
                completed_at=utcnow() - dt.timedelta(days=days_ago),
            )
        )
        db.session.commit()


def test_my_record_has_a_heading_and_a_table_per_course(app, make_user, login_as):
    """A long flat list becomes one table per course, under the course's name, the course
    last worked on first; each table newest first."""
    learner = make_user(audience="councillor")
    learned(app, learner.id, "basics", "welcome", 1, days_ago=10)
    learned(app, learner.id, "old-course", "intro", 1, days_ago=5)
    learned(app, learner.id, "basics", "rules", 2, days_ago=1)
    html = page(login_as(learner).get("/my/record"))
    headings = re.findall(r'<h3 id="record-([^"]+)">([^<]+)</h3>', html)
    assert headings == [("basics", "Basics"), ("old-course", "old-course")]
    tables = tables_of(html)
    assert len(tables) == 2
    basics = [row[1][1] for row in tables[0][1] if row]
    assert basics == ["The rules", "Welcome"]
    # Each table is named by its course, and the courses are listed to jump to.
    assert 'aria-labelledby="record-basics"' in html
    assert '<a href="#record-old-course">old-course</a>' in html


def test_my_record_names_a_version_only_to_tell_two_readings_apart(app, make_user, login_as):
    learner = make_user(audience="councillor")
    learned(app, learner.id, "basics", "rules", 1, days_ago=30)
    learned(app, learner.id, "basics", "rules", 2, days_ago=2)
    learned(app, learner.id, "basics", "welcome", 1, days_ago=30)
    [(_, rows)] = tables_of(page(login_as(learner).get("/my/record")))
    results = {(row[1][1], row[2][1]) for row in rows if row}
    assert results == {
        ("The rules", "Read After the lesson was updated (version 2)"),
        ("The rules", "Read Before the lesson was updated (version 1)"),
        ("Welcome", "Read"),
    }


def test_my_record_says_what_each_download_is_for(app, make_user, login_as):
    client = login_as(make_user())
    text = text_of(page(client.get("/my/record")))
    assert "Download as a spreadsheet (CSV, opens in Excel)" in text
    assert "Download a copy of your details and record" in text
    assert "in a file that other computer systems can read (JSON)" in text
    assert "JSON file" not in text and "format" not in text
    assert "Download your data" not in text and "Download as JSON" not in text
    copy = re.search(r'<a [^>]*href="/my/record.json"[^>]*>', page(client.get("/my/record")))
    assert copy and 'aria-describedby="copy-format"' in copy.group(0)


def test_my_record_says_it_lists_attempts_not_passed_too(app, make_user, login_as):
    learner = make_user(audience="councillor")
    client = login_as(learner)
    complete(client, "welcome")
    with app.app_context():
        db.session.add(
            QuizAttempt(
                user_id=learner.id,
                course_id="basics",
                module_id="first-steps",
                quiz_id="first-steps",
                quiz_hash="x",
                submit_key="failed-once",
                pass_mark=50,
                questions=[],
                submitted_at=utcnow(),
                answers={},
                right=1,
                total=4,
                is_passed=False,
            )
        )
        db.session.commit()
    text = text_of(page(client.get("/my/record")))
    assert "Not passed (pass mark 50%)" in text
    assert "Everything you have completed" not in text
    assert "every quiz attempt, passed or not" in text
    assert "everything you have done" in text_of(page(client.get("/")))


needs_fonts = pytest.mark.skipif(
    not (DEFAULT_FONT.is_file() and DEFAULT_BOLD_FONT.is_file()),
    reason="needs the DejaVu fonts (Debian package fonts-dejavu-core)",
)


@needs_fonts
def test_the_printed_certificate_has_no_lesson_ids_and_the_check_page_keeps_the_evidence(
    app, make_user, login_as
):
    learner = make_user()
    with app.test_request_context():
        person = db.session.get(User, learner.id)
        course = get_catalogue().course("basics")
        certificate = certificates.issue_certificate(
            person, course, completed_at=utcnow(), lesson_versions="welcome 1, rules 2"
        )
        db.session.commit()
        code = certificate.code
    client = login_as(learner)
    response = client.get(f"/certificates/{code}.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(reader.pages[0].extract_text().split())
    assert learner.name in text and "Basics" in text
    assert f"Certificate code: {code}" in text
    assert re.search(rf"Check this certificate at \S*/verify/{code}", text)
    for internal in ("welcome 1", "rules 2", "Earned on", "lesson versions"):
        assert internal not in text
    # The evidence is kept: on the record, and stated on the page its QR code opens.
    with app.app_context():
        assert db.session.scalar(select(Certificate.lesson_versions)) == "welcome 1, rules 2"
    check = text_of(page(client.get(f"/verify/{code}")))
    assert "“Welcome” (version 1), “The rules” (version 2)" in check


def test_the_check_page_names_lessons_by_title_and_keeps_what_it_cannot_name(app) -> None:
    from induction.catalogue import get_catalogue
    from induction.progress.certificates import versions_in_words

    with app.app_context():
        course = get_catalogue().course("basics")
    assert versions_in_words("welcome 1, gone-lesson 3", course) == (
        "“Welcome” (version 1), gone-lesson (version 3)"
    )
    assert versions_in_words("odd text", None) == "odd text"


def test_my_record_offers_each_certificate_as_help_says_it_does(app, make_user, login_as):
    learner = make_user()
    client = login_as(learner)
    assert "Your certificates" not in text_of(page(client.get("/my/record")))
    with app.test_request_context():
        person = db.session.get(User, learner.id)
        course = get_catalogue().course("basics")
        certificate = certificates.issue_certificate(person, course, completed_at=utcnow())
        db.session.commit()
        code = certificate.code
    html = page(client.get("/my/record"))
    link = re.search(r'<a href="([^"]+)">Download your certificate for Basics \(PDF\)</a>', html)
    assert link is not None, html
    assert link.group(1) == f"/certificates/{code}.pdf"
    assert f"certificate code {code}" in text_of(html)
    # Help sends people to My record for their certificate: it is there.
    assert "your certificate is on My learning and in My record" in text_of(
        page(client.get("/help"))
    )
