"""Audit log entries as sentences in plain words: "Ada Admin invited c@example.org to Oldham".

Every action recorded anywhere in the code has its sentence in `ACTIONS` (a test scans the
code and fails when one is missing); an action added later without one still reads sensibly
from its dotted name ("draft.saved" -> "saved a draft"). Pure: the caller loads the names of
the people, organisations, invitations and courses an entry mentions (`Names`), and turns
each `Part`'s link (an endpoint and its arguments) into a URL.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from induction.accounts.role_names import role_name
from induction.content.model import Course
from induction.inputs import stored_time

USER_TYPE = "user_account"
ORGANISATION_TYPE = "organisation"
INVITATION_TYPE = "invitation"
COURSE_TYPE = "course"


class EventLike(Protocol):
    """What a sentence needs from an audit event (the `AuditEvent` row has it all)."""

    action: str
    actor_id: int | None
    target_type: str | None
    target_id: str | None
    organisation_id: int | None
    details: dict[str, Any] | None


@dataclass(frozen=True)
class Action:
    """An action's short name (for the filter's list) and its sentence.

    In `sentence`, `{field}` is filled from the entry (see `_FIELDS`; any other name is the
    detail of that name) and `[...]` is left out when a field inside it has no value.
    """

    label: str
    sentence: str


ACTIONS: Mapping[str, Action] = {
    "auth.login": Action("Signed in", "{actor} signed in"),
    "auth.login_failed": Action("Failed to sign in", "Someone failed to sign in as {person}"),
    "auth.logout": Action("Signed out", "{actor} signed out"),
    "setup.first_admin": Action("Set up the site", "{actor} set up the site as its first admin"),
    "user.created": Action(
        "Created an account", "{actor} created an account for {person}[ in {organisation}]"
    ),
    "user.updated": Action("Changed a person's details", "{actor} changed the details of {person}"),
    "user.role_changed": Action(
        "Changed a person's role",
        "{actor} changed the role of {person} from {old_role} to {new_role}",
    ),
    "user.deactivated": Action("Deactivated an account", "{actor} deactivated {person}"),
    "user.reactivated": Action("Reactivated an account", "{actor} reactivated {person}"),
    "password.changed": Action("Changed a password", "{actor} changed their password"),
    "password.reset_requested": Action(
        "Asked for a password reset", "Someone asked for a password reset link for {person}"
    ),
    "password.reset": Action("Reset a password", "{actor} chose a new password with a reset link"),
    "email.change_requested": Action(
        "Asked to change an email address", "{actor} asked to change their email address"
    ),
    "email.changed": Action(
        "Changed an email address", "{actor} changed their email address from {from} to {to}"
    ),
    "totp.enabled": Action(
        "Turned on two-step verification", "{actor} turned on two-step verification"
    ),
    "totp.disabled": Action(
        "Turned off two-step verification", "{actor} turned off two-step verification"
    ),
    "totp.recovery_codes_replaced": Action(
        "Made new recovery codes", "{actor} made new recovery codes for two-step verification"
    ),
    "totp.reset_by_admin": Action(
        "Reset someone's two-step verification",
        "{actor} reset the two-step verification of {person}",
    ),
    "identity.changed": Action(
        "Changed the network's identity",
        "{actor} changed the network's identity (names, logo, colour, email or links)",
    ),
    "reminders.stopped": Action(
        "Stopped reminder emails", "{actor} stopped their reminder and digest emails"
    ),
    "reminders.started": Action(
        "Started reminder emails again", "{actor} started their reminder and digest emails again"
    ),
    "invitation.renewed": Action(
        "Sent a new invitation", "{actor} sent a new invitation to {invitee}[ to {organisation}]"
    ),
    "reminder.sent": Action(
        "Reminded someone", "{actor} reminded {person} to finish a course[ of {organisation}]"
    ),
    "digest.frequency_changed": Action(
        "Chose how often to get the digest", "{actor} set their digest e-mail to {to}"
    ),
    "invitation.sent": Action("Invited someone", "{actor} invited {invitee}[ to {organisation}]"),
    "invitation.existing_account": Action(
        "Invited someone who has an account",
        "{actor} tried to invite {person}, who already has an account",
    ),
    "invitation.accepted": Action(
        "Accepted an invitation", "{actor} accepted an invitation[ to join {organisation}]"
    ),
    "invitation.revoked": Action(
        "Withdrew an invitation", "{actor} withdrew the invitation to {invitee}"
    ),
    "invitation.bulk_imported": Action(
        "Invited people from a spreadsheet",
        "{actor} invited {invited_people} to {organisation} from a spreadsheet",
    ),
    "registration.requested": Action(
        "Asked to join with a join code", "Someone asked to join {organisation} as {email}"
    ),
    "registration.bad_code": Action(
        "Tried a wrong join code", "Someone tried a wrong join code as {email}"
    ),
    "registration.completed": Action(
        "Joined with a join code", "{actor} joined[ {organisation}] with a join code"
    ),
    "organisation.created": Action(
        "Added an organisation", "{actor} added the organisation {organisation}"
    ),
    "organisation.updated": Action(
        "Changed an organisation", "{actor} changed the details of {organisation}"
    ),
    "organisation.retired": Action(
        "Retired an organisation",
        "{actor} retired {organisation} (its people's records are kept)",
    ),
    "organisation.restored": Action(
        "Brought back an organisation", "{actor} brought {organisation} back into use"
    ),
    "organisation.sign_in_links_changed": Action(
        "Turned sign-in links by email on or off",
        "{actor} changed whether people of {organisation} may sign in with a link sent by email",
    ),
    "identity_provider.added": Action(
        "Added a council sign-in provider",
        "{actor} added sign-in with a council account for {organisation}",
    ),
    "identity_provider.changed": Action(
        "Changed a council sign-in provider",
        "{actor} changed the council account sign-in of {organisation}",
    ),
    "identity_provider.removed": Action(
        "Removed a council sign-in provider",
        "{actor} removed the council account sign-in of {organisation}",
    ),
    "sign_in_link.sent": Action(
        "Was sent a sign-in link", "A one-time sign-in link was sent to {person}"
    ),
    "user.created_by_provider": Action(
        "Joined through a council account",
        "{person} joined by signing in with their council account",
    ),
    "intake.created": Action(
        "Added an intake", "{actor} added the intake {intake} ({date}) to {organisation}"
    ),
    "intake.changed": Action(
        "Changed an intake", "{actor} changed the intake {intake} of {organisation}"
    ),
    "intake.deleted": Action(
        "Deleted an intake", "{actor} deleted the empty intake {intake} of {organisation}"
    ),
    "intake.people_moved": Action(
        "Moved people to another intake",
        "{actor} moved {count} of the people of {organisation} from {from} to the intake {intake}",
    ),
    "user.intake_changed": Action(
        "Changed a person's intake",
        "{actor} changed the intake of {person}[ to {intake}]",
    ),
    "organisation.term_changed": Action(
        "Changed the length of councillors' terms",
        "{actor} changed how long councillors of {organisation} serve[ to {to} years]",
    ),
    "organisation.join_code_set": Action(
        "Set a join code", "{actor} set a new join code for {organisation}"
    ),
    "organisation.join_code_cleared": Action(
        "Turned off self-registration", "{actor} turned off self-registration for {organisation}"
    ),
    "organisation.imported": Action(
        "Imported organisations",
        "{actor} imported organisations from a file ({created} added, {updated} changed)",
    ),
    "person.exported": Action(
        "Downloaded a person's data", "{actor} downloaded the data held about {person}"
    ),
    "person.erased": Action(
        "Erased a person's data", "{actor} erased the personal data of {person}"
    ),
    "certificate.issued": Action(
        "Earned a certificate", "{actor} earned a certificate for {course}"
    ),
    "report.exported": Action(
        "Downloaded a report", "{actor} downloaded a report[ on {organisation}]"
    ),
    "council_notes.saved": Action(
        "Wrote a council's notes in a lesson",
        "{actor} wrote {organisation}'s own notes in a lesson of {course}",
    ),
    "council_notes.cleared": Action(
        "Cleared a council's notes in a lesson",
        "{actor} cleared {organisation}'s own notes in a lesson of {course}",
    ),
    "course.published": Action("Published a course", "{actor} published {course}"),
    "course.unpublished": Action(
        "Made a course a draft", "{actor} made {course} a draft again (only admins see it)"
    ),
    "course_file.saved": Action(
        "Changed a lesson or quiz", "{actor} changed {file} in the draft of {course}"
    ),
    "course_file.created": Action(
        "Added a lesson, quiz or module", "{actor} added {file} to the draft of {course}"
    ),
    "course_file.renamed": Action(
        "Renamed a file", "{actor} renamed {from} to {to} in the draft of {course}"
    ),
    "course_file.deleted": Action(
        "Deleted a file", "{actor} deleted {file} from the draft of {course}"
    ),
    "course_file.reordered": Action(
        "Changed the order of modules or lessons",
        "{actor} changed the order of {what} in the draft of {course}",
    ),
    "course_file.retitled": Action(
        "Changed a title",
        "{actor} changed the title “{from}” to “{title}” in the draft of {course}",
    ),
    "course_module.audiences_changed": Action(
        "Changed who a module is for",
        "{actor} made the module “{module}” for {audiences} in the draft of {course}",
    ),
    "course_media.uploaded": Action(
        "Uploaded an image", "{actor} uploaded the image {name} to the draft of {course}"
    ),
    "course_media.deleted": Action(
        "Deleted an image", "{actor} deleted {file} from the draft of {course}"
    ),
    "course_quiz.imported": Action(
        "Imported a quiz", "{actor} imported {file} into the draft of {course} from a GIFT file"
    ),
    # The name publishing had before "course.changes_published" (see FORMER_NAMES).
    "draft.published": Action("Published changes", "{actor} published {changes} to {course}"),
    "course.changes_published": Action(
        "Published changes",
        "{actor} published {changes} to {course}[: “{note}”]"
        "[, asking earlier readers to read again: “{learner_note}”]",
    ),
    "course.draft_discarded": Action(
        "Discarded a draft", "{actor} discarded the draft of {file} in {course}"
    ),
    "course.version_restored": Action(
        "Restored an earlier version",
        "{actor} put an earlier version of {file} in the draft of {course}",
    ),
    "course.publish_scheduled": Action(
        "Scheduled a publish",
        "{actor} scheduled the draft of {course} to be published on {due_at}",
    ),
    "course.publish_cancelled": Action(
        "Cancelled a scheduled publish", "{actor} cancelled a scheduled publish of {course}"
    ),
    "course.scheduled_publish_failed": Action(
        "A scheduled publish was refused", "A scheduled publish of {course} was refused: {why}"
    ),
    "course.draft_approved": Action(
        "Approved a draft", "{actor} approved the draft of {course} ({changes})"
    ),
    "course.review_turned_on": Action(
        "Asked for a second admin's approval",
        "{actor} made publishing {course} need a second admin's approval",
    ),
    "course.review_turned_off": Action(
        "Stopped asking for approval",
        "{actor} let {course} be published without a second admin's approval",
    ),
}


# An account made with nobody signed in is recorded as "user.created" by nobody, together
# with an entry of how it happened (one of ACCOUNT_ORIGINS, by the new person or about them).
# It is said the way it happened, from that entry, rather than "Someone created an account
# for ...": the caller finds the entry (`Names.origins`). Lists show the two as one line,
# the account's (see `TOLD_WITH_THE_ACCOUNT`).
SETUP_ACTION = "setup.first_admin"
INVITATION_ACCEPTED = "invitation.accepted"
REGISTRATION_COMPLETED = "registration.completed"
PROVIDER_ACCOUNT = "user.created_by_provider"
FIRST_ADMIN_ACCOUNT = Action("Created an account", "{person} set up the first admin account")
ACCOUNT_ORIGINS: Mapping[str, Action] = {
    SETUP_ACTION: FIRST_ADMIN_ACCOUNT,
    INVITATION_ACCEPTED: Action(
        "Created an account",
        "{person} accepted an invitation[ from {inviter}][ to join {organisation}]"
        " and set up their account",
    ),
    REGISTRATION_COMPLETED: Action(
        "Created an account", "{person} joined[ {organisation}] with its join code"
    ),
    PROVIDER_ACCOUNT: Action(
        "Created an account",
        "{person} joined[ {organisation}] by signing in for the first time with their {service}",
    ),
}
# The only other way to make an account with nobody signed in: the create-user command.
MADE_BY_COMMAND = Action(
    "Created an account",
    "An account was made for {person}[ in {organisation}] by a command run on the server",
)
# The entries that always come with an account's "user.created": lists leave them out
# unless the reader asks for that action, so joining reads as one line, not two.
TOLD_WITH_THE_ACCOUNT: tuple[str, ...] = tuple(ACCOUNT_ORIGINS)


@dataclass(frozen=True)
class Origin:
    """How an account made with nobody signed in came about: the action of the entry
    recorded with it (a key of ACCOUNT_ORIGINS), who sent the invitation accepted (a
    person's id, when known), and the sign-in service's issuer address (when one)."""

    how: str
    inviter_id: int | None = None
    issuer: str | None = None


def is_made_by_nobody(event: EventLike) -> bool:
    """Return whether `event` records an account made with nobody signed in (by the setup
    link, an invitation, a join code, a council's sign-in service or a command)."""
    return (
        event.action == "user.created" and event.actor_id is None and event.target_type == USER_TYPE
    )


def origin_of(event: EventLike, names: Names) -> Origin | None:
    """Return how the account `event` made came about, when it was made by nobody and
    the entry of how was found; else None."""
    if not is_made_by_nobody(event):
        return None
    return names.origins.get(_int(event.target_id) or 0)


def _action_of(event: EventLike, names: Names) -> Action | None:
    if is_made_by_nobody(event):
        origin = origin_of(event, names)
        return ACCOUNT_ORIGINS.get(origin.how, MADE_BY_COMMAND) if origin else MADE_BY_COMMAND
    return ACTIONS.get(event.action)


def service_words(issuer: str | None) -> str:
    """Return what people call the account a sign-in service checks, from its issuer
    address: "Microsoft 365 account", "Google account", else "council account"."""
    host = (urlsplit(issuer).hostname or "") if issuer else ""
    if host.endswith("microsoftonline.com") or host == "sts.windows.net":
        return "Microsoft 365 account"
    if host == "accounts.google.com":
        return "Google account"
    return "council account"


# Actions the code once recorded under another name: old entries keep their own sentence,
# and the filter lists the action once, under its current name, finding both kinds.
FORMER_NAMES: Mapping[str, tuple[str, ...]] = {
    "course.changes_published": ("draft.published",),
}
_CURRENT_NAMES = {old: new for new, olds in FORMER_NAMES.items() for old in olds}


def current_name(action: str) -> str:
    """Return the name an action is recorded under now ("course.changes_published" for
    "draft.published"); an action never renamed is its own name."""
    return _CURRENT_NAMES.get(action, action)


def all_names(action: str) -> tuple[str, ...]:
    """Return every name an action has been recorded under, its current name first."""
    current = current_name(action)
    return (current, *FORMER_NAMES.get(current, ()))


@dataclass(frozen=True)
class Part:
    """A piece of a sentence: text, linked to `endpoint` with `args` when there is one."""

    text: str
    endpoint: str | None = None
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Person:
    name: str
    email: str

    @property
    def words(self) -> str:
        return self.name or self.email


def utc_words(moment: dt.datetime) -> str:
    """Return a time in UTC, named: "28 July 2026, 14:05 UTC" (when no zone is given)."""
    moment = moment.astimezone(dt.UTC)
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


@dataclass(frozen=True)
class Names:
    """The names an entry may mention, loaded in bulk by the caller."""

    people: Mapping[int, Person] = field(default_factory=dict)
    organisations: Mapping[int, str] = field(default_factory=dict)
    invitations: Mapping[int, str] = field(default_factory=dict)  # id -> email
    courses: Mapping[str, Course] = field(default_factory=dict)
    # How the accounts made with nobody signed in came about, by person (see `Origin`).
    origins: Mapping[int, Origin] = field(default_factory=dict)
    # How a time in an entry's details reads (the caller passes the site's UK time).
    time_words: Callable[[dt.datetime], str] = field(default=utc_words)


def label(action: str) -> str:
    """Return an action's short name for the filter, e.g. "Signed in" for auth.login."""
    known = ACTIONS.get(action)
    if known is not None:
        return known.label
    return _fallback_phrase(action).capitalize()


def sentence(event: EventLike, names: Names) -> tuple[Part, ...]:
    """Return the entry as a sentence of parts; the first letter is a capital."""
    known = _action_of(event, names)
    template = (
        known.sentence if known else "{actor} " + _fallback_phrase(event.action) + "[ ({target})]"
    )
    parts = _fill(template, event, names)
    if parts and parts[0].text:
        first = parts[0]
        parts[0] = Part(first.text[0].upper() + first.text[1:], first.endpoint, first.args)
    return tuple(parts)


def plain(parts: Sequence[Part]) -> str:
    """Return a sentence's text without its links (for CSV files)."""
    return "".join(part.text for part in parts)


def _fallback_phrase(action: str) -> str:
    """Return words for an action no sentence names: "draft.saved" -> "saved a draft"."""
    thing, _, verb = action.partition(".")
    thing_words = " ".join(thing.replace("_", " ").split()) or "something"
    verb_words = " ".join(verb.replace("_", " ").split()) or "did something to"
    article = "an" if thing_words[0] in "aeiou" else "a"
    return f"{verb_words} {article} {thing_words}"


_OPTIONAL = re.compile(r"\[([^\]]*)\]")


def _fill(template: str, event: EventLike, names: Names) -> list[Part]:
    parts: list[Part] = []
    position = 0
    for optional in _OPTIONAL.finditer(template):
        parts += _fill_fields(template[position : optional.start()], event, names, True) or []
        parts += _fill_fields(optional.group(1), event, names, False) or []
        position = optional.end()
    parts += _fill_fields(template[position:], event, names, True) or []
    return [part for part in parts if part.text]


def _fill_fields(text: str, event: EventLike, names: Names, required: bool) -> list[Part] | None:
    """Fill one stretch of a template. A field without a value makes an optional stretch
    None (left out) and reads "(not recorded)" in a required one."""
    parts: list[Part] = []
    for literal, name, _spec, _conversion in string.Formatter().parse(text):
        if literal:
            parts.append(Part(literal))
        if name is None:
            continue
        resolver = _FIELDS.get(name)
        value = resolver(event, names) if resolver else _detail(event, name)
        if value is None:
            if not required:
                return None
            value = Part("(not recorded)")
        parts.append(value)
    return parts


def _details(event: EventLike) -> Mapping[str, Any]:
    return event.details if isinstance(event.details, dict) else {}


def _detail(event: EventLike, key: str) -> Part | None:
    value = _details(event).get(key)
    if value is None or value == "" or isinstance(value, dict | list):
        return None
    return Part(str(value))


def _person_part(person_id: int | None, names: Names) -> Part | None:
    person = names.people.get(person_id) if person_id is not None else None
    if person is None:
        return None
    return Part(person.words, "admin.person", {"person_id": person_id})


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _actor(event: EventLike, names: Names) -> Part:
    return _person_part(event.actor_id, names) or Part("someone")


def _person(event: EventLike, names: Names) -> Part | None:
    if event.target_type == USER_TYPE:
        found = _person_part(_int(event.target_id), names)
        if found is not None:
            return found
    email = _details(event).get("email")
    return Part(str(email)) if email else Part("an account that no longer exists")


def _invitee(event: EventLike, names: Names) -> Part | None:
    email = _details(event).get("email")
    if not email and event.target_type == INVITATION_TYPE:
        email = names.invitations.get(_int(event.target_id) or 0)
    return Part(str(email)) if email else Part("someone")


def _organisation(event: EventLike, names: Names) -> Part | None:
    if event.organisation_id is None:
        return None
    name = names.organisations.get(event.organisation_id)
    if name is None:
        return Part("an organisation that no longer exists")
    return Part(name, "admin.organisation", {"org_id": event.organisation_id})


def course_id_of(event: EventLike) -> str | None:
    """Return the id of the course an entry is about, if any."""
    if event.target_type == COURSE_TYPE and event.target_id:
        return event.target_id
    course_id = _details(event).get("course_id")
    return str(course_id) if course_id else None


def _course(event: EventLike, names: Names) -> Part | None:
    course_id = course_id_of(event)
    if course_id is None:
        return None
    course = names.courses.get(course_id)
    if course is None:
        return Part(f"the course {course_id}")
    return Part(course.title, "courses.course", {"course_id": course_id})


def _paths(event: EventLike) -> list[str]:
    paths = _details(event).get("paths")
    return [str(p) for p in paths] if isinstance(paths, list) else []


def _file(event: EventLike, names: Names) -> Part | None:
    paths = _paths(event)
    if len(paths) != 1:
        return Part(f"{len(paths)} files") if paths else None
    course = names.courses.get(course_id_of(event) or "")
    return describe_file(paths[0], course)


def describe_file(path: str, course: Course | None) -> Part:
    """Return words (and a link) for a file of a course: a lesson by its title, a quiz by
    its module's title, the settings, or else the file's path."""
    if path == "course.md":
        return Part("the course settings")
    if course is not None:
        for module in course.modules:
            if module.quiz is not None and module.quiz.path == f"{course.path}/{path}":
                return Part(
                    f"the quiz of “{module.title}”",
                    "quizzes.quiz",
                    {"course_id": course.id, "module_id": module.id},
                )
            for lesson in module.lessons:
                if lesson.path == f"{course.path}/{path}":
                    return Part(
                        f"the lesson “{lesson.title}”",
                        "courses.lesson",
                        {"course_id": course.id, "lesson_id": lesson.id},
                    )
    if path.startswith("media/"):
        return Part(f"the image {path.removeprefix('media/')}")
    return Part(f"the file {path}")


def _changes(event: EventLike, names: Names) -> Part | None:
    count = len(_paths(event))
    return Part(f"{count} change" + ("" if count == 1 else "s")) if count else None


def _invited_people(event: EventLike, names: Names) -> Part | None:
    count = _int(_details(event).get("invited"))
    if count is None:
        return None
    return Part(f"{count} " + ("person" if count == 1 else "people"))


def _target(event: EventLike, names: Names) -> Part | None:
    """The entry's subject, whatever it is (for actions without a sentence)."""
    if event.target_type == USER_TYPE:
        return _person(event, names)
    if event.target_type == ORGANISATION_TYPE:
        return _organisation(event, names)
    if event.target_type == INVITATION_TYPE:
        return _invitee(event, names)
    if course_id_of(event):
        return _course(event, names)
    if event.target_type:
        return Part(
            " ".join(f"{event.target_type} {event.target_id or ''}".replace("_", " ").split())
        )
    return None


def _due_at(event: EventLike, names: Names) -> Part | None:
    value = _details(event).get("due_at")
    moment = stored_time(value)
    if moment is None:
        return _detail(event, "due_at")
    return Part(names.time_words(moment))


def _role(key: str):
    """Return the resolver of a role recorded under `key`, named as the pages name it
    ("lead officer", not "manager")."""

    def resolve(event: EventLike, _names: Names) -> Part | None:
        value = _details(event).get(key)
        return Part(role_name(str(value)).lower()) if value else None

    return resolve


def _inviter(event: EventLike, names: Names) -> Part | None:
    """Who sent the invitation an account was made from (None: not known any more)."""
    origin = origin_of(event, names)
    return _person_part(origin.inviter_id, names) if origin else None


def _service(event: EventLike, names: Names) -> Part | None:
    origin = origin_of(event, names)
    return Part(service_words(origin.issuer if origin else None))


_FIELDS = {
    "inviter": _inviter,
    "service": _service,
    "old_role": _role("from"),
    "new_role": _role("to"),
    "actor": _actor,
    "person": _person,
    "invitee": _invitee,
    "organisation": _organisation,
    "course": _course,
    "file": _file,
    "changes": _changes,
    "invited_people": _invited_people,
    "target": _target,
    "due_at": _due_at,
}
