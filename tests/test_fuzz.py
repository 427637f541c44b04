"""Fuzzing: arbitrary text at the course parsers and the renderer, arbitrary values at every
form field, query parameter and path argument of the pages each role uses.

Never a 500 (or 503), never a render over its budget. The pages are found in the app itself:
every rule of `url_map`, and for each one the WTForms classes its view builds (read from the
view's code) plus the fields of every form class; the course, module, lesson and question ids
come from the fixture courses.

Values at the edges (NUL and other control characters, ids and page numbers past the
database's integers, far-future dates) are thrown in the `edge` cases, and each edge once
probed answered 500 has a request of its own.

Bounded for CI: each test fixes its `max_examples`. The whole file takes about 16 s of
processor time: 17 s on SQLite and 20 s on PostgreSQL on a quiet two-core machine, up to
about 2.5 minutes when other work shares the cores (`python -m pytest tests/test_fuzz.py`).
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from wtforms import fields as wtf
from wtforms.fields.core import UnboundField

from induction.content import Renderer, load_library
from induction.content.document import parse_source
from induction.content.source import DecodeError, decode

KINDS = ("course", "module", "lesson", "quiz")
RENDER_BUDGET_SECONDS = 2.0  # processor time for one file; ordinary lessons take milliseconds
ROLES = ("learner", "manager", "admin")
QUERY_READ = re.compile(r"request\.args\.get\(\s*[\"'](\w+)[\"']")
SKIPPED_ENDPOINTS = {"static", "accounts.logout"}  # signing out ends the run's session

# --- values -----------------------------------------------------------------------------

plain_text = st.text(
    st.characters(blacklist_categories=("Cc", "Cs")), max_size=120
)  # everything but control characters (NUL, ...) and lone surrogates
any_text = st.text(max_size=120)  # control characters included
small_numbers = st.integers(-5, 2**31 - 1)
huge_numbers = st.integers(2**31, 10**30)
dates = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
far_dates = st.dates(dt.date(2101, 1, 1), dt.date(9999, 12, 31))


@dataclass(frozen=True)
class Values:
    """The strategies for one kind of fuzzing: the everyday one or the known edges."""

    text: st.SearchStrategy[str]
    number: st.SearchStrategy[int]
    date: st.SearchStrategy[dt.date]

    def scalar(self) -> st.SearchStrategy[str]:
        return st.one_of(
            self.text,
            self.number.map(str),
            self.date.map(dt.date.isoformat),
            st.sampled_from(["", "y", "on", "0", "1", "-1", "learner", "manager", "admin"]),
        )

    def field(self, field_class: type) -> st.SearchStrategy[str]:
        if issubclass(field_class, wtf.DateField):
            return st.one_of(self.date.map(dt.date.isoformat), self.scalar())
        if issubclass(field_class, wtf.IntegerField):
            return st.one_of(self.number.map(str), self.scalar())
        if issubclass(field_class, wtf.BooleanField):
            return st.sampled_from(["y", "", "n"])
        return self.scalar()


EVERYDAY = Values(plain_text, small_numbers, dates)
EDGES = Values(any_text, st.one_of(small_numbers, huge_numbers), st.one_of(dates, far_dates))

# --- the parsers and the renderer ---------------------------------------------------------

# Shapes that make Markdown parsers slow, each repeated many times.
PATHOLOGICAL = ["*", "_", "`", "<", "|a", "\\", "#", "~", "](", ")", "a\n", "**a", "<b>"]
# Shapes that once stalled or crashed rendering: runs of [ are quadratic in Python-Markdown's
# link parsing; lists nested hundreds deep exhaust Python's recursion limit.
KNOWN_SHAPES = {"brackets": "[" * 4000, "images": "![" * 3000, "nested-lists": "- 1. " * 500}


def timed_render(renderer: Renderer, text: str) -> float:
    """Return the processor time rendering `text` took (not wall time: the machine may be busy).

    A short text is rendered first, so that Python-Markdown's first-use set-up is not counted.
    """
    renderer.render("*warm-up*")
    start = time.thread_time()
    renderer.render(text)
    return time.thread_time() - start


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=3000), kind=st.sampled_from(KINDS))
def test_any_text_parses_and_renders_within_budget(text: str, kind: str) -> None:
    for raw in (text.encode("utf-8"), text.encode("utf-8", "surrogatepass")[:2000]):
        try:
            source = decode(raw)
        except DecodeError:
            continue
        document = parse_source(source, kind, f"course/{kind}.md")
        assert document.kind == kind
    assert timed_render(Renderer(), text) < RENDER_BUDGET_SECONDS


@settings(max_examples=40, deadline=None)
@given(
    shape=st.lists(st.sampled_from(PATHOLOGICAL), min_size=1, max_size=3).map("".join),
    times=st.integers(1, 3000),
    around=st.sampled_from(["", "text ", "\n", "[a](b) "]),
)
def test_pathological_shapes_render_within_budget(shape: str, times: int, around: str) -> None:
    text = around + shape * times + around
    assert timed_render(Renderer(), text) < RENDER_BUDGET_SECONDS
    parse_source(decode(text.encode()), "lesson", "course/01-m/01-a.md")


@pytest.mark.parametrize("shape", KNOWN_SHAPES)
def test_known_pathological_shapes_render_within_budget(shape: str) -> None:
    assert timed_render(Renderer(), KNOWN_SHAPES[shape]) < RENDER_BUDGET_SECONDS


# --- the pages ----------------------------------------------------------------------------


def form_classes() -> list[type[FlaskForm]]:
    """Return every form class of the app (all subclasses of FlaskForm, once imported)."""
    found, todo = [], [FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("induction."):
                found.append(sub)
            todo.append(sub)
    return sorted(set(found), key=lambda c: c.__qualname__)


def fields_of(form_class: type[FlaskForm]) -> dict[str, type]:
    """Return the field names and field classes a form class declares."""
    return {
        name: value.field_class
        for name, value in inspect.getmembers(form_class)
        if isinstance(value, UnboundField)
    }


@dataclass(frozen=True)
class Route:
    """One rule of the app with the fields its view's forms declare."""

    method: str
    rule: str
    arguments: tuple[tuple[str, str], ...]  # name, converter
    fields: tuple[tuple[str, type], ...]


