"""Every shipped course can be completed through the pages, ending with a certificate."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from induction.content import load_library
from induction.content.outline import course_steps
from induction.progress.certificate_pdf import DEFAULT_BOLD_FONT, DEFAULT_FONT
from tests.conftest import SHIPPED_COURSES
from tests.quizzes.pages import form_with_button, link, page, read, submit_from, text_of

COURSES = [c for c in load_library(SHIPPED_COURSES).courses if not c.draft]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (DEFAULT_FONT.is_file() and DEFAULT_BOLD_FONT.is_file()),
        reason="needs the DejaVu fonts (Debian package fonts-dejavu-core)",
    ),
]


@pytest.fixture
def app(app_factory):
    """The app on the courses shipped with the project."""
    return app_factory(COURSES_DIR=str(SHIPPED_COURSES))


def answer_right(client, quiz_url: str, quiz) -> str:
    """Start the quiz, answer every question right, check, submit; return the result page."""
    html = page(client.get(quiz_url))
    start = next(f for f in read(html).forms if "Start the quiz" in f.buttons)
    attempt_url = client.post(start.action, data=start.hidden()).headers["Location"]
    data = form_with_button(page(client.get(attempt_url)), "Check your answers").hidden()
    for question in quiz.questions:
        if question.type == "text":
            data.add(f"q-{question.id}", question.answers[0])
        for index, option in enumerate(question.options):
            if option.is_correct:
                data.add(f"q-{question.id}", str(index))
    assert client.post(attempt_url, data=data).status_code == 303
    submitted = submit_from(client, page(client.get(f"{attempt_url}/check")))
    assert submitted.headers["Location"] == attempt_url
    return page(client.get(attempt_url))


@pytest.mark.parametrize("course", COURSES, ids=[c.id for c in COURSES])
@pytest.mark.parametrize("audience", ["councillor", "officer", "affiliate"])
def test_a_learner_completes_the_course_and_gets_the_certificate(
    app, make_org, make_user, login_as, course, audience
):
    if not course.applies_to(audience):
        pytest.skip(f"{course.id} is not for {audience}s")
    learner = make_user(
        name="Llŷr Ap Siôn", audience=audience, organisation=make_org("Oldham Council")
    )
    client = login_as(learner)
    for step in course_steps(course, audience):
        if step.lesson is not None:
            data = {"acknowledge": "y"} if step.lesson.acknowledge else {}
            url = f"/courses/{course.id}/lessons/{step.lesson.id}/complete"
            assert client.post(url, data=data).status_code == 302, step.lesson.id
        else:
            quiz_url = f"/courses/{course.id}/modules/{step.module.id}/quiz"
            result = text_of(answer_right(client, quiz_url, step.quiz))
            total = len(step.quiz.questions_for(audience))
            assert f"You scored {total} of {total}, 100%." in result

    course_page = page(client.get(f"/courses/{course.id}/"))
    if not course.certificate:
        assert "Download your certificate" not in course_page
        return
    response = client.get(link(course_page, "Download your certificate"))
    assert response.status_code == 200
    text = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    assert "Llŷr Ap Siôn" in text
    code = link(course_page, "Download your certificate").removeprefix("/certificates/")
    assert code.removesuffix(".pdf") in text
