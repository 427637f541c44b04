"""Email: queued in the database with the change that caused it, then delivered.

`queue_mail` adds a row in the caller's transaction, so a message exists exactly when
the change it reports was committed. `deliver_pending` sends queued messages by SMTP
when MAIL_SERVER is set, otherwise writes each one as an .eml file into OUTBOX_DIR,
where admins can read it (/admin/outbox). Views call it after their commit for the
few messages they queued; `flask --app induction mail send` delivers the rest (cron).
Nothing is dropped: a message that fails stays queued with its error recorded.

A message sent on a person's behalf (a lead officer's reminder) keeps the site's From
(its domain's SPF and DKIM vouch for it) and carries that person in Reply-To, made by
`reply_to_header`, so a reply reaches them and not the site.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.errors
import email.policy
import email.utils
import logging
import os
import re
import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import String, Text, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from induction.database import UTCDateTime, table_of, utcnow, write_intent
from induction.extensions import Model, db
from induction.identity.current import current as current_identity

log = logging.getLogger(__name__)

OUTBOX_NAME = re.compile(r"\A\d{8}T\d{6}-\d{6,}\.eml\Z")
MAX_REPLY_TO = 1000  # characters of a Reply-To value: a name of up to 200, quoted, and an address


class QueuedEmail(Model):
    """One outgoing message and what happened to it."""

    __tablename__ = "email_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    # The List-Unsubscribe header ("<https://...>") of reminders and digests; None for the rest.
    list_unsubscribe: Mapped[str | None] = mapped_column(String(500))
    # Whom a reply reaches ("Name" <address>), from `reply_to_header`; None: the sender.
    reply_to: Mapped[str | None] = mapped_column(String(MAX_REPLY_TO))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), index=True)
    delivered_via: Mapped[str | None] = mapped_column(String(10))  # "smtp" or "outbox"
    outbox_file: Mapped[str | None] = mapped_column(String(255))
    attempts: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)


@dataclass(frozen=True)
class DeliveryReport:
    """How many queued messages one delivery run sent and how many failed."""

    sent: int
    failed: int


@dataclass(frozen=True)
class OutboxFile:
    """One message written to the outbox folder."""

    name: str
    to: str
    subject: str
    date: str


def _subject(subject: str) -> str:
    """Return a subject on one line and within the column's length."""
    return " ".join(subject.split())[:255]


def reply_to_header(name: str, address: str) -> str | None:
    """Return the Reply-To value that reaches `name` at `address` (`Jane Smith
    <jane@council.example>`, quoted by the email package where the name needs it), or
    None when `address` is not one plain address.

    The name is put on one line first (any run of spaces, tabs, CR or LF becomes one
    space), so no name can add a header; an address with CR or LF, spaces, a second
    address or anything else around it is refused rather than mended.
    """
    one_line = " ".join(name.split())
    address = address.strip()
    try:
        parsed = Address(display_name=one_line, addr_spec=address)
    except (ValueError, IndexError, email.errors.MessageError):
        # IndexError: the email package's parser on an empty part ("", "name@")
        return None
    value = str(parsed)
    # The parser quietly drops some characters: refuse an address it did not keep whole.
    if parsed.addr_spec != address or not parsed.domain or len(value) > MAX_REPLY_TO:
        return None
    if "\r" in value or "\n" in value:
        return None
    return value


@dataclass(frozen=True)
class Outgoing:
    """A message to queue: to whom, its subject, its parts, its List-Unsubscribe header,
    and whom a reply reaches (a `reply_to_header` value; None: the sender)."""

    to: str
    subject: str
    text: str
    html: str | None = None
    list_unsubscribe: str | None = None
    reply_to: str | None = None


def queue_mail(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    list_unsubscribe: str | None = None,
    reply_to: str | None = None,
) -> QueuedEmail:
    """Add a message to the caller's transaction and return it; nothing is sent yet."""
    message = QueuedEmail(
        to_address=to.strip(),
        subject=_subject(subject),
        text_body=text,
        html_body=html,
        list_unsubscribe=list_unsubscribe,
        reply_to=reply_to,
    )
    db.session.add(message)
    return message


def queue_mails(messages: Iterable[Outgoing]) -> int:
    """Add messages to the caller's transaction in one statement (for thousands at once);
    return how many. Nothing is sent yet."""
    now = utcnow()
    rows = [
        {
            "to_address": m.to.strip(),
            "subject": _subject(m.subject),
            "text_body": m.text,
            "html_body": m.html,
            "list_unsubscribe": m.list_unsubscribe,
            "reply_to": m.reply_to,
            "created_at": now,
            "attempts": 0,
        }
        for m in messages
    ]
    if rows:
        db.session.execute(insert(table_of(QueuedEmail)), rows)
    return len(rows)


def deliver_pending(limit: int | None = 50) -> DeliveryReport:
    """Deliver up to `limit` queued messages (all when None), oldest first; commit each.

    Returns how many were sent and how many failed; failures stay queued with the error
    recorded and are tried again next time. Never raises for a delivery failure.
    """
    sent = failed = 0
    tried: list[int] = []
    intent = write_intent.set(True)  # each step below writes: take the SQLite lock up front
    transport = _Transport()
    try:
        while limit is None or sent + failed < limit:
            stmt = select(QueuedEmail).where(QueuedEmail.sent_at.is_(None))
            if tried:
                stmt = stmt.where(QueuedEmail.id.not_in(tried))
            # SKIP LOCKED: two delivery runs at once (two workers, cron) never send one twice.
            row = db.session.scalar(
                stmt.order_by(QueuedEmail.id).limit(1).with_for_update(skip_locked=True)
            )
            if row is None:
                break
            tried.append(row.id)
            row.attempts += 1
            row.last_attempt_at = utcnow()
            try:
                via, outbox_file = transport.deliver(row)
            except Exception as error:  # noqa: BLE001 - any failure is recorded, not raised
                log.warning("could not deliver email %s: %s", row.id, error)
                row.last_error = f"{type(error).__name__}: {error}"[:2000]
                failed += 1
            else:
                row.sent_at = utcnow()
                row.delivered_via = via
                row.outbox_file = outbox_file
                row.last_error = None
                sent += 1
            db.session.commit()
    finally:
        transport.close()
        write_intent.reset(intent)
    return DeliveryReport(sent=sent, failed=failed)