def routes(app: Flask) -> list[Route]:
    """Return every GET and POST route of the app with its forms' fields."""
    classes = {cls.__name__: cls for cls in form_classes()}
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        view = inspect.unwrap(app.view_functions[rule.endpoint])
        used = set(view.__code__.co_names) & classes.keys()
        fields = {
            name: kind for used_name in used for name, kind in fields_of(classes[used_name]).items()
        }
        # Query parameters a view reads itself, such as `page` and `next`.
        source = inspect.getsource(view)
        fields.update({name: wtf.StringField for name in QUERY_READ.findall(source)})
        arguments = tuple(
            (name, type(rule._converters[name]).__name__) for name in sorted(rule.arguments)
        )
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            found.append(Route(method, rule.rule, arguments, tuple(sorted(fields.items()))))
    return sorted(found, key=lambda r: (r.rule, r.method))


@dataclass
class Site:
    """A fuzzing target: an app on its own copy of the courses, signed-in clients, known ids."""

    app: Flask
    clients: dict[str, object]
    known: dict[str, list[str]]
    routes: list[Route]
    field_pool: dict[str, type]


@pytest.fixture
def app(app_factory, tree: Path) -> Flask:
    """The app on a private copy of the fixture courses: the admin's forms publish and edit."""
    return app_factory(COURSES_DIR=str(tree))


@pytest.fixture
def site(app: Flask, tree: Path, make_org, make_user, login_as) -> Site:
    org = make_org("Fuzz Council")
    learner = make_user(role="learner", organisation=org)
    manager = make_user(role="manager", organisation=org)
    admin = make_user(role="admin")
    library = load_library(tree)
    known: dict[str, list[str]] = {
        "course_id": [c.id for c in library.courses],
        "module_id": [m.id for c in library.courses for m in c.modules],
        "lesson_id": [les.id for c in library.courses for m in c.modules for les in m.lessons],
        "folder": [p.name for p in tree.iterdir() if p.is_dir()],
        "path": ["01-first-steps/01-welcome.md", "01-first-steps/quiz.md", "course.md"],
        "filename": ["diagram.svg"],
        "person_id": [str(learner.id), str(manager.id), str(admin.id)],
        "org_id": [str(org.id)],
        "attempt_id": ["1"],
        "invitation_id": ["1"],
    }
    known["module"] = known["module_id"]
    questions = [
        f"q-{q.id}" for c in library.courses for m in c.modules if m.quiz for q in m.quiz.questions
    ]
    pool = {name: kind for cls in form_classes() for name, kind in fields_of(cls).items()}
    extra = [*questions, "page", "next", "q", "sort", "course"]
    pool.update({name: wtf.StringField for name in extra})
    clients = {
        "learner": login_as(learner),
        "manager": login_as(manager),
        "admin": login_as(admin),
    }
    return Site(app, clients, known, routes(app), pool)


