"""Report pages for managers (their own organisation) and admins (every organisation).

Views are thin: load, authorize (a record out of scope answers 404, so its id is not
even confirmed), call a service, respond. Every CSV export takes the same parameters
as its page and writes the same rows, through the project's one CSV helper.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response as WerkzeugResponse

from induction.accounts import audit, intakes, uploads
from induction.accounts import bulk_invitations as bulk
from induction.accounts.forms import EmptyForm, choices
from induction.accounts.invitations import MAX_NOTE
from induction.accounts.models import AUDIENCE_NAMES, Organisation, User
from induction.accounts.organisations import CATEGORY_LABELS, all_organisations
from induction.accounts.permissions import (
    admin_required,
    current_person,
    invitable_roles,
    manager_required,
    organisation_in_scope,
    person_or_404,
)
from induction.catalogue import get_catalogue
from induction.content.model import Course
from induction.extensions import db
from induction.progress import chasing
from induction.progress.record import csv_header as record_csv_header
from induction.progress.record import entry_row, learner_record
from induction.progress.services import today
from induction.progress.status import Status
from induction.reports import at_a_glance, course_tabs, exports, headline, page_charts, services
from induction.reports.forms import (
    FILE_AUDIENCES,
    ConfirmImportForm,
    CourseForm,
    DashboardFilterForm,
    ImportForm,
    NetworkForm,
)
from induction.reports.person import person_report
from induction.web.boundary import deliver_after_response
from induction.web.downloads import csv_response, deferred, filename_slug
from induction.web.security import writes_database
from induction.web.templating import uk_date
from induction.web.urls import page_number

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.app_template_global()
def progress_at_a_glance() -> at_a_glance.AtAGlance | None:
    """My learning's first box for a lead officer or an admin (see reports/at_a_glance.py)."""
    if not current_user.is_authenticated:
        return None
    return at_a_glance.at_a_glance(current_person())


FILTER_MESSAGES = {
    "audience": "Choose who to show from the list",
    "status": "Choose a status from the list",
    "overdue": "Choose overdue or not from the list",
    "sort": "Choose an order from the list",
}


def _organisation_or_404(me: User, org_id: int) -> Organisation:
    # With its intakes (the dashboard's filter): one query, as before there were any.
    organisation = db.session.get(Organisation, org_id, options=[joinedload(Organisation.intakes)])
    if organisation is None or not organisation_in_scope(me, org_id):
        abort(404)
    return organisation


def _course_or_404(me: User, form: CourseForm) -> Course | None:
    """Return the course asked for (remembered for next time); when none is, the one
    reported on last, else the first; 404 for an unknown one.

    Returns None only when there is no course at all.
    """
    courses = services.courses_for_reports(me)
    form.course.choices = choices(
        (c.id, c.title + (" (draft)" if c.draft else "")) for c in courses
    )
    asked = request.args.get("course", "")
    if asked:
        course = services.report_course(me, asked)
        if course is None:
            abort(404)
        course_tabs.remember(course.id)
    else:
        last = course_tabs.remembered()
        course = (last and services.report_course(me, last)) or services.report_course(me, "")
    if course is not None:
        form.course.data = course.id
    return course


def _csv(filename: str, header: Any, rows: Any) -> Response:
    _commit_export()
    return csv_response(filename, header, rows)


def _commit_export() -> None:
    """Commit the export's audit entry (see _record_export), keeping what was loaded.

    Nothing else changed in this transaction, so the objects read so far are still
    right: not expiring them saves reloading the signed-in person afterwards.
    """
    session = db.session()
    expire_on_commit = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire_on_commit


def _record_export(me: User, *, target: Any = None, organisation_id: int | None = None) -> None:
    """Add "report.exported" to the audit log: who downloaded which report, with which filters.

    `_csv` commits it. Export views are marked `writes_database`, so on SQLite their
    transaction takes the write lock from the start instead of failing to upgrade.
    """
    audit.record(
        "report.exported",
        actor=me,
        target=target,
        organisation_id=organisation_id,
        details={"report": request.endpoint, "filters": request.args.to_dict()},
    )


def _slug(text: str) -> str:
    return filename_slug(text, "report", 60)


@bp.get("/")
@manager_required
def index():
    """Managers: their organisation's dashboard. Admins: the network overview."""
    me = current_person()
    if me.is_admin:
        return redirect(url_for(".network"))
    if me.organisation_id is None:
        abort(404)
    return redirect(url_for(".organisation", org_id=me.organisation_id))


# --- The organisation dashboard ------------------------------------------------------------


