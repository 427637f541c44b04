"""THE list of pages and states the browser suite walks: axe-core, layout, screenshots.

Each line is one page in one state, seen by one role. Adding a page (or a state of
one) to the suite is adding a line here: the axe walk and the layout checks pick it
up. A path may refer to the seed data in braces ("{certificate}", "{attempt_failed}":
see tests/browser/seed.py). `submit` presses that button first (after typing `fill`
into the labelled fields and choosing the `upload` file), which is how a state with
form errors or a result is reached.
"""

from __future__ import annotations

from dataclasses import dataclass

# Roles: who is signed in. "two-factor" is half-way through signing in (password given).
ANONYMOUS = "anonymous"
TWO_FACTOR = "two-factor"
LEARNER = "learner"  # has finished one course and is part-way through another
NEWCOMER = "newcomer"  # a councillor who has not started anything
MANAGER = "manager"
ADMIN = "admin"
PREVIEWING = "previewing"  # an admin seeing the courses as councillors see them

# Who each role is (keys of the seed's people); None: nobody signed in.
ROLE_PEOPLE: dict[str, str | None] = {
    ANONYMOUS: None,
    TWO_FACTOR: "walk-admin",
    LEARNER: "walk-learner",
    NEWCOMER: "walk-newcomer",
    MANAGER: "walk-manager",
    ADMIN: "walk-admin",
    PREVIEWING: "walk-author",
}

# A CSV of people to invite: one line ready, one already invited, two with problems.
PEOPLE_CSV = (
    "email,name,audience,start_date\n"
    "new.councillor@example.org,New Councillor,councillor,06/05/2027\n"
    "invitee@example.org,Ivy Invitee,officer,\n"
    "not-an-address,Someone,officer,\n"
    "other@example.org,Other Person,nobody,\n"
)

# People whose start date is long past: overdue in their courses as soon as they join.
PEOPLE_CSV_LATE = (
    "email,name,audience,start_date\n"
    "late.councillor@example.org,Late Councillor,councillor,1 May 2025\n"
    "new.officer@example.org,New Officer,officer,\n"
)

# A member list: one organisation changed, one new, one unchanged, and two with problems.
MEMBERS_CSV = (
    "name,category\n"
    "Browser Borough Council,associate_town_parish_community\n"
    "Newly Joined Council,full_member\n"
    "Friends of Co-operation,affiliate\n"
    "Odd Council,premium\n"
    ",full_member\n"
)
# The same without its problems: ready to import.
MEMBERS_CSV_READY = "\n".join(MEMBERS_CSV.splitlines()[:4]) + "\n"

# A lesson that would break its course: the editor must refuse to save it.
BROKEN_LESSON = "---\ntitle:\nversion: zero\n---\n\nNo title.\n"

GS = "/courses/getting-started"
GS_QUIZ = f"{GS}/modules/finding-your-way/quiz"
CCIN = "/courses/ccin-induction"
AUTHOR = "/admin/courses/02-getting-started"
LESSON_FILE = "01-finding-your-way/02-reading-a-lesson.md"


@dataclass(frozen=True)
class State:
    """A page in one state, as one role sees it."""

    name: str
    role: str
    path: str
    submit: str | None = None  # the button to press before checking
    fill: tuple[tuple[str, str], ...] = ()  # (field label, text) typed before pressing it
    upload: tuple[str, str] | None = None  # (file field label, file text) chosen before it
    check: tuple[str, ...] = ()  # labels of checkboxes or radio buttons ticked before it
    status: int = 200  # the HTTP status the page must answer with
    errors: bool = False  # the page shows the error summary (and "Error:" in its title)


# What a role does once, after signing in, before its pages are walked.
ROLE_START: dict[str, State] = {
    PREVIEWING: State(
        "start-preview",
        PREVIEWING,
        "/admin/courses/",
        submit="Start the preview",
        check=("Councillors",),
    ),
}


def attempt(path: str, key: str, suffix: str = "") -> str:
    """Return the path of a seeded quiz attempt (by its key in the seed values)."""
    return f"{path}/attempts/{{{key}}}{suffix}"