def fill_path(route: Route, site: Site, values: Values, data: st.DataObject) -> str:
    url = route.rule
    for name, converter in route.arguments:
        if converter == "IntegerConverter":
            fuzzed = values.number.filter(lambda n: n >= 0).map(str)
        else:
            fuzzed = values.text.filter(lambda s: s not in ("", ".", ".."))
        choices = site.known.get(name, [])
        # Mostly ids that exist, so the request reaches the view's own code.
        strategy = st.one_of(st.sampled_from(choices), fuzzed) if choices else fuzzed
        if choices and data.draw(st.integers(0, 3), label="known id") > 0:
            strategy = st.sampled_from(choices)
        value = data.draw(strategy, label=name)
        encoded = value if converter == "PathConverter" and "/" in value else quote(value, safe="")
        for pattern in (f"<{name}>", f"<int:{name}>", f"<path:{name}>"):
            url = url.replace(pattern, encoded)
    return url


def fuzz_requests(site: Site, role: str, values: Values, data: st.DataObject) -> None:
    client = site.clients[role]
    for _ in range(data.draw(st.integers(1, 3), label="requests")):
        route = data.draw(st.sampled_from(site.routes), label="route")
        url = fill_path(route, site, values, data)
        fields = dict(route.fields)
        extra = data.draw(
            st.lists(st.sampled_from(sorted(site.field_pool)), max_size=3), label="extra fields"
        )
        fields.update({name: site.field_pool[name] for name in extra})
        names = data.draw(
            st.lists(st.sampled_from(sorted(fields)), unique=True) if fields else st.just([]),
            label="fields sent",
        )
        params = {name: data.draw(values.field(fields[name]), label=name) for name in names}
        if route.method == "GET":
            response = client.get(url, query_string=params)
        else:
            response = client.post(url, data=params)
        response.close()
        assert response.status_code < 500, (route.method, url, params, response.status_code)


@pytest.mark.parametrize("role", ROLES)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_page_and_form_survives_arbitrary_values(site: Site, role: str, data) -> None:
    fuzz_requests(site, role, EVERYDAY, data)


@pytest.mark.parametrize("role", ROLES)
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=(Phase.explicit, Phase.generate),  # no shrinking: bounded time in CI
)
@given(data=st.data())
def test_edge_values_never_answer_500(site: Site, role: str, data) -> None:
    fuzz_requests(site, role, EDGES, data)


# The edges found by a probe, one request each.
ATTEMPTS = "/courses/basics/modules/first-steps/quiz/attempts"
KNOWN_EDGE_REQUESTS = {
    "page-past-integers": ("admin", "GET", "/reports/organisations/{org}?page=" + "9" * 20),
    "person-id-2-31": ("admin", "GET", "/reports/people/2147483648"),
    "attempt-id-2-31": ("learner", "GET", f"{ATTEMPTS}/2147483648"),
    "nul-in-search": ("admin", "GET", "/admin/people?q=a%00b"),
    "nul-in-name": ("learner", "POST", "/account"),
}


@pytest.mark.parametrize("case", KNOWN_EDGE_REQUESTS)
def test_known_edge_requests_never_answer_500(site: Site, case: str) -> None:
    role, method, url = KNOWN_EDGE_REQUESTS[case]
    url = url.format(org=site.known["org_id"][0])
    client = site.clients[role]
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"name": "A\x00B", "email": "a\x00@example.org"})
    response.close()
    assert response.status_code < 500


def test_the_fuzzing_reaches_every_route_and_form_of_the_app(site: Site) -> None:
    endpoints = {rule.rule for rule in site.app.url_map.iter_rules()} - {"/static/<path:filename>"}
    assert {route.rule for route in site.routes} >= endpoints - {"/logout"}
    with_forms = [route for route in site.routes if route.fields]
    assert len(with_forms) >= 20, [r.rule for r in with_forms]
    assert {"email", "name", "start_date", "password"} <= set(site.field_pool)
