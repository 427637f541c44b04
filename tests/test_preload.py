"""The master process loads the courses and compiles the templates before workers fork."""

from __future__ import annotations

import gc

import pytest

from induction.catalogue import get_catalogue
from induction.preload import freeze, warm


@pytest.fixture
def app(app_factory, tree):
    return app_factory(COURSES_DIR=str(tree))


def test_warm_loads_the_courses_and_compiles_every_page_template(app, login_as):
    assert warm(app) >= 50
    cached = {key[1] for key in app.jinja_env.cache}  # (loader, name) pairs
    assert {"base.html", "courses/lesson.html", "progress/my_learning.html"} <= cached
    with app.app_context():
        renderer = get_catalogue().renderer
    assert renderer is not None
    rendered = renderer.conversions
    assert rendered > 0
    client = login_as()
    assert client.get("/courses/basics/lessons/welcome").status_code == 200
    assert client.get("/").status_code == 200
    assert renderer.conversions == rendered  # nothing rendered again for the first pages


def test_freeze_puts_what_was_loaded_out_of_the_collectors_reach(app):
    warm(app)
    with app.app_context():
        courses = get_catalogue().library()
    assert gc.is_tracked(courses)
    try:
        frozen = freeze()
        assert frozen > 1000
        # A frozen object is in no generation a collection walks.
        assert all(obj is not courses for obj in gc.get_objects())
        later = [courses]  # made after the freeze: collected as usual
        assert any(obj is later for obj in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(obj is courses for obj in gc.get_objects())
