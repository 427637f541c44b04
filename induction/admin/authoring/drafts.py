"""A course's draft: what it changes, each file's diff, discarding, checking and publishing."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from induction.accounts import audit
from induction.accounts.access import PREVIEW_AUDIENCE_KEY
from induction.accounts.permissions import current_person
from induction.admin import course_files as files
from induction.admin.authoring.blueprint import AUDIENCE_NAMES, bp, open_live, sentence
from induction.admin.authoring.problems import draft_problem_rows, problem_rows
from induction.admin.authoring.uploads import unpublished_media
from induction.admin.authoring_forms import (
    ConfirmForm,
    DiscardForm,
    DraftPreviewForm,
    PublishForm,
    ReviewForm,
    ScheduleForm,
)
from induction.admin.course_files.changes import read_bytes
from induction.admin.course_files.impact import course_starters
from induction.admin.course_files.listing import course_id_of
from induction.admin.course_files.paths import CourseFolder, PathRefused
from induction.admin.drafts import (
    additions,
    discard_list,
    discarding,
    moves,
    preview,
    publishing,
    review,
    schedule,
    store,
    summary,
)
from induction.admin.drafts.describe import named, reader
from induction.admin.drafts.models import DraftFile
from induction.admin.drafts.visibility import HIDES, OPENS, visibility_change
from induction.catalogue import get_catalogue
from induction.content.tree import MEDIA_DIR
from induction.courses.views import MEDIA_TYPES
from induction.extensions import db
from induction.progress.wording import listed


def _draft_page(
    live: CourseFolder,
    form: PublishForm,
    status: int = 200,
    blocking=None,
    preview_form: DraftPreviewForm | None = None,
    schedule_form: ScheduleForm | None = None,
    refused_discard=None,
):
    changes = publishing.draft_changes(live)
    published = get_catalogue().published().course(course_id_of(live))
    visibility = visibility_change(live, [change.row for change in changes])
    read = reader(live, [change.row for change in changes])
    return (
        render_template(
            "admin/authoring/draft.html",
            folder=live,
            course_title=published.title if published else live.name,
            changes=changes,
            summary=summary.summary(changes, read),
            discards=discard_list.entries(changes, read),
            hides=visibility == HIDES,
            opens=visibility == OPENS,
            started=course_starters(course_id_of(live)) if visibility == HIDES else 0,
            added=additions.notices(_added(live, published, changes))
            if visibility != HIDES
            else [],
            form=form,
            asks_for_notice=bool(form.learner_note.errors) or may_raise_versions(changes),
            preview_form=preview_form or DraftPreviewForm(formdata=None),
            schedule_form=schedule_form or ScheduleForm(formdata=None, prefix="schedule"),
            scheduled=schedule.pending(live.name),
            needs_review=review.needs_review(live.name),
            review_form=ReviewForm(formdata=None, needs_review=review.needs_review(live.name)),
            approval=review.approval_of(live.name),
            discard_form=DiscardForm(),
            blocking=problem_rows(live, blocking or [], read),
            refused_discard=problem_rows(live, refused_discard or [], read),
            draft_problems=draft_problem_rows(live, [change.row for change in changes], read)
            if changes and not blocking and not refused_discard
            else [],
            form_has_errors=status >= 400,
        ),
        status,
    )


# A lesson's `version:` line changed in a file's diff (a raised version, as a rule).
_VERSION_CHANGED = re.compile(r"^\+version:", re.MULTILINE)


def may_raise_versions(changes) -> bool:
    """Return True when a published lesson's `version:` line changes in the draft: only then
    does the page ask for a note to earlier readers (publishing checks it exactly)."""
    return any(change.what != "new" and _VERSION_CHANGED.search(change.diff) for change in changes)


def _added(live: CourseFolder, published, changes) -> additions.Additions:
    """Return what the draft adds for learners to do (only when it adds or moves a lesson
    or a quiz, or changes who a lesson or module is for: the draft course is loaded for
    nothing else)."""
    if not any(
        additions.may_add_work(
            change.path, change.what, read_bytes(live.path / change.path), change.row.content
        )
        for change in changes
    ):
        return additions.Additions(())
    return additions.additions(published, preview.draft_course(live), dt.date.today())


@bp.get("/<folder>/draft")
def draft(folder: str):
    """The course's draft set: every changed file with its diff against what learners see."""
    return _draft_page(open_live(folder), PublishForm())


