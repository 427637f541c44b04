"""Reading a page's form as a browser would submit it, for the quiz builder's tests."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """Collects the successful controls of the first form with `form_id` (buttons left out)."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.pairs: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: tuple[str | None, bool] | None = None
        self._option_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.pairs.append((name, a.get("value") or "on"))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.pairs.append((name, a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._option, self._option_text = (a.get("value"), "selected" in a), []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)
        if self._option is not None:
            self._option_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # A browser drops the one line end that follows <textarea>.
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            self.pairs.append((self._textarea, text))
            self._textarea = None
        if tag == "option" and self._option is not None:
            value, chosen = self._option
            self._options.append(
                (value if value is not None else "".join(self._option_text), chosen)
            )
            self._option = None
        if tag == "select" and self._select is not None:
            chosen = [v for v, s in self._options if s] or [v for v, _ in self._options[:1]]
            self.pairs.extend((self._select, v) for v in chosen)
            self._select = None


def form_pairs(page: str, form_id: str = "quiz-builder") -> list[tuple[str, str]]:
    """Return the (name, value) pairs a browser would send for the form (no button)."""
    reader = _FormReader(form_id)
    reader.feed(page)
    return reader.pairs


def as_data(pairs: list[tuple[str, str]], **extra: str) -> dict[str, list[str]]:
    """Return pairs as a dict of lists, for the test client, with `extra` fields added."""
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    for name, value in extra.items():
        data[name] = [value]
    return data


def set_field(pairs: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    """Return pairs with the one field `name` set to `value` (added when absent)."""
    out = [(n, v) for n, v in pairs if n != name]
    out.append((name, value))
    return out
