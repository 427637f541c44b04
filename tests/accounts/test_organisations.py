"""Organisations: the CSV import, the shipped CCIN list, names, categories and join codes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from induction.accounts.errors import AccountError
from induction.accounts.models import Organisation
from induction.accounts.organisations import ccin_member_list, import_organisations, set_join_code
from induction.extensions import db


def _orgs(app):
    with app.app_context():
        return {o.name: (o.category, o.subtype) for o in db.session.scalars(select(Organisation))}


def test_import_the_shipped_ccin_list_twice_changes_nothing_the_second_time(app, runner):
    result = runner.invoke(args=["orgs", "import", "--ccin"])
    assert result.exit_code == 0, result.output
    assert "76 new, 0 updated, 0 unchanged" in result.output
    orgs = _orgs(app)
    assert len(orgs) == 76
    assert orgs["Birmingham City Council"] == ("full_member", None)
    assert orgs["Resonance Ltd"] == ("supporter", None)
    assert sum(1 for c, s in orgs.values() if s == "opposition_group") == 10
    assert sum(1 for c, s in orgs.values() if s == "town_parish_community") == 6
    assert all(c == "associate" for c, s in orgs.values() if s)
    again = runner.invoke(args=["orgs", "import", "--ccin"])
    assert "0 new, 0 updated, 76 unchanged" in again.output
    assert _orgs(app) == orgs


def test_shipped_list_is_the_reference_member_list():
    lines = ccin_member_list().splitlines()
    assert lines[0] == "name,category"
    assert len(lines) == 77


def test_import_a_file_with_plain_categories_and_update_by_name(app, runner, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("name,category\nTown Hall,full_member\nFriends Co-op,affiliate\n")
    assert runner.invoke(args=["orgs", "import", str(path)]).exit_code == 0
    path.write_text("name,category,subtype\ntown hall,associate,town_parish_community\n")
    result = runner.invoke(args=["orgs", "import", str(path)])
    assert "0 new, 1 updated" in result.output
    assert _orgs(app) == {
        "town hall": ("associate", "town_parish_community"),
        "Friends Co-op": ("affiliate", None),
    }


def test_a_bad_row_imports_nothing_and_every_problem_is_reported_with_its_row(
    app, runner, tmp_path
):
    path = tmp_path / "orgs.csv"
    path.write_text(
        "name,category\n"
        "Good Council,full_member\n"
        ",full_member\n"
        "Odd Council,premium\n"
        "good council,affiliate\n"
        "Fine Co-op,supporter\n"
    )
    result = runner.invoke(args=["orgs", "import", str(path)])
    assert result.exit_code == 1
    assert "row 3: the name is empty" in result.output
    assert "row 4: unknown category 'premium'" in result.output
    assert "row 5: 'good council' is already on row 2" in result.output
    assert "nothing was imported" in result.output
    assert _orgs(app) == {}


def test_missing_columns_and_non_utf8_files_are_explained(runner, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("organisation,type\nX,full_member\n")
    result = runner.invoke(args=["orgs", "import", str(path)])
    assert result.exit_code == 1
    assert "row 1: the header must have the columns name,category" in result.output
    path.write_bytes("name,category\nCaf\xe9,full_member\n".encode("latin-1"))
    result = runner.invoke(args=["orgs", "import", str(path)])
    assert result.exit_code == 1
    assert "not UTF-8" in result.output


def test_import_needs_a_file_or_the_ccin_flag(runner):
    assert runner.invoke(args=["orgs", "import"]).exit_code == 2


def test_excel_byte_order_mark_and_blank_lines_are_fine(app_ctx):
    result = import_organisations("\ufeffname,category\r\nA Council,full_member\r\n\r\n")
    assert result.ok
    assert result.created == ["A Council"]


def test_names_are_unique_ignoring_case(app_ctx):
    db.session.add(Organisation(name="Brent Council"))
    db.session.commit()
    db.session.add(Organisation(name="BRENT  council"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(func.count(Organisation.id))) == 1


def test_join_codes_are_random_readable_and_unique(app_ctx):
    a, b = Organisation(name="A"), Organisation(name="B")
    db.session.add_all([a, b])
    db.session.flush()
    code = set_join_code(a, "", actor=None)
    assert len(code) == 12
    assert code.isalnum()
    assert code.isupper()
    assert set_join_code(b, "my-own-code-1", actor=None) == "MYOWNCODE1"
    with pytest.raises(AccountError, match="Another organisation"):
        set_join_code(a, "myowncode1", actor=None)
    with pytest.raises(AccountError, match="8 or more"):
        set_join_code(a, "short", actor=None)
    assert set_join_code(a, None, actor=None) is None
    assert a.join_code is None
    db.session.rollback()
