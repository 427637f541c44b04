"""Submit a lesson page's form the way a browser does.

A browser sends every field the pressed button's form owns: the fields inside the
<form>, and those outside it that name it with a `form` attribute; to the button's
`formaction` when it has one, else to the form's `action`; with the button's own name
and value. These helpers do the same from the page's HTML, so a test presses the
button a learner presses rather than posting fields it made up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict


@dataclass
class Control:
    tag: str
    name: str
    value: str
    owner: str | None  # the id of the form it belongs to
    kind: str = ""  # an input's type
    checked: bool = False


@dataclass
class Button:
    text: str
    owner: str | None
    formaction: str | None
    name: str | None
    value: str


@dataclass
class Page:
    actions: dict[str, str] = field(default_factory=dict)  # form id -> action
    controls: list[Control] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)

    def button(self, text: str, nth: int | None = None) -> Button:
        """Return the submit button whose text is `text`: the only one, or with `nth` the
        nth of them (from 0) in page order."""
        found = [b for b in self.buttons if b.text == text]
        if nth is None:
            assert len(found) == 1, (text, [b.text for b in self.buttons])
            return found[0]
        return found[nth]

    def fields_of(self, owner: str | None) -> dict[str, Control]:
        return {c.name: c for c in self.controls if c.owner == owner and c.name}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._form: str | None = None
        self._textarea: Control | None = None
        self._button: dict[str, str] | None = None
        self._button_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = a.get("id") or f"form-{len(self.page.actions)}"
            self.page.actions[self._form] = a.get("action", "")
            return
        owner = a.get("form") or self._form
        if tag == "input":
            self.page.controls.append(
                Control(
                    tag,
                    a.get("name", ""),
                    a.get("value", ""),
                    owner,
                    kind=a.get("type", "text"),
                    checked="checked" in a,
                )
            )
        elif tag == "textarea":
            self._textarea = Control(tag, a.get("name", ""), "", owner)
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._button = {**a, "owner": owner or ""}
            self._button_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops one line break straight after <textarea>.
            self._textarea.value = self._textarea.value.removeprefix("\r\n").removeprefix("\n")
            self.page.controls.append(self._textarea)
            self._textarea = None
        elif tag == "button" and self._button is not None:
            a = self._button
            self.page.buttons.append(
                Button(
                    text=" ".join("".join(self._button_text).split()),
                    owner=a["owner"] or None,
                    formaction=a.get("formaction"),
                    name=a.get("name"),
                    value=a.get("value", ""),
                )
            )
            self._button = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        if self._button is not None:
            self._button_text.append(data)


def read_page(html: str) -> Page:
    """Return the forms, fields and submit buttons of a page."""
    reader = _Reader()
    reader.feed(html)
    return reader.page


def press(
    client: FlaskClient,
    html: str,
    button_text: str,
    typed: dict[str, str] | None = None,
    tick: tuple[str, ...] = (),
    nth: int | None = None,
):
    """Press the submit button with `button_text` (the `nth` of several) on the page
    `html`, as a browser would, after typing `typed` (field name -> new value) and
    ticking the checkboxes `tick`."""
    found = read_page(html)
    button = found.button(button_text, nth)
    assert button.owner is not None, f"{button_text!r} belongs to no form"
    controls = found.fields_of(button.owner)
    for name in (typed or {}).keys() | set(tick):
        assert name in controls, f"{name} is not a field of {button.owner}"
    data: MultiDict[str, str] = MultiDict()
    for name, control in controls.items():
        if control.kind == "checkbox":
            if control.checked or name in tick:
                data.add(name, control.value or "y")
        elif control.kind not in ("submit", "button"):
            data.add(name, (typed or {}).get(name, control.value))
    if button.name:
        data.add(button.name, button.value)
    action = button.formaction or found.actions[button.owner]
    return client.post(action, data=data)
