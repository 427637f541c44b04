"""Who may see a course: the Python predicate and the SQL condition agree everywhere.

Both come from the one rule in induction.accounts.access. Every role and audience is
checked against every course there can be (draft or not, for any set of audiences).
"""

from __future__ import annotations

from itertools import combinations

import pytest
from sqlalchemy import select

from induction.accounts.access import (
    EVERY_AUDIENCE,
    audience_key,
    audience_of,
    may_see,
    may_see_condition,
)
from induction.accounts.models import Role, User
from induction.content.model import AUDIENCES, Course, Module
from induction.extensions import db

AUDIENCE_SETS = [
    frozenset(chosen)
    for size in range(len(AUDIENCES) + 1)
    for chosen in combinations(AUDIENCES, size)
]


def course(audiences: frozenset[str], draft: bool) -> Course:
    return Course(
        id="c", path="c", title="C", summary="", audiences=audiences, pass_mark=80,
        due_days=None, certificate=False, draft=draft, body="", html="", modules=(),
        content_hash="",
    )  # fmt: skip


def module(audiences: frozenset[str]) -> Module:
    return Module(
        id="m", course_id="c", path="c/m", title="M", summary="", audiences=audiences,
        body="", html="", lessons=(), quiz=None,
    )  # fmt: skip


ITEMS = [course(a, draft) for a in AUDIENCE_SETS for draft in (False, True)] + [
    module(a) for a in AUDIENCE_SETS
]


@pytest.fixture
def everyone(app, make_user) -> list[int]:
    """One person of every role and audience; returns their ids."""
    return [make_user(role=role.value, audience=a).id for role in Role for a in AUDIENCES]


def test_sql_and_python_agree_for_every_role_audience_and_course(app, everyone):
    with app.app_context():
        people = db.session.scalars(select(User).where(User.id.in_(everyone))).all()
        assert len(people) == len(Role) * len(AUDIENCES)
        for item in ITEMS:
            in_sql = set(
                db.session.scalars(
                    select(User.id).where(User.id.in_(everyone), may_see_condition(item))
                )
            )
            in_python = {person.id for person in people if may_see(person, item)}
            assert in_sql == in_python, (item.audiences, getattr(item, "draft", None))
        keys = dict(
            db.session.execute(select(User.id, audience_key()).where(User.id.in_(everyone))).all()
        )
        for person in people:
            assert keys[person.id] == (audience_of(person) or EVERY_AUDIENCE)


@pytest.mark.parametrize("role", [role.value for role in Role])
@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("audiences", AUDIENCE_SETS, ids=lambda a: "+".join(sorted(a)) or "none")
@pytest.mark.parametrize("draft", [False, True], ids=["published", "draft"])
def test_the_rule(role, audience, audiences, draft):
    person = User(role=role, audience=audience)
    item = course(audiences, draft)
    if role == Role.ADMIN:
        assert may_see(person, item)  # admins see drafts and every audience
    else:
        assert may_see(person, item) == (not draft and audience in audiences)


@pytest.mark.parametrize("previewing", AUDIENCES)
def test_an_admin_previewing_sees_that_audience_and_drafts(previewing):
    admin = User(role=Role.ADMIN.value, audience="officer")
    assert audience_of(admin, previewing) == previewing
    for audiences in AUDIENCE_SETS:
        for draft in (False, True):
            assert may_see(admin, course(audiences, draft), previewing) == (previewing in audiences)


def test_previewing_changes_nothing_for_others():
    learner = User(role=Role.LEARNER.value, audience="councillor")
    assert audience_of(learner, "officer") == "councillor"
    assert not may_see(learner, course(frozenset({"officer"}), False), "officer")