def _dashboard_query(
    me: User, organisation: Organisation
) -> tuple[DashboardFilterForm, services.DashboardQuery | None]:
    """Read the dashboard's filters from the query string; invalid ones are shown and ignored
    (an intake that is not one of the organisation's answers 404)."""
    form = DashboardFilterForm(request.args)
    course = _course_or_404(me, form)
    known = organisation.intakes
    form.intake.choices = intakes.intake_filter_choices(organisation.id, known)
    try:
        intake = intakes.intake_filter(me, organisation.id, form.intake.data, known)
    except intakes.IntakeNotFound:
        abort(404)
    form.validate()
    for name, message in FILTER_MESSAGES.items():
        if form[name].errors:
            form[name].errors = [message]
            form[name].data = ""
    if form.q.errors:
        form.q.data = ""
    sort = form.sort.data or "name"
    form.sort.data = sort
    if course is None:
        return form, None
    page = page_number()
    query = services.DashboardQuery(
        course=course,
        audience=form.audience.data or None,
        status=Status(form.status.data)
        if form.status.data not in ("", None, services.INVITED, services.NOT_FINISHED)
        else None,
        invited=form.status.data == services.INVITED,
        not_finished=form.status.data == services.NOT_FINISHED,
        overdue={"yes": True, "no": False}.get(form.overdue.data or ""),
        q=form.q.data or "",
        sort=sort.lstrip("-"),
        descending=sort.startswith("-"),
        page=page,
        intake_id=intake.id if intake else None,
    )
    return form, query


def _filter_args(form: DashboardFilterForm) -> dict[str, str]:
    """Return the query string of the current filters and sort (for links and exports)."""
    args = {}
    for name in ("course", "audience", "status", "overdue", "q", "sort", "intake"):
        value = form[name].data
        if value and not form[name].errors and not (name == "sort" and value == "name"):
            args[name] = str(value)
    return args


def _list_group(query: services.DashboardQuery) -> chasing.Group | None:
    """Return the reminder group that is exactly the people the status and overdue filters
    list (overdue only; not started; not finished; due for renewal), or None when they
    are no group (no such filter, or two at once: tick the people instead)."""
    if query.invited:
        return None
    if query.not_finished and query.overdue is None:
        return chasing.Group.NOT_FINISHED
    if query.status is Status.NOT_STARTED and query.overdue is None:
        return chasing.Group.NOT_STARTED
    if query.status is Status.DUE_FOR_RENEWAL and query.overdue is None:
        return chasing.Group.DUE_FOR_RENEWAL
    if query.status is None and not query.not_finished and query.overdue is True:
        return chasing.Group.OVERDUE
    return None


def _headline(
    organisation: Organisation, query: services.DashboardQuery, summary: services.Counts
) -> str:
    """Return the dashboard's sentence for a committee paper (reports/headline.py)."""
    intake = next((i.name for i in organisation.intakes if i.id == query.intake_id), "")
    selection = headline.Selection(
        people_words=AUDIENCE_NAMES.get(query.audience or "", "people"),
        intake=intake,
        search=query.q.strip(),
    )
    return headline.headline(
        complete=summary.complete,
        people=summary.people,
        update_to_read=summary.update_to_read,
        organisation=organisation.name,
        course=query.course.title,
        day=uk_date(today()),
        selection=selection,
    )


@bp.get("/organisations/<int:org_id>")
@manager_required
def organisation(org_id: int):
    """An organisation's dashboard: one row per person, one column per module."""
    me = current_person()
    organisation = _organisation_or_404(me, org_id)
    form, query = _dashboard_query(me, organisation)
    if query is None:
        return render_template("reports/no_courses.html", organisation=organisation)
    board = services.dashboard(me, organisation, query, today())
    if query.page > 1 and not (board.invited if query.invited else board.rows):
        abort(404)  # past the last page
    args = _filter_args(form)
    return render_template(
        "reports/organisation.html",
        organisation=organisation,
        form=form,
        board=board,
        figures=services.summary_figures(board.summary, renews=query.course.renew is not None),
        headline=_headline(organisation, query, board.summary),
        invitable={role.value for role in invitable_roles(me)},
        button_form=EmptyForm(),
        course=query.course,
        args=args,
        rules=services.module_rules(query.course),
        audience_labels=services.AUDIENCE_LABELS,
        tabs=course_tabs.course_tabs(
            me,
            organisation.id,
            today(),
            {query.course.id: board.summary} if query.counts_everyone else None,
        ),
        list_group=_list_group(query),
        remind_groups=[
            (group.value, chasing.group_label(group, query.audience, query.q))
            for group in chasing.Group
            if group is not chasing.Group.DUE_FOR_RENEWAL or query.course.renew
        ],
        chart=Markup(page_charts.modules_chart(query.course, board.module_totals)),  # noqa: S704
        chart_below=Markup(  # noqa: S704
            page_charts.modules_chart(query.course, board.module_totals, "modules-chart-below")
        ),
        form_has_errors=any(form[name].errors for name in FILTER_MESSAGES),
    )