@bp.post("/<folder>/draft/publish")
def publish_draft(folder: str):
    """Check the draft as a whole and publish all of it, or the ticked files."""
    live = open_live(folder)
    form = PublishForm()
    if not form.validate_on_submit():
        return _draft_page(live, form, 400)
    paths = None if form.publish_all.data else set(form.paths.data or [])
    if paths is not None and not paths:
        form.paths.errors = ["Tick the files to publish, or press 'Publish all changes'"]
        return _draft_page(live, form, 400)
    try:
        published = publishing.publish(
            live,
            paths,
            actor=current_person(),
            note=form.note.data or "",
            commit=db.session.commit,
            notice=form.notice,
            notice_required=True,
        )
    except publishing.NoticeRequired as needed:
        db.session.rollback()
        form.learner_note.errors = [needed.message]
        return _draft_page(live, form, 400)
    except publishing.PublishRefused as refused:
        db.session.rollback()
        return _draft_page(live, form, 400, blocking=refused.problems)
    # The draft previewed is now what learners see: its preview, and the audience chosen
    # with it, end.
    ended_preview = session.get(preview.PREVIEW_DRAFT_KEY) == live.name
    if ended_preview:
        preview.end_draft_preview(session)
        session.pop(PREVIEW_AUDIENCE_KEY, None)
    count = len(published.publication.files)
    flash(
        f"Published {count} file{'' if count == 1 else 's'}: learners see the change now."
        + (" It is one commit in the courses folder's git history." if published.commit else "")
        + (" Your preview of the draft has ended." if ended_preview else ""),
        "success",
    )
    if published.git_problem:
        flash(
            "The files are published, but they could not be committed to git: "
            f"{published.git_problem}. Ask whoever runs the server to commit them.",
            "error",
        )
    return redirect(url_for("authoring.draft", folder=folder))


def _discarded_message(live: CourseFolder, rows: list[DraftFile], paths: set[str]) -> str:
    """Return what discarding the draft of `paths` does, naming each file by its title."""
    read = reader(live, rows)
    drafted = {row.path: row for row in rows if row.path in paths}
    if not drafted:  # nothing to discard (a path with no draft): the caller says so
        return ""
    if len(drafted) != 1:  # a move, with the files whose links follow it
        names = list(dict.fromkeys(named(path, read) for path in sorted(drafted)))
        return f"Discarded the draft of {listed(names)}: they are as published again."
    [(path, row)] = drafted.items()
    name = named(path, read)
    if read_bytes(live.path / path) is None:
        return f"Discarded {name}: it was new in the draft and never published, so it is gone."
    if row.content is None:
        return f"Discarded the deletion of {name}: it stays in the course."
    return f"Discarded your changes to {name}: it is as published again."


@bp.post("/<folder>/draft/discard")
def discard_draft(folder: str):
    """Throw away the draft of one file (both names of a moved one): the published file
    stays as it is."""
    live = open_live(folder)
    form = DiscardForm()
    if form.validate_on_submit():
        rows = store.draft_rows(live.name)
        paths = moves.with_moves(live, rows, {form.path.data or ""})
        said = _discarded_message(live, rows, paths)
        try:
            done = discarding.discard(live, paths, author=current_person())
        except discarding.DiscardRefused as refused:
            db.session.rollback()
            return _draft_page(
                live, PublishForm(formdata=None), 409, refused_discard=refused.problems
            )
        if done.paths:
            audit.record(
                "course.draft_discarded",
                actor=current_person(),
                target=("course", course_id_of(live)),
                details={"folder": live.name, "paths": done.paths, "relinked": done.relinked},
            )
            db.session.commit()
            flash(said + _relinked_message(live, done.relinked), "success")
        else:
            flash("That file has no draft any more.", "info")
    return redirect(url_for("authoring.draft", folder=folder))


def _relinked_message(live: CourseFolder, relinked: list[str]) -> str:
    """Return the sentence on the drafted files whose links followed a discarded move back."""
    if not relinked:
        return ""
    read = reader(live, store.draft_rows(live.name))
    names = list(dict.fromkeys(named(path, read) for path in relinked))
    which = listed(names)
    which = which[:1].upper() + which[1:]
    if len(names) == 1:
        return f" {which} keeps your other changes; its links follow the files back."
    return f" {which} keep your other changes; their links follow the files back."


