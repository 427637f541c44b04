"""Saving the network's identity, with an audit entry; the view commits and forgets the cache."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from induction.accounts import audit
from induction.accounts.models import User
from induction.database import utcnow
from induction.errors import Refusal
from induction.extensions import db
from induction.identity.contrast import parse_colour
from induction.identity.current import Identity
from induction.identity.footer import parse_footer_links
from induction.identity.logo import Logo
from induction.identity.models import ROW_ID, SiteIdentity

# The fields an admin edits, in the order the audit entry lists them.
FIELDS = (
    "name",
    "short_name",
    "site_name",
    "brand_colour",
    "sender_name",
    "sender_address",
    "support_email",
    "footer_links",
    "logo_alt",
    "report_course_id",
)


@dataclass(frozen=True)
class IdentityChange:
    """What the form asks for: every text field, and what to do with the logo."""

    values: dict[str, Any]
    new_logo: Logo | None = None
    remove_logo: bool = False


def clean_values(data: dict[str, Any]) -> dict[str, Any]:
    """Return the form's values as they are stored: trimmed, the colour as '#rrggbb', the
    footer links as a list, an empty optional field (the reports' course among them) as None."""
    values = {name: (data.get(name) or "").strip() for name in FIELDS}
    values["brand_colour"] = parse_colour(values["brand_colour"])
    values["footer_links"] = parse_footer_links(values["footer_links"])
    values["support_email"] = values["support_email"].lower() or None
    values["sender_address"] = values["sender_address"].lower()
    values["logo_alt"] = values["logo_alt"] or None
    values["report_course_id"] = values["report_course_id"] or None
    return values


def save_identity(actor: User, change: IdentityChange, before: Identity) -> list[str]:
    """Save the identity (making its row the first time) and record who changed what.

    `before` is the identity in force, whose values fill a new row. Returns the names of
    the fields that changed ("logo" included). Raises Refusal (field "logo_alt") when
    the site would have a logo with no words describing it. Flushes; never commits.
    """
    row = db.session.scalar(select(SiteIdentity).where(SiteIdentity.id == ROW_ID))
    if row is None:
        row = SiteIdentity(id=ROW_ID, version=0, logo_type=None)
        db.session.add(row)
        old = _values_of(before)
    else:
        old = {name: getattr(row, name) for name in FIELDS}
    values = change.values
    keeps_logo = (row.logo_type is not None and not change.remove_logo) or change.new_logo
    if keeps_logo and not values.get("logo_alt"):
        raise Refusal(
            "Describe the logo in words (for example: CCIN logo), for people who cannot see it",
            field="logo_alt",
        )
    changed = [name for name in FIELDS if values[name] != old[name]]
    for name in FIELDS:
        setattr(row, name, values[name])
    if change.new_logo is not None:
        row.logo, row.logo_type = change.new_logo.data, change.new_logo.content_type
        changed.append("logo")
    elif change.remove_logo and row.logo_type is not None:
        row.logo, row.logo_type, row.logo_alt = None, None, None
        changed.append("logo removed")
    if not keeps_logo:
        row.logo_alt = None
    row.version = (row.version or 0) + 1
    row.updated_at = utcnow()
    row.updated_by_id = actor.id
    db.session.flush()
    audit.record(
        "identity.changed",
        actor=actor,
        target=("site_identity", ROW_ID),
        organisation_id=None,
        details={"changed": changed},
    )
    return changed


def _values_of(identity: Identity) -> dict[str, Any]:
    values = {name: getattr(identity, name) for name in FIELDS if name != "footer_links"}
    values["footer_links"] = [
        {"label": link.label, "url": link.url} for link in identity.footer_links
    ]
    return values