STATES: tuple[State, ...] = (
    # Anyone
    State("front-page", ANONYMOUS, "/"),
    State("sign-in", ANONYMOUS, "/login"),
    State("unsubscribe", ANONYMOUS, "/unsubscribe/{unsubscribe}"),
    State("sign-in-errors", ANONYMOUS, "/login", submit="Sign in", errors=True),
    State(
        "sign-in-wrong-password",
        ANONYMOUS,
        "/login",
        submit="Sign in",
        fill=(("Email address", "walk-learner@example.org"), ("Password", "not my password")),
        errors=True,
    ),
    State("two-factor-code", TWO_FACTOR, "/login/two-factor"),
    State(
        "two-factor-code-errors", TWO_FACTOR, "/login/two-factor", submit="Continue", errors=True
    ),
    State("reset-request", ANONYMOUS, "/reset"),
    State("reset-request-errors", ANONYMOUS, "/reset", submit="Send the link", errors=True),
    State(
        "reset-sent",
        ANONYMOUS,
        "/reset",
        submit="Send the link",
        fill=(("Email address", "nobody@example.org"),),
    ),
    State("reset-password", ANONYMOUS, "/reset/{reset_token}"),
    State(
        "reset-password-errors",
        ANONYMOUS,
        "/reset/{reset_token}",
        submit="Save the new password",
        errors=True,
    ),
    State("reset-link-gone", ANONYMOUS, "/reset/no-such-link", status=404),
    State("register", ANONYMOUS, "/register"),
    State("register-errors", ANONYMOUS, "/register", submit="Continue", errors=True),
    State(
        "register-sent",
        ANONYMOUS,
        "/register",
        submit="Continue",
        fill=(("Join code", "NOTACODE99"), ("Email address", "someone@example.org")),
    ),
    State("register-finish", ANONYMOUS, "/register/{register_token}"),
    State(
        "register-finish-errors",
        ANONYMOUS,
        "/register/{register_token}",
        submit="Create account",
        errors=True,
    ),
    State("invitation", ANONYMOUS, "/invitations/{invitation_token}"),
    State(
        "invitation-errors",
        ANONYMOUS,
        "/invitations/{invitation_token}",
        submit="Create account",
        errors=True,
    ),
    State("invitation-gone", ANONYMOUS, "/invitations/no-such-link", status=404),
    State("setup-link-gone", ANONYMOUS, "/setup/no-such-link", status=404),
    State("verify", ANONYMOUS, "/verify"),
    State("verify-errors", ANONYMOUS, "/verify?code=nope", status=400, errors=True),
    State("verify-valid", ANONYMOUS, "/verify/{certificate}"),
    State("verify-invalid", ANONYMOUS, "/verify/AAAA-BBBB-CCCC-DDDD", status=404),
    State("accessibility-statement", ANONYMOUS, "/accessibility"),
    State("not-found", ANONYMOUS, "/no-such-page", status=404),
    # Learners
    State("my-learning", LEARNER, "/"),
    State("my-learning-empty", NEWCOMER, "/"),
    State("courses", LEARNER, "/courses/"),
    State("course-complete", LEARNER, f"{GS}/"),
    State("course-in-progress", LEARNER, f"{CCIN}/"),
    State("course-not-started", NEWCOMER, f"{CCIN}/"),
    State("module-complete", LEARNER, f"{GS}/modules/finding-your-way"),
    State("module-in-progress", LEARNER, f"{CCIN}/modules/{{module_1}}"),
    State("lesson-done", LEARNER, f"{CCIN}/lessons/{{ccin_lesson}}"),
    State("lesson-to-do", LEARNER, f"{CCIN}/lessons/{{ccin_lesson_todo}}"),
    State("lesson-with-diagram", LEARNER, f"{CCIN}/lessons/governance"),
    State("lesson-picture-viewer", LEARNER, f"{CCIN}/lessons/governance/pictures/governance.svg"),
    State("lesson-with-chart", NEWCOMER, f"{CCIN}/lessons/the-networks-reach"),
    State("lesson-acknowledgement", NEWCOMER, f"{GS}/lessons/reading-a-lesson"),
    State(
        "lesson-acknowledgement-errors",
        NEWCOMER,
        f"{GS}/lessons/reading-a-lesson",
        submit="Mark as complete and continue",
        status=400,
        errors=True,
    ),
    State("quiz-start", NEWCOMER, GS_QUIZ),
    State("quiz-start-with-attempts", LEARNER, GS_QUIZ),
    State(
        "quiz-ccin-in-progress",
        LEARNER,
        attempt(f"{CCIN}/modules/{{module_2}}/quiz", "attempt_open"),
    ),
    State(
        "quiz-answers-kept",
        LEARNER,
        attempt(f"{CCIN}/modules/{{module_3}}/quiz", "attempt_expired"),
    ),
    State(
        "quiz-check-answers",
        LEARNER,
        attempt(f"{CCIN}/modules/{{module_1}}/quiz", "attempt_checked", "/check"),
    ),
    State(
        "quiz-try-again-marked",
        LEARNER,
        attempt(f"{CCIN}/modules/{{module_4}}/quiz", "attempt_retried"),
    ),
    State("quiz-result-failed", LEARNER, attempt(GS_QUIZ, "attempt_failed")),
    State("quiz-result-passed", LEARNER, attempt(GS_QUIZ, "attempt_passed")),
    State("my-record", LEARNER, "/my/record"),
    State("help", LEARNER, "/help"),
    State("my-record-empty", NEWCOMER, "/my/record"),
    State("account", LEARNER, "/account"),
    State("account-manager", MANAGER, "/account"),
    State(
        "account-errors",
        LEARNER,
        "/account",
        submit="Save your name",
        fill=(("Full name", ""),),
        errors=True,
    ),
    State("password-change", LEARNER, "/account/password"),
    State(
        "password-change-errors",
        LEARNER,
        "/account/password",
        submit="Change password",
        errors=True,
    ),
    State("email-change", LEARNER, "/account/email"),
    State("email-change-errors", LEARNER, "/account/email", submit="Send the link", errors=True),
    State("two-factor-set-up", NEWCOMER, "/account/two-factor"),
    State("forbidden", LEARNER, "/admin/", status=403),
    State("not-found-signed-in", LEARNER, "/courses/no-such-course/", status=404),
    # Managers (their own organisation)
    State("people-own-organisation", MANAGER, "/admin/people"),
    State("person-manager", MANAGER, "/admin/people/{person_id}"),
    State("person-edit-manager", MANAGER, "/admin/people/{person_id}/edit"),
    State("person-deactivate-manager", MANAGER, "/admin/people/{person_id}/deactivate"),
    State("invite-manager", MANAGER, "/admin/people/invite"),
    State(
        "invite-manager-errors",
        MANAGER,
        "/admin/people/invite",
        submit="Send the invitation",
        errors=True,
    ),
    State(
        "invite-manager-overdue",
        MANAGER,
        "/admin/people/invite",
        submit="Send the invitation",
        fill=(("Email address", "late@example.org"), ("Start date (optional)", "1 May 2025")),
        check=("Councillor",),
    ),
    State("dashboard", MANAGER, "/reports/organisations/{org_id}"),
    State("dashboard-ccin", MANAGER, "/reports/organisations/{org_id}?course=ccin-induction"),
    State("dashboard-filtered", MANAGER, "/reports/organisations/{org_id}?status=complete"),
    State("dashboard-no-match", MANAGER, "/reports/organisations/{org_id}?q=zzzz"),
    State(
        "dashboard-filter-errors", MANAGER, "/reports/organisations/{org_id}?status=x", errors=True
    ),
    State("dashboard-sorted", MANAGER, "/reports/organisations/{org_id}?sort=-progress"),
    State("dashboard-invited", MANAGER, "/reports/organisations/{org_id}?status=invited"),
    # Someone's invitation link has expired: the dashboard sends new ones to everyone whose
    # has ("Send new invitations...", POST /reminders/organisations/<id>/invitations/renew-expired).
    State(
        "dashboard-expired-links",
        MANAGER,
        "/reports/organisations/{org_id}?audience=councillor",
    ),
    State("dashboard-overdue", MANAGER, "/reports/organisations/{org_id}?overdue=yes"),
    # The list is exactly a reminder group: "Remind everyone in this list" beside it.
    State("dashboard-not-finished", MANAGER, "/reports/organisations/{org_id}?status=not_finished"),
    State(
        "remind-not-finished",
        MANAGER,
        "/reminders/organisations/{org_id}?course=getting-started&group=not_finished",
    ),
    State("committee", MANAGER, "/reports/organisations/{org_id}/committee"),
    State(
        "remind-chosen",
        MANAGER,
        "/reminders/organisations/{org_id}?course=getting-started&person={person_id}",
    ),
    State(
        "remind-preview",
        MANAGER,
        "/reminders/organisations/{org_id}?course=getting-started&group=not_started",
        submit="Update the preview",
        fill=(("Your own message (optional)", "Please ask me if you need help."),),
    ),
    State(
        "remind-councillors",
        MANAGER,
        "/reminders/organisations/{org_id}?course=getting-started&group=not_started"
        "&audience=councillor",
    ),
    State(
        "remind-errors",
        MANAGER,
        "/reminders/organisations/{org_id}?course=getting-started&group=not_started",
        submit="Update the preview",
        fill=(("Your own message (optional)", "A bell \x07 is no text."),),
        errors=True,
    ),
    State(
        "remind-no-one",
        MANAGER,
        "/reminders/organisations/{org_id}?course=getting-started&group=overdue",
    ),
    State("report-person", MANAGER, "/reports/people/{learner_id}"),
    State("council-notes-none", MANAGER, "/organisations/{org_id}/notes"),
    State("report-person-print", MANAGER, "/reports/people/{learner_id}?print=1"),
    State("report-by-intake", MANAGER, "/reports/organisations/{org_id}?intake={intake_id}"),
    State("intakes", MANAGER, "/intakes/organisations/{org_id}"),
    State(
        "intakes-errors",
        MANAGER,
        "/intakes/organisations/{org_id}",
        submit="Add the intake",
        errors=True,
    ),
    State("intake-edit", MANAGER, "/intakes/{intake_id}/edit"),
    State("intake-person", MANAGER, "/intakes/people/{person_id}"),
    State("intake-move", MANAGER, "/intakes/organisations/{org_id}/move?source={intake_id}"),
    State(
        "intake-move-errors",
        MANAGER,
        "/intakes/organisations/{org_id}/move?source={intake_id}",
        submit="See who will move",
        errors=True,
    ),
    State(
        "intake-move-preview",
        MANAGER,
        "/intakes/organisations/{org_id}/move?source={intake_id}",
        submit="See who will move",
        check=("Cal Colleague",),
    ),
    State("import-invitations", MANAGER, "/reports/invitations/import"),
    State(
        "import-invitations-errors",
        MANAGER,
        "/reports/invitations/import",
        submit="Check the file",
        errors=True,
    ),
    State(
        "import-invitations-preview",
        MANAGER,
        "/reports/invitations/import",
        submit="Check the file",
        upload=("CSV file", PEOPLE_CSV),
    ),
    State(
        "import-invitations-preview-overdue",
        MANAGER,
        "/reports/invitations/import",
        submit="Check the file",
        upload=("CSV file", PEOPLE_CSV_LATE),
    ),
    # Admins
    State("admin-home", ADMIN, "/admin/"),
    State("people", ADMIN, "/admin/people"),
    State("people-search", ADMIN, "/admin/people?q=lee"),
    State("people-search-no-match", ADMIN, "/admin/people?q=zzzz"),
    State("person", ADMIN, "/admin/people/{person_id}"),
    State("person-edit", ADMIN, "/admin/people/{person_id}/edit"),
    State("person-erase", ADMIN, "/admin/people/{erase_id}/data/erase"),
    State(
        "person-erase-errors",
        ADMIN,
        "/admin/people/{erase_id}/data/erase",
        submit="Erase Eri Erase",
        errors=True,
    ),
    State(
        "person-edit-errors",
        ADMIN,
        "/admin/people/{person_id}/edit",
        submit="Save",
        fill=(("Full name", ""),),
        errors=True,
    ),
    State("invite", ADMIN, "/admin/people/invite"),
    State(
        "invite-errors", ADMIN, "/admin/people/invite", submit="Send the invitation", errors=True
    ),
    State("organisations", ADMIN, "/admin/organisations"),
    State("organisation", ADMIN, "/admin/organisations/{org_id}"),
    State(
        "organisation-errors",
        ADMIN,
        "/admin/organisations/{org_id}",
        submit="Save details",
        fill=(("Name", ""),),
        errors=True,
    ),
    State("organisation-retired", ADMIN, "/admin/organisations/{retired_org_id}"),
    State(
        "organisation-lead-errors",
        ADMIN,
        "/admin/organisations/{org_id}",
        submit="Make lead officer",
        errors=True,
    ),
    State("member-list", ADMIN, "/admin/organisations/import"),
    State(
        "member-list-errors",
        ADMIN,
        "/admin/organisations/import",
        submit="Check the file",
        errors=True,
    ),
    State(
        "member-list-problems",
        ADMIN,
        "/admin/organisations/import",
        submit="Check the file",
        upload=("CSV file", MEMBERS_CSV),
    ),
    State(
        "member-list-preview",
        ADMIN,
        "/admin/organisations/import",
        submit="Check the file",
        upload=("CSV file", MEMBERS_CSV_READY),
    ),
    State("organisation-new", ADMIN, "/admin/organisations/new"),
    State("organisation-new-errors", ADMIN, "/admin/organisations/new", submit="Add", errors=True),
    State("audit-log", ADMIN, "/admin/audit"),
    State("audit-log-filtered", ADMIN, "/admin/audit?action=auth.login"),
    State("audit-log-errors", ADMIN, "/admin/audit?date_from=not-a-date", errors=True),
    State("identity", ADMIN, "/admin/identity"),
    State(
        "identity-errors",
        ADMIN,
        "/admin/identity",
        submit="Save the identity",
        fill=(("Brand colour", "#f47738"), ("Footer links (optional)", "Just words")),
        status=400,
        errors=True,
    ),
    State("outbox", ADMIN, "/admin/outbox"),
    State("outbox-message", ADMIN, "/admin/outbox/{outbox_file}"),
    State("two-factor-manage", ADMIN, "/account/two-factor"),
    State("courses-admin", ADMIN, "/courses/"),
    State("network", ADMIN, "/reports/network"),
    State("network-ccin", ADMIN, "/reports/network?course=ccin-induction"),
    State("network-sorted", ADMIN, "/reports/network?sort=rate&category=full_member"),
    State("network-errors", ADMIN, "/reports/network?sort=nonsense", errors=True),
    State("dashboard-admin", ADMIN, "/reports/organisations/{org_id}"),
    State("report-person-admin", ADMIN, "/reports/people/{learner_id}"),
    State("questions", ADMIN, "/reports/questions"),
    State("questions-ccin", ADMIN, "/reports/questions?course=ccin-induction"),
    State("import-invitations-admin", ADMIN, "/reports/invitations/import"),
    State("authoring", ADMIN, "/admin/courses/"),
    State("preview-courses", PREVIEWING, "/courses/"),
    State("preview-lesson", PREVIEWING, f"{CCIN}/lessons/the-commitment-for-councillors"),
    State("authoring-course", ADMIN, f"{AUTHOR}/"),
    State("authoring-module", ADMIN, f"{AUTHOR}/modules/01-finding-your-way/"),
    State(
        "authoring-module-import-errors",
        ADMIN,
        f"{AUTHOR}/modules/01-finding-your-way/",
        submit="Import the quiz",
        status=400,
        errors=True,
    ),
    State("authoring-edit-lesson", ADMIN, f"{AUTHOR}/files/{LESSON_FILE}"),
    State("authoring-edit-preview", ADMIN, f"{AUTHOR}/files/{LESSON_FILE}", submit="Preview"),
    State(
        "authoring-edit-lesson-errors",
        ADMIN,
        f"{AUTHOR}/files/{LESSON_FILE}",
        submit="Save",
        fill=(("Title", ""), ("Minutes to read (optional)", "ten")),
        status=400,
        errors=True,
    ),
    State(
        "authoring-edit-lesson-body-errors",
        ADMIN,
        f"{AUTHOR}/files/{LESSON_FILE}",
        submit="Save",
        fill=(("The lesson's text", "See [nowhere](no-such-lesson.md).\n"),),
        status=400,
        errors=True,
    ),
    State("authoring-edit-as-text", ADMIN, f"{AUTHOR}/files/{LESSON_FILE}?as=text"),
    State(
        "authoring-edit-as-text-picture-errors",
        ADMIN,
        f"{AUTHOR}/files/{LESSON_FILE}?as=text",
        submit="Check and preview",
        upload=("A new picture from your computer (optional)", "not a picture"),
        status=400,
        errors=True,
    ),
    State(
        "authoring-edit-refused",
        ADMIN,
        f"{AUTHOR}/files/{LESSON_FILE}?as=text",
        submit="Save",
        fill=(("Text of the file (Markdown)", BROKEN_LESSON),),
        status=400,
        errors=True,
    ),
    State("authoring-edit-quiz", ADMIN, f"{AUTHOR}/files/01-finding-your-way/quiz.md"),
    State("authoring-quiz-builder", ADMIN, f"{AUTHOR}/modules/01-finding-your-way/quiz-builder"),
    State("authoring-new-lesson", ADMIN, f"{AUTHOR}/modules/01-finding-your-way/new-lesson"),
    State(
        "authoring-new-lesson-errors",
        ADMIN,
        f"{AUTHOR}/modules/01-finding-your-way/new-lesson",
        submit="Create the lesson",
        fill=(("Title", ""),),
        status=400,
        errors=True,
    ),
    State("authoring-new-module", ADMIN, f"{AUTHOR}/new-module"),
    State(
        "authoring-new-module-errors",
        ADMIN,
        f"{AUTHOR}/new-module",
        submit="Add the module",
        status=400,
        errors=True,
    ),
    State("authoring-media", ADMIN, f"{AUTHOR}/media"),
    State(
        "authoring-media-errors",
        ADMIN,
        f"{AUTHOR}/media",
        submit="Upload",
        status=400,
        errors=True,
    ),
    State("authoring-draft", ADMIN, f"{AUTHOR}/draft"),
    State("authoring-history", ADMIN, f"{AUTHOR}/history"),
    State("authoring-history-file-new", ADMIN, f"{AUTHOR}/history/files/{{new_lesson_version}}"),
    State(
        "authoring-restore-removes-lesson",
        ADMIN,
        f"{AUTHOR}/history/files/{{new_lesson_version}}/remove?which=before",
    ),
    # The CCIN course's seeded draft and publish: changes to show, with long lines.
    State("authoring-draft-changes", ADMIN, "/admin/courses/{ccin_folder}/draft"),
    State("authoring-history-changes", ADMIN, "/admin/courses/{ccin_folder}/history"),
    State(
        "authoring-history-file", ADMIN, "/admin/courses/{ccin_folder}/history/files/{history_file}"
    ),
    State("authoring-rename", ADMIN, f"{AUTHOR}/rename/{LESSON_FILE}"),
    State(
        "authoring-delete",
        ADMIN,
        f"{AUTHOR}/delete/02-quizzes-and-certificates/03-following-your-team.md",
    ),
    # Other files link to this lesson: the page says so and offers no Delete button.
    State("authoring-delete-linked", ADMIN, f"{AUTHOR}/delete/{LESSON_FILE}"),
    State("authoring-hide-course", ADMIN, f"{AUTHOR}/unpublish"),
    State("authoring-rename-module", ADMIN, f"{AUTHOR}/rename/01-finding-your-way"),
    State(
        "authoring-rename-errors",
        ADMIN,
        f"{AUTHOR}/rename/{LESSON_FILE}",
        submit="Save the title",
        fill=(("Title", ""),),
        status=400,
        errors=True,
    ),
    State("authoring-delete-media-in-use", ADMIN, f"{AUTHOR}/delete/media/course-structure.svg"),
)