def _dashboard_export(
    org_id: int,
) -> tuple[User, Organisation, services.DashboardQuery, dt.date]:
    """Return who asks, the organisation, the dashboard's query and today, for an export
    of the dashboard (404 out of scope or without a course), with the export audited."""
    me = current_person()
    organisation = _organisation_or_404(me, org_id)
    _form, query = _dashboard_query(me, organisation)
    if query is None:
        abort(404)
    _record_export(me, organisation_id=org_id)
    return me, organisation, query, today()


def _export_filter_words(query: services.DashboardQuery) -> list[str]:
    """Return the words a dashboard export's file name gets for its filters, so a list of
    the overdue is not named like the whole list: "councillors", "not finished",
    "overdue", "search"."""
    words = []
    if query.audience:
        words.append(AUDIENCE_NAMES.get(query.audience, query.audience))
    if query.not_finished:
        words.append("not finished")
    elif query.status is not None:
        words.append(query.status.value)
    if query.overdue is not None:
        words.append("overdue" if query.overdue else "not overdue")
    if query.q.strip():
        words.append("search")
    return words


@bp.get("/organisations/<int:org_id>/export.csv")
@manager_required
@writes_database
def organisation_csv(org_id: int):
    """The dashboard's people as CSV: the same filters and order, every page."""
    me, organisation, query, day = _dashboard_export(org_id)
    course = query.course
    chosen = "".join(f"-{_slug(part)}" for part in _export_filter_words(query))
    return _csv(
        f"{_slug(organisation.name)}-{course.id}{chosen}-{day.isoformat()}.csv",
        exports.dashboard_csv_header(course),
        deferred(
            lambda: exports.dashboard_csv_rows(
                course, services.iter_dashboard_rows(me, organisation, query, day)
            )
        ),
    )


@bp.get("/organisations/<int:org_id>/modules.csv")
@manager_required
@writes_database
def organisation_modules_csv(org_id: int):
    """The dashboard's completion by module as CSV (the numbers of its chart)."""
    me, organisation, query, day = _dashboard_export(org_id)
    return _csv(
        f"{_slug(organisation.name)}-{query.course.id}-modules-{day.isoformat()}.csv",
        exports.MODULE_CSV_HEADER,
        deferred(
            lambda: (
                exports.module_csv_row(total)
                for total in services.dashboard(me, organisation, query, day).module_totals
            )
        ),
    )


# --- One person ---------------------------------------------------------------------------


@bp.get("/people/<int:person_id>")
@manager_required
def person(person_id: int):
    """A person's full record: lessons, acknowledgements, every quiz attempt as asked."""
    found = person_or_404(current_person(), person_id)
    return render_template(
        "reports/person.html",
        report=person_report(found, today()),
        person=found,
        intake=found.intake if found.intake_id is not None else None,
        printing=request.args.get("print") == "1",
    )


@bp.get("/people/<int:person_id>/record.csv")
@manager_required
@writes_database
def person_csv(person_id: int):
    """A person's record as CSV: the same lines as the record table of their page."""
    me = current_person()
    found = person_or_404(me, person_id)
    _record_export(me, target=found)
    entries = learner_record(found, get_catalogue().library())
    return _csv(
        f"record-{_slug(found.name)}-{found.id}.csv",
        record_csv_header(),
        (entry_row(entry) for entry in entries),
    )


# --- The network --------------------------------------------------------------------------


def _network_filters(me: User) -> tuple[NetworkForm, Course | None, str, str | None]:
    """Return the overview's form, course, order and category from the query string. An
    unknown category or order is shown as an error and ignored."""
    form = NetworkForm(request.args)
    course = _course_or_404(me, form)
    form.validate()
    for name, message in (
        ("category", "Choose a category from the list"),
        ("sort", "Choose an order from the list"),
    ):
        if form[name].errors:
            form[name].errors = [message]
            form[name].data = form[name].default
    return form, course, form.sort.data or "name", form.category.data or None


