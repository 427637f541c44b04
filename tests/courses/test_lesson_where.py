"""On a phone, the module's list of lessons comes after the lesson; near the top, a line
says where the lesson is in its module and opens the list (no JavaScript needed)."""

from __future__ import annotations

import re

from tests.quizzes.pages import page, text_of


def where_block(html: str) -> str | None:
    found = re.search(r'<nav class="lesson-where"[^>]*>(.*?)</nav>', html, re.S)
    return found.group(0) if found else None


def test_a_lesson_says_where_it_is_near_the_top_and_lists_the_module(make_user, login_as):
    client = login_as(make_user(audience="councillor"))
    client.post("/courses/basics/lessons/welcome/complete")
    html = page(client.get("/courses/basics/lessons/rules"))
    block = where_block(html)
    assert block, "no line saying where the lesson is"
    # Near the top: straight after the lesson's heading, before its text.
    assert html.index("</h1>") < html.index(block) < html.index('<div class="prose">')
    assert 'aria-label="Lessons in this module"' in block
    assert "<details>" in block and "<summary>" in block  # opens without JavaScript
    summary = re.search(r"<summary>(.*?)</summary>", block, re.S)
    assert summary
    assert re.sub(r"<[^>]+>", "", summary.group(1)) == "Lesson 2 of 2 in this module: see them all"
    links = re.findall(r'<a href="([^"]+)"([^>]*)>([^<]+)</a>', block)
    assert [(href, title) for href, _, title in links] == [
        ("/courses/basics/lessons/welcome", "Welcome"),
        ("/courses/basics/lessons/rules", "The rules"),
        ("/courses/basics/modules/first-steps/quiz", "Quiz: Check your understanding"),
    ]
    assert 'aria-current="page"' in links[1][1]  # the open lesson is marked
    assert "(done)" in text_of(block)  # and the lesson read is marked done


def test_the_count_is_of_the_lessons_for_the_reader(make_user, login_as):
    officer = login_as(make_user(audience="officer"))
    block = where_block(page(officer.get("/courses/basics/lessons/welcome")))
    assert block and "Lesson 1 of 3 in this module" in text_of(block)


def test_a_module_of_one_lesson_has_no_such_line(make_user, login_as):
    client = login_as(make_user(audience="councillor"))
    assert where_block(page(client.get("/courses/basics/lessons/next"))) is None