def pending_messages(limit: int = 100) -> list[QueuedEmail]:
    """Return queued messages not yet delivered, oldest first."""
    stmt = (
        select(QueuedEmail)
        .where(QueuedEmail.sent_at.is_(None))
        .order_by(QueuedEmail.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def build_message(row: QueuedEmail) -> EmailMessage:
    """Return the MIME message for a queued row (plain text, plus HTML when given).

    From is the identity's sender name and address ("CCIN induction <learn@...>"), which
    default to MAIL_SENDER_NAME and MAIL_FROM, always: a message on an officer's behalf
    names them in Reply-To only, as the site may not send as their domain.
    """
    identity = current_identity()
    sender = identity.sender_address
    message = EmailMessage()
    message["From"] = email.utils.formataddr((identity.sender_name, sender))
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = email.utils.format_datetime(row.created_at)
    domain = sender.rpartition("@")[2].strip(">") or "localhost"
    message["Message-ID"] = email.utils.make_msgid(idstring=str(row.id), domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    if row.reply_to:
        # Parsed and encoded by the email package (a name in UTF-8 as RFC 2047 words);
        # a value with CR or LF raises here rather than becoming a header of its own.
        message["Reply-To"] = row.reply_to
    if row.list_unsubscribe:
        message["List-Unsubscribe"] = row.list_unsubscribe
        # A one-click address (RFC 8058: a POST stops the emails). Messages queued by an
        # older version pointed to the account page, which takes no such POST.
        if "/unsubscribe/" in row.list_unsubscribe:
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(row.text_body)
    if row.html_body:
        message.add_alternative(row.html_body, subtype="html")
    return message


class _Transport:
    """Sends by SMTP when configured (one connection per run), else writes .eml files."""

    def __init__(self) -> None:
        self.config = current_app.config
        self.smtp: smtplib.SMTP | None = None

    def deliver(self, row: QueuedEmail) -> tuple[str, str | None]:
        message = build_message(row)
        if self.config.get("MAIL_SERVER"):
            self._connection().send_message(message)
            return "smtp", None
        return "outbox", _write_outbox_file(row, message)

    def _connection(self) -> smtplib.SMTP:
        if self.smtp is not None:
            return self.smtp
        config = self.config
        timeout = float(config["MAIL_TIMEOUT_SECONDS"])
        context = ssl.create_default_context()
        if config["MAIL_USE_SSL"]:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=context)
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        self.smtp = smtp
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except smtplib.SMTPException:
                log.debug("SMTP quit failed", exc_info=True)
            self.smtp = None


def outbox_dir() -> Path:
    """Return the folder where messages are written when no SMTP server is configured."""
    return Path(current_app.config["OUTBOX_DIR"])


def _write_outbox_file(row: QueuedEmail, message: EmailMessage) -> str:
    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{row.created_at:%Y%m%dT%H%M%S}-{row.id:06d}.eml"
    temporary = folder / f".{name}.tmp"
    # Only the app's own user may read it: it can hold sign-in links.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(message.as_bytes(policy=email.policy.SMTP))
    os.replace(temporary, folder / name)
    return name


def outbox_files(limit: int = 200) -> list[OutboxFile]:
    """Return the messages in the outbox folder, newest first (at most `limit`)."""
    folder = outbox_dir()
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.iterdir() if OUTBOX_NAME.match(p.name)), reverse=True)
    files = []
    parser = BytesHeaderParser(policy=email.policy.default)
    for name in names[:limit]:
        with (folder / name).open("rb") as handle:
            headers = parser.parse(handle)
        files.append(
            OutboxFile(
                name=name,
                to=str(headers.get("To", "")),
                subject=str(headers.get("Subject", "")),
                date=str(headers.get("Date", "")),
            )
        )
    return files


def remove_outbox_files(names: Iterable[str]) -> None:
    """Delete these outbox copies (after the deletion of their rows is committed).

    Names come from our own rows, but one that could lead outside the outbox is skipped.
    """
    folder = outbox_dir()
    for name in names:
        if "/" in name or "\\" in name or name.startswith("."):
            continue
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
        current_app.logger.info("removed outbox file %s", name)


def read_outbox_file(name: str) -> EmailMessage | None:
    """Return one outbox message parsed, or None when no such file exists."""
    if not OUTBOX_NAME.match(name):
        return None
    path = outbox_dir() / name
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        message = BytesParser(policy=email.policy.default).parse(handle)
    assert isinstance(message, EmailMessage)
    return message


mail_cli = AppGroup("mail", help="Outgoing email.")


@mail_cli.command("send")
@click.option("--limit", type=int, default=None, help="Deliver at most this many messages.")
def send_command(limit: int | None) -> None:
    """Deliver queued email (SMTP, or the outbox folder). Safe to run from cron."""
    report = deliver_pending(limit)
    click.echo(f"Sent {report.sent} message(s); {report.failed} failed and stay queued.")
    if report.failed:
        raise SystemExit(1)
