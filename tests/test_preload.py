"""The master process loads the courses and compiles the templates before workers fork."""

from __future__ import annotations

import pytest

from induction.catalogue import get_catalogue
from induction.preload import warm


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