def _network(
    me: User,
) -> tuple[
    NetworkForm, Course | None, list[services.OrganisationTotal], list[services.OrganisationTotal]
]:
    """Return the overview's form, course, organisations with people (filtered and in the
    order asked) and those with no one yet."""
    form, course, sort, category = _network_filters(me)
    rows = services.network_overview(me, course, today()) if course else []
    with_people, empty = services.arrange_network(rows, sort=sort, category=category)
    return form, course, with_people, empty


def _network_args(form: NetworkForm) -> dict[str, str]:
    return {
        name: str(form[name].data)
        for name in ("course", "category", "sort")
        if form[name].data and not form[name].errors
    }


@bp.get("/network")
@admin_required
def network():
    """Every organisation: people, started, complete, overdue and completion rate."""
    me = current_person()
    form, course, rows, empty = _network(me)
    if course is None:
        return render_template("reports/no_courses.html", organisation=None)
    return render_template(
        "reports/network.html",
        form=form,
        course=course,
        rows=rows,
        empty=empty,
        args=_network_args(form),
        totals=services.network_totals(rows),
        category_labels=CATEGORY_LABELS,
        chart=Markup(page_charts.organisations_chart(course, rows)),  # noqa: S704
        form_has_errors=bool(form.category.errors or form.sort.errors),
    )


@bp.get("/network.csv")
@admin_required
@writes_database
def network_csv():
    """The network overview as CSV (the same rows and order, those with no one yet, then the
    totals)."""
    me = current_person()
    _form, course, sort, category = _network_filters(me)
    if course is None:
        abort(404)
    _record_export(me)
    day = today()

    def lines() -> Iterator[tuple[object, ...]]:
        rows = services.network_overview(me, course, day)
        with_people, empty = services.arrange_network(rows, sort=sort, category=category)
        for row in [*with_people, *empty, services.network_totals(with_people)]:
            yield exports.network_csv_row(row, CATEGORY_LABELS)

    filename = f"network-{course.id}-{day.isoformat()}.csv"
    return _csv(filename, exports.NETWORK_CSV_HEADER, deferred(lines))


# --- Difficult questions ------------------------------------------------------------------


@bp.get("/questions")
@admin_required
def questions():
    """Each quiz question with the share of submitted answers that got it right."""
    me = current_person()
    form = CourseForm(request.args)
    course = _course_or_404(me, form)
    if course is None:
        return render_template("reports/no_courses.html", organisation=None)
    quizzes = services.question_totals(course)
    return render_template(
        "reports/questions.html",
        form=form,
        course=course,
        quizzes=[
            (module, totals, Markup(page_charts.questions_chart(module, totals)))  # noqa: S704
            for module, totals in quizzes
        ],
    )


@bp.get("/questions.csv")
@admin_required
@writes_database
def questions_csv():
    """The difficult questions report as CSV."""
    me = current_person()
    form = CourseForm(request.args)
    course = _course_or_404(me, form)
    if course is None:
        abort(404)
    _record_export(me)
    return _csv(
        f"questions-{course.id}-{today().isoformat()}.csv",
        exports.QUESTIONS_CSV_HEADER,
        deferred(
            lambda: (
                exports.question_csv_row(total)
                for _module, totals in services.question_totals(course)
                for total in totals
            )
        ),
    )


# --- Bulk invitations ---------------------------------------------------------------------


def _import_organisations(me: User) -> list[Any]:
    if me.is_admin:
        return choices((org.id, org.name) for org in all_organisations())
    if me.organisation is None:
        abort(404)
    return choices([(me.organisation.id, me.organisation.name)])


def _render_preview(
    preview: bulk.ImportPreview,
    upload_id: str | None,
    changed: bool = False,
    note: str = "",
    confirm: ConfirmImportForm | None = None,
):
    """The check page: every line, what will happen to it, when its courses will be due,
    and the button that invites (`confirm`: the form sent back, with its note and errors)."""
    if confirm is None:
        confirm = ConfirmImportForm(
            data={
                "upload": upload_id or "",
                "digest": preview.digest,
                "note": note,
                "audience": preview.audience or "",
            }
        )
    return render_template(
        "reports/import_preview.html",
        preview=preview,
        confirm_form=confirm,
        upload_id=upload_id,
        changed=changed,
        status_labels=bulk.STATUS_LABELS,
        max_note=MAX_NOTE,
        windows_note=bulk.WINDOWS_NOTE,
        audience_words=AUDIENCE_NAMES,
        form_has_errors=bool(confirm.errors),
    )


