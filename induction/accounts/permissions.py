"""Who may see and do what: the one place every view asks.

Learners see their own records; managers see the people of their own organisation;
admins see everyone. A record outside someone's scope answers 404, not 403, so its
id is not even confirmed. Pages a role may not open at all answer 403, and someone
signed out is sent to sign in: `refusal` is that one guard, applied by the decorators
below or to a whole blueprint by `guard_blueprint` (see docs/accounts.md).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import Select

from induction.accounts.models import Invitation, Role, User
from induction.extensions import db, login_manager

View = TypeVar("View", bound=Callable[..., Any])


def current_person() -> User:
    """Return the signed-in person (the User itself, not the request's proxy)."""
    return current_user._get_current_object()  # type: ignore[no-any-return]


def is_admin(actor: User) -> bool:
    """Return True for admins."""
    return bool(actor.is_admin)


def is_manager_or_admin(actor: User | None) -> bool:
    """Return True for managers and admins."""
    return actor is not None and actor.role in (Role.MANAGER, Role.ADMIN)


def refusal(allowed: Callable[[User], bool]) -> ResponseReturnValue | None:
    """Return the answer to someone who may not open a page for `allowed` people only.

    The one guard of every restricted page: the sign-in page for someone signed out
    (who comes back afterwards), 403 for a role that may not open the page at all; None
    when the signed-in person is allowed.
    """
    if not current_user.is_authenticated:
        return login_manager.unauthorized()  # type: ignore[no-any-return]
    if not allowed(current_user):
        abort(403)
    return None


def _require(allowed: Callable[[User], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            return refusal(allowed) or view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


admin_required = _require(is_admin)
"""Decorator: signed-in admins only (others: sign-in page or 403)."""

manager_required = _require(is_manager_or_admin)
"""Decorator: signed-in managers and admins only (others: sign-in page or 403)."""


def guard_blueprint(blueprint: Blueprint, allowed: Callable[[User], bool]) -> None:
    """Guard every page of `blueprint` with `refusal(allowed)`, before any of its views runs."""
    blueprint.before_request(functools.partial(refusal, allowed))


def can_see_person(actor: User | None, person: User) -> bool:
    """Return True when `actor` may see `person`'s account and records."""
    if actor is None or not actor.is_authenticated:
        return False
    if actor.is_admin or actor.id == person.id:
        return True
    return (
        actor.is_manager
        and actor.organisation_id is not None
        and person.organisation_id == actor.organisation_id
    )


def can_manage_person(actor: User | None, person: User) -> bool:
    """Return True when `actor` may change `person` (details, start date, active flag).

    Admins manage everyone (the services stop an admin demoting or deactivating
    themselves); managers manage the learners and managers of their own organisation,
    never admins and not themselves.
    """
    if actor is None or not can_see_person(actor, person):
        return False
    if actor.is_admin:
        return True
    return actor.is_manager and person.role != Role.ADMIN and person.id != actor.id


def people_in_scope(actor: User, stmt: Select[Any]) -> Select[Any]:
    """Return `stmt` (a select over User) limited to the people `actor` may see."""
    if actor.is_admin:
        return stmt
    if actor.is_manager and actor.organisation_id is not None:
        return stmt.where(User.organisation_id == actor.organisation_id)
    return stmt.where(User.id == actor.id)


def organisation_in_scope(actor: User, org_id: int | None) -> bool:
    """Return True when `actor` may see the organisation `org_id` and its people."""
    if actor.is_admin:
        return True
    return org_id is not None and actor.is_manager and actor.organisation_id == org_id


def invitable_roles(actor: User) -> tuple[Role, ...]:
    """Return the roles `actor` may give in an invitation (none for learners).

    Admins invite anyone with any role; managers invite learners and fellow managers of
    their own organisation.
    """
    if actor.is_admin:
        return (Role.LEARNER, Role.MANAGER, Role.ADMIN)
    if actor.is_manager and actor.organisation_id is not None:
        return (Role.LEARNER, Role.MANAGER)
    return ()


def can_see_invitation(actor: User, invitation: Invitation) -> bool:
    """Return True when `actor` may see and revoke `invitation`."""
    return organisation_in_scope(actor, invitation.organisation_id)


def person_or_404(actor: User, person_id: int) -> User:
    """Return the person if `actor` may see them; abort with 404 otherwise (also when absent)."""
    person = db.session.get(User, person_id)
    if person is None or not can_see_person(actor, person):
        abort(404)
    return person


def managed_person(actor: User, person_id: int) -> User:
    """Return the person if `actor` may change them: 404 when `actor` may not see them (or
    there is no such person), 403 when they may see but not change them.
    """
    person = person_or_404(actor, person_id)
    if not can_manage_person(actor, person):
        abort(403)
    return person


def invitation_or_404(actor: User, invitation_id: int) -> Invitation:
    """Return the invitation if `actor` may see it; abort with 404 otherwise."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not can_see_invitation(actor, invitation):
        abort(404)
    return invitation
