"""The view boundary: a refusal rolls back what the services did and is shown; else one commit."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import StringField

from induction.accounts.models import Organisation
from induction.errors import Refusal
from induction.extensions import db
from induction.web.boundary import service_call


class NameForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField("Name")


def _add(name: str) -> None:
    db.session.add(Organisation(name=name, name_key=name.lower()))
    db.session.flush()


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Organisation)) or 0


def test_the_work_is_committed_when_nothing_is_refused(app):
    with app.test_request_context():
        with service_call() as call:
            _add("Kept Council")
        assert call.ok
        db.session.rollback()  # a commit happened: nothing is left to roll back
        assert _count() == 1


@pytest.mark.parametrize("field", ["name", None])
def test_a_refusal_rolls_everything_back_and_is_shown(app, field):
    with app.test_request_context():
        form = NameForm()
        with service_call(form) as call:
            _add("Lost Council")
            raise Refusal("Choose another name", field=field)
        assert not call.ok
        assert call.refusal is not None and call.refusal.message == "Choose another name"
        assert _count() == 0
        if field:
            assert form.name.errors == ["Choose another name"]
            assert get_flashed_messages() == []
        else:
            assert get_flashed_messages(with_categories=True) == [("error", "Choose another name")]


def test_other_errors_are_not_swallowed(app):
    with app.test_request_context(), pytest.raises(ZeroDivisionError), service_call():
        _ = 1 / 0
