"""The emails: each one a text template, queued with `induction.mail` as plain text and HTML.

The HTML part is made from the text, so the two never disagree: paragraphs stay
paragraphs, lines starting "- " become a list, and a paragraph that is only the email's
`link` becomes a link whose words are the template's `link_text` (set at its top, for
example `{% set link_text = "Accept your invitation" -%}`); the text part keeps the full
address. Only that link, built under BASE_URL, is ever a link in the HTML; everything
else, names included, is escaped.

The HTML footer says whom to email with questions (the site's support address), unless
the template says it itself and sets `questions_in_text` to true at its top (an officer's
reminder: "Questions? Reply to this email to reach ..."), so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from induction.identity.current import current as current_identity
from induction.mail import Outgoing, queue_mail, queue_mails
from induction.web.templating import identity_context

LAYOUT = "accounts/email/_layout.html"


@dataclass(frozen=True)
class Rendered:
    """One email's two parts."""

    text: str
    html: str


def render(template: str, *, folder: str = "accounts/email", **context: Any) -> Rendered:
    """Return the email `templates/<folder>/<template>.txt` as text and as HTML.

    Rendered from `context` and the site's names only (no request), so thousands
    of emails render quickly and a command line renders them the same.
    """
    config = current_app.config
    env = current_app.jinja_env
    names = identity_context(current_identity())
    module = env.get_template(f"{folder}/{template}.txt").make_module({**names, **context})
    text = str(module)
    label = getattr(module, "link_text", None) or "Open the link"
    html = env.get_template(LAYOUT).render(
        blocks=_blocks(text, context.get("link"), label),
        base_url=config["BASE_URL"],
        questions_in_text=bool(getattr(module, "questions_in_text", False)),
        **names,
    )
    return Rendered(text=text, html=html)


def _blocks(text: str, link: str | None, label: str) -> list[tuple[str, Any]]:
    """Split the text into ("p", lines), ("ul", items) and ("link", (url, words)) blocks."""
    base = current_app.config["BASE_URL"] + "/"
    blocks: list[tuple[str, Any]] = []
    for paragraph in text.strip().split("\n\n"):
        lines = [line.strip() for line in paragraph.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if link and lines == [link] and link.startswith(base):
            blocks.append(("link", (link, label)))
        elif all(line.startswith("- ") for line in lines):
            items = [line[2:] for line in lines]
            if blocks and blocks[-1][0] == "ul":
                blocks[-1][1].extend(items)
            else:
                blocks.append(("ul", items))
        else:
            blocks.append(("p", lines))
    return blocks


def send(to: str, template: str, subject: str, **context: Any) -> None:
    """Queue the email `templates/accounts/email/<template>.txt` to `to` (not yet delivered)."""
    rendered = render(template, **context)
    queue_mail(to, subject, rendered.text, rendered.html)


def send_many(messages: Iterable[tuple[str, str, Rendered]]) -> None:
    """Queue rendered emails (to, subject, parts) in one statement (not yet delivered)."""
    queue_mails(Outgoing(to, subject, parts.text, parts.html) for to, subject, parts in messages)


def send_unsubscribable(
    messages: Iterable[tuple[str, str, Rendered, str]], reply_to: str | None = None
) -> None:
    """Queue reminders and digests (to, subject, parts, List-Unsubscribe header) in one
    statement; each header is the person's own one-click address (accounts.unsubscribe).

    `reply_to` (an `induction.mail.reply_to_header` value) is whom a reply to each of
    them reaches: the officer who sends a reminder; None, the site's sender address.
    """
    queue_mails(
        Outgoing(to, subject, parts.text, parts.html, unsubscribe, reply_to)
        for to, subject, parts, unsubscribe in messages
    )
