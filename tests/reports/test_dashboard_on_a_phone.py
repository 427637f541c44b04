"""The dashboard on a phone: a link near the top straight to the people, the downloads
after the list, and the chart drawn after the list too (the stylesheet shows it there on
a phone, above on a wide screen)."""

from __future__ import annotations

import re

from tests.quizzes.pages import page, text_of
from tests.reports.test_dashboard import dashboard_url


def test_a_link_before_the_headline_and_figures_goes_to_the_people_and_says_how_many(
    world, login_as
):
    html = page(login_as(world.manager).get(dashboard_url(world)))
    jump = re.search(r'<a href="#people">(.*?)</a>', html)
    assert jump is not None
    assert text_of(jump.group(1)) == "Jump to the list of people (5)"
    assert jump.start() < html.index('id="headline"') < html.index('class="figures"')
    assert html.index('class="figures"') < html.index('<div id="people"')


def test_the_link_counts_the_people_the_filters_choose(world, login_as):
    html = page(login_as(world.manager).get(dashboard_url(world, status="not_started")))
    assert "Jump to the list of people (3)" in text_of(html)


def test_the_downloads_come_after_the_people_not_before(world, login_as):
    html = page(login_as(world.manager).get(dashboard_url(world)))
    table_end = html.index("</table>", html.index('id="people-caption"'))
    downloads = html.index('class="button-group downloads"')
    assert table_end < downloads < html.index('id="modules-heading"')
    assert "Download these people as CSV" in html[downloads:]


def test_the_chart_is_drawn_above_for_a_wide_screen_and_after_the_list_for_a_phone(world, login_as):
    html = page(login_as(world.manager).get(dashboard_url(world)))
    top = html.index('class="chart chart--top"')
    below = html.index('class="chart chart--below"')
    assert top < html.index('<div id="people"') < html.index('id="modules-heading"') < below
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "the chart drawn twice keeps every id unique"