@bp.post("/<folder>/draft/preview")
def preview_draft(folder: str):
    """See the whole course as its draft makes it, as one audience will see it."""
    live = open_live(folder)
    form = DraftPreviewForm()
    if not form.validate_on_submit():
        return _draft_page(live, PublishForm(formdata=None), 400, preview_form=form)
    course = preview.draft_course(live)
    if course is None:
        flash("The draft does not load: fix its errors first (publishing lists them).", "error")
        return redirect(url_for("authoring.draft", folder=folder))
    session[PREVIEW_AUDIENCE_KEY] = form.audience.data
    preview.start_draft_preview(session, live.name, course.title)
    flash(
        f"You are previewing the draft of “{course.title}” as "
        f"{AUDIENCE_NAMES[form.audience.data]} will see it once it is published."
    )
    return redirect(url_for("courses.course", course_id=course.id))


@bp.before_app_request
def _serve_previewed_draft() -> Response | None:
    # Learner pages of an admin previewing a draft are drawn from the draft course.
    name = session.get(preview.PREVIEW_DRAFT_KEY)
    if not name or request.endpoint in (None, "static") or not current_user.is_authenticated:
        return None
    if not current_user.is_admin or (request.endpoint or "").startswith("authoring."):
        return None
    try:
        live = files.open_course(files.courses_root(), name)
    except PathRefused:
        preview.end_draft_preview(session)
        return None
    if request.endpoint == "courses.media":
        return _draft_media(live)  # a picture only the draft has; else the published one
    course = preview.draft_course(live)
    if course is not None:
        get_catalogue().show_for_request(course)
    return None


def _draft_media(live: CourseFolder) -> Response | None:
    """Return a media file of the previewed draft as the draft holds it (a picture uploaded
    or replaced since the last publish), or None to let the published one be served."""
    args = request.view_args or {}
    filename = str(args.get("filename", ""))
    suffix = "." + filename.rpartition(".")[2].lower()
    if args.get("course_id") != course_id_of(live) or suffix not in MEDIA_TYPES:
        return None
    rows = store.draft_rows(live.name, {f"{MEDIA_DIR}/{filename}"})
    if not rows or rows[0].content is None:
        return None
    return unpublished_media(rows[0].content, suffix)


@bp.post("/<folder>/draft/schedule")
def schedule_draft(folder: str):
    """Publish the whole draft at a chosen day and time (UK time), by the cron command."""
    live = open_live(folder)
    form = ScheduleForm(prefix="schedule")
    if not form.validate_on_submit():
        return _draft_page(live, PublishForm(formdata=None), 400, schedule_form=form)
    zone = zoneinfo.ZoneInfo(current_app.config.get("TIMEZONE", "Europe/London"))
    assert form.day.data is not None and form.time.data is not None
    due = dt.datetime.combine(form.day.data, form.time.data, tzinfo=zone)
    try:
        schedule.schedule(live, due.astimezone(dt.UTC), form.note.data or "", current_person())
    except schedule.ScheduleRefused as refused:
        form.day.errors = [sentence(refused)]
        return _draft_page(live, PublishForm(formdata=None), 400, schedule_form=form)
    db.session.commit()
    flash(
        f"The draft will be published on {due:%-d %B %Y at %H:%M} (UK time). "
        "Changes saved before then are published too.",
        "success",
    )
    return redirect(url_for("authoring.draft", folder=folder))


@bp.post("/<folder>/draft/schedule/<int:schedule_id>/cancel")
def cancel_schedule(folder: str, schedule_id: int):
    """Cancel a scheduled publish that has not run yet."""
    live = open_live(folder)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if schedule.cancel(live.name, schedule_id, current_person()):
        db.session.commit()
        flash("The scheduled publish is cancelled: the draft stays as it is.", "success")
    else:
        flash("That scheduled publish has already run or been cancelled.", "info")
    return redirect(url_for("authoring.draft", folder=folder))


@bp.post("/<folder>/draft/approve")
def approve_draft(folder: str):
    """Approve the course's draft as it is now (review setting; never one's own changes)."""
    live = open_live(folder)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        review.approve(live.name, current_person())
    except review.ApprovalRefused as refused:
        flash(sentence(refused) + ".", "error")
        return redirect(url_for("authoring.draft", folder=folder))
    db.session.commit()
    flash("You approved the draft: any admin can now publish it.", "success")
    return redirect(url_for("authoring.draft", folder=folder))


@bp.post("/<folder>/draft/review")
def set_review(folder: str):
    """Turn on or off the need for a second admin's approval before publishing."""
    live = open_live(folder)
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    review.set_needs_review(live.name, bool(form.needs_review.data), current_person())
    db.session.commit()
    flash(
        "Publishing now needs a second admin's approval."
        if form.needs_review.data
        else "Publishing no longer needs a second admin's approval.",
        "success",
    )
    return redirect(url_for("authoring.draft", folder=folder))
