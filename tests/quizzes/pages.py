"""Helpers that read the quiz pages the way a browser would: forms, fields, labels, links."""

from __future__ import annotations

import html as html_module
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

BASICS_QUIZ = "/courses/basics/modules/first-steps/quiz"
COLOUR_QUIZ = "/courses/quizzing/modules/shuffled/quiz"


def page(response) -> str:
    return response.get_data(as_text=True)


def text_of(html: str) -> str:
    """Return the visible text of a page with tags removed and white space collapsed."""
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())


@dataclass
class Form:
    action: str
    method: str
    inputs: list[dict[str, str]] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)

    def hidden(self) -> MultiDict[str, str]:
        return MultiDict(
            [(i["name"], i.get("value", "")) for i in self.inputs if i.get("type") == "hidden"]
        )

    def value(self, name: str) -> str | None:
        for item in self.inputs:
            if item.get("name") == name:
                return item.get("value", "")
        return None


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.labels: dict[str, str] = {}
        self.links: list[tuple[str, str]] = []
        self._label_for: str | None = None
        self._label_text: list[str] = []
        self._link: str | None = None
        self._link_text: list[str] = []
        self._button: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(action=a.get("action", ""), method=a.get("method", "get")))
        elif tag == "input" and self.forms:
            self.forms[-1].inputs.append(a)
        elif tag == "label":
            self._label_for, self._label_text = a.get("for"), []
        elif tag == "a":
            self._link, self._link_text = a.get("href", ""), []
        elif tag == "button":
            self._button = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label_for:
            self.labels[self._label_for] = " ".join("".join(self._label_text).split())
            self._label_for = None
        elif tag == "a" and self._link is not None:
            self.links.append((" ".join("".join(self._link_text).split()), self._link))
            self._link = None
        elif tag == "button" and self._button is not None and self.forms:
            self.forms[-1].buttons.append(" ".join("".join(self._button).split()))
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._label_for is not None:
            self._label_text.append(data)
        if self._link is not None:
            self._link_text.append(data)
        if self._button is not None:
            self._button.append(data)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    return reader


def form_with_button(html: str, button: str) -> Form:
    """Return the form whose submit button says `button`."""
    for form in read(html).forms:
        if any(button in label for label in form.buttons):
            return form
    raise AssertionError(f"no form with a {button!r} button")


def link(html: str, text: str) -> str:
    """Return the href of the first link whose text contains `text`."""
    for label, href in read(html).links:
        if text in label:
            return href
    raise AssertionError(f"no link {text!r}")


def options(html: str, question_id: str) -> list[tuple[str, str]]:
    """Return (label, value) of each option of a question, in the order shown."""
    reader = read(html)
    found = []
    for form in reader.forms:
        for item in form.inputs:
            if item.get("name") == f"q-{question_id}" and item.get("type") in ("radio", "checkbox"):
                found.append((reader.labels.get(item.get("id", ""), ""), item.get("value", "")))
    return found


def value_of(html: str, question_id: str, label: str) -> str:
    """Return the value to post to choose the option labelled `label`."""
    for text, value in options(html, question_id):
        if text == label:
            return value
    raise AssertionError(f"question {question_id!r} has no option {label!r}")


def start(client: FlaskClient, quiz_url: str = BASICS_QUIZ) -> str:
    """Press Start (or Try again) on the quiz page and return the attempt's URL."""
    html = page(client.get(quiz_url))
    form = next(
        f
        for f in read(html).forms
        if any(b in ("Start the quiz", "Try again", "Continue the quiz") for b in f.buttons)
    )
    response = client.post(form.action, data=dict(form.hidden()))
    assert response.status_code == 303, page(response)
    return response.headers["Location"]


def choose(html: str, picks: dict[str, object]) -> MultiDict[str, str]:
    """Return form data answering the questions on an attempt page.

    `picks` maps a question id to an option label, a list of labels, or (for text
    questions) {"text": "..."}.
    """
    data = form_with_button(html, "Check your answers").hidden()
    for question_id, pick in picks.items():
        if isinstance(pick, dict):
            data.add(f"q-{question_id}", str(pick["text"]))
        else:
            labels = pick if isinstance(pick, list) else [pick]
            for label in labels:
                data.add(f"q-{question_id}", value_of(html, question_id, label))
    return data


def check(client: FlaskClient, attempt_url: str, picks: dict[str, object]) -> str:
    """Answer on the attempt page, press Check your answers; return the check page's HTML."""
    html = page(client.get(attempt_url))
    response = client.post(attempt_url, data=choose(html, picks))
    assert response.status_code == 303, page(response)
    assert response.headers["Location"] == f"{attempt_url}/check"
    return page(client.get(response.headers["Location"]))


def submit_from(client: FlaskClient, check_html: str):
    """Press Submit answers on a check page; return the response (a redirect)."""
    form = form_with_button(check_html, "Submit answers")
    return client.post(form.action, data=form.hidden())


def take(client: FlaskClient, picks: dict[str, object], quiz_url: str = BASICS_QUIZ) -> str:
    """Start, answer, check and submit a quiz through its pages; return the result page's HTML."""
    attempt_url = start(client, quiz_url)
    response = submit_from(client, check(client, attempt_url, picks))
    assert response.status_code == 303, page(response)
    assert response.headers["Location"] == attempt_url
    return page(client.get(attempt_url))


BASICS_LESSONS = (("welcome", {}), ("rules", {"acknowledge": "y"}), ("officers-only", {}))


def read_lessons(client: FlaskClient) -> None:
    """Complete every lesson of the basics course's first module (as an officer sees it)."""
    for lesson_id, data in BASICS_LESSONS:
        response = client.post(f"/courses/basics/lessons/{lesson_id}/complete", data=data)
        assert response.status_code == 302, page(response)


ALL_RIGHT = {
    "be-what": "Kind",
    "rules-ask": ["Kindness", "Being on time"],
    "rules-kind": "True",
    "first-lesson": {"text": "  welcome "},
}
ALL_WRONG = {
    "be-what": "Late",
    "rules-ask": ["Kindness"],
    "rules-kind": "False",
    "first-lesson": {"text": "Goodbye"},
}