@bp.route("/invitations/import", methods=["GET", "POST"])
@manager_required
def import_invitations():
    """Upload a CSV file of people to invite, and see what would happen to every row."""
    me = current_person()
    form = ImportForm()
    form.organisation.choices = _import_organisations(me)
    if request.method == "GET" and not me.is_admin:
        form.organisation.data = me.organisation_id
    if form.validate_on_submit():
        organisation = _organisation_or_404(me, form.organisation.data)
        upload = form.file.data
        data = upload.read()
        try:
            preview = bulk.preview(me, organisation, data, form.audience.data or None)
        except bulk.ImportRefused:
            abort(404)
        if preview.file_problems:
            form.file.errors = list(preview.file_problems)
        else:
            upload_id = None
            # Kept for the confirmation, and for the download of the lines to fix.
            if preview.can_import or preview.problems:
                upload_id = uploads.save(
                    data,
                    actor_id=me.id,
                    organisation_id=organisation.id,
                    plan=preview.plan,
                    filename=upload.filename or "",
                )
                db.session.commit()
            return _render_preview(preview, upload_id)
    return render_template(
        "reports/import.html",
        form=form,
        form_has_errors=bool(form.errors),
        max_rows=bulk.MAX_ROWS,
    )


def _upload_gone(to_do: str) -> WerkzeugResponse:
    """Send the person back to uploading: the file checked is no longer kept."""
    flash(
        "That file has already been imported, or its preview is more than a day old. "
        f"Upload it again to {to_do}.",
        "error",
    )
    return redirect(url_for(".import_invitations"))


@bp.get("/invitations/import/template.csv")
@manager_required
def import_template():
    """A file to fill in: the columns the import reads and two example lines (CSV)."""
    return csv_response("people-to-invite.csv", bulk.TEMPLATE_HEADER, bulk.TEMPLATE_EXAMPLES)


@bp.get("/invitations/import/<upload_id>/lines-to-fix.csv")
@manager_required
def import_lines_to_fix(upload_id: str):
    """The lines of a previewed file that have problems, as typed, with what to fix in
    each: to correct in a spreadsheet and upload again (CSV)."""
    me = current_person()
    stored = uploads.load(upload_id, actor_id=me.id, digest=request.args.get("digest", ""))
    if stored is None or stored.organisation_id is None:
        return _upload_gone("see its lines to fix")
    organisation = _organisation_or_404(me, stored.organisation_id)
    audience = request.args.get("audience") or None
    if audience is not None and audience not in FILE_AUDIENCES:
        abort(404)
    try:
        checked = bulk.preview(me, organisation, stored.data, audience)
    except bulk.ImportRefused:
        abort(404)
    header, *lines = bulk.lines_to_fix(checked, stored.data)
    name = filename_slug(stored.filename.rsplit(".", 1)[0], "invitations", 60)
    return csv_response(f"{name}-lines-to-fix.csv", header, lines)


@bp.post("/invitations/import/confirm")
@manager_required
def confirm_import():
    """Invite every ready row of the previewed file, all in one transaction."""
    me = current_person()
    form = ConfirmImportForm()
    valid = form.validate_on_submit()
    if not valid and (
        form.upload.errors
        or form.digest.errors
        or form.audience.errors
        or "csrf_token" in form.errors
    ):
        abort(400)
    audience = form.audience.data or None
    stored = uploads.load(form.upload.data, actor_id=me.id, digest=form.digest.data)
    if stored is None:
        return _upload_gone("see what it would do now")
    organisation = _organisation_or_404(me, stored.organisation_id)
    if not valid:  # the note: say what to change, on the page checked, with nothing sent
        try:
            checked = bulk.preview(me, organisation, stored.data, audience)
        except bulk.ImportRefused:
            abort(404)
        return _render_preview(checked, form.upload.data, confirm=form)
    note = form.note.data or ""
    try:
        checked, result = bulk.confirm(
            me,
            organisation,
            stored.data,
            expected_plan=stored.plan,
            note=note,
            from_joining=bool(form.from_joining.data),
            audience=audience,
        )
    except bulk.ImportRefused as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".import_invitations"))
    if result is None:  # nothing was written: keep the new plan for the next confirmation
        uploads.update_plan(stored, checked.plan)
        db.session.commit()
        return _render_preview(checked, form.upload.data, changed=True, note=note)
    uploads.discard(stored)
    db.session.commit()
    deliver_after_response()
    left_out = [
        f"{count} {words}"
        for count, words in (
            (result.skipped, "skipped"),
            (result.problems, "with problems (not invited)"),
        )
        if count
    ]
    flash(
        f"Invited {result.invited} {'person' if result.invited == 1 else 'people'} to "
        f"{organisation.name}. Their emails are on their way."
        + (f" {', '.join(left_out)}." if left_out else ""),
        "success",
    )
    return redirect(url_for(".organisation", org_id=organisation.id))
