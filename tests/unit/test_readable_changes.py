"""A file's changes as an author reads them: changed places, line numbers, words marked."""

from __future__ import annotations

from induction.admin.drafts.readable_changes import MAX_ROWS, Piece, Row, compare

LESSON = (
    "---\ntitle: Our meetings\n---\n\n"
    "## When we meet {#when}\n\n"
    "The annual meeting is in May, at the town hall.\n\n"
    "Bring your badge.\n"
)


def shown(row: Row) -> str:
    """The row as text, removed words in [-...-] and added words in {+...+}."""
    marks = {"same": "{}", "removed": "[-{}-]", "added": "{{+{}+}}"}
    return "".join(marks[piece.kind].format(piece.text) for piece in row.pieces)


def test_a_word_changed_inside_a_line_is_marked_in_its_before_and_after() -> None:
    [place] = compare(LESSON, LESSON.replace("in May", "in June")).places
    assert place.line == place.last_line == 7  # of the new text
    edited = [row for row in place.rows if row.kind in ("before", "after")]
    assert [(row.kind, shown(row)) for row in edited] == [
        ("before", "The annual meeting is in [-May-], at the town hall."),
        ("after", "The annual meeting is in {+June+}, at the town hall."),
    ]


def test_several_words_changed_together_are_marked_as_one_run() -> None:
    after = LESSON.replace("at the town hall", "in the council chamber")
    [place] = compare(LESSON, after).places
    before_row, after_row = (row for row in place.rows if row.kind in ("before", "after"))
    assert shown(before_row) == "The annual meeting is in May, [-at the town hall-]."
    assert shown(after_row) == "The annual meeting is in May, {+in the council chamber+}."


def test_unchanged_lines_around_a_change_are_shown_as_context_without_empty_edges() -> None:
    [place] = compare(LESSON, LESSON.replace("in May", "in June")).places
    kinds = [row.kind for row in place.rows]
    assert kinds == ["same", "same", "before", "after", "same", "same"]
    texts = [shown(row) for row in place.rows if row.kind == "same"]
    # Two lines either side; an empty one at either end is dropped (it shows nothing).
    assert texts == ["## When we meet {#when}", "", "", "Bring your badge."]
    far = compare(LESSON, LESSON.replace("Our meetings", "Meetings"), context=1).places[0]
    assert [row.kind for row in far.rows] == ["same", "before", "after", "same"]


def test_a_word_added_is_marked_without_the_space_beside_it() -> None:
    [place] = compare(LESSON, LESSON.replace("at the town hall", "at the old town hall")).places
    after_row = next(row for row in place.rows if row.kind == "after")
    assert shown(after_row) == "The annual meeting is in May, at the {+old+} town hall."


def test_a_line_added_is_shown_whole_at_its_line_of_the_new_text() -> None:
    after = LESSON.replace("Bring your badge.\n", "Bring your badge.\nArrive ten minutes early.\n")
    [place] = compare(LESSON, after).places
    assert place.line == place.last_line == 10
    assert place.rows[-1] == Row("added", (Piece("added", "Arrive ten minutes early."),))
    assert all(row.kind == "same" for row in place.rows[:-1])


def test_a_line_removed_is_shown_whole() -> None:
    after = LESSON.replace("Bring your badge.\n", "")
    [place] = compare(LESSON, after).places
    assert place.rows[-1] == Row("removed", (Piece("removed", "Bring your badge."),))
    assert place.line == place.last_line == 8  # there is no line 10 in the new text


def test_a_line_replaced_by_another_is_removed_and_added_not_marked_word_by_word() -> None:
    after = LESSON.replace("Bring your badge.", "Parking is free on Saturdays.")
    [place] = compare(LESSON, after).places
    changed = [(row.kind, shown(row)) for row in place.rows if row.kind != "same"]
    assert changed == [
        ("removed", "[-Bring your badge.-]"),
        ("added", "{+Parking is free on Saturdays.+}"),
    ]


def test_a_quiz_answer_no_longer_ticked_is_a_change_of_its_box() -> None:
    quiz = "## What should you be? {#be-what}\n\n- [x] Kind\n- [ ] Late\n"
    [place] = compare(quiz, quiz.replace("- [x] Kind", "- [ ] Kind")).places
    changed = [(row.kind, shown(row)) for row in place.rows if row.kind != "same"]
    assert changed == [("before", "- [-[x]-] Kind"), ("after", "- {+[ ]+} Kind")]
    # Said in words too, on the line after the edit.
    after = [row.note for row in place.rows if row.kind == "after"]
    assert after == ["No longer marked as a right answer."]
    [ticked] = compare(quiz, quiz.replace("- [ ] Late", "- [x] Late")).places
    assert [row.note for row in ticked.rows if row.note] == ["Now marked as a right answer."]
    [reworded] = compare(quiz, quiz.replace("- [x] Kind", "- [x] Kindly")).places
    assert not any(row.note for row in reworded.rows)


def test_the_text_is_kept_as_written_for_the_template_to_escape() -> None:
    before = "Say hello.\n"
    after = "Say <script>alert('hi')</script> hello.\n"
    [place] = compare(before, after).places
    assert "".join(piece.text for piece in place.rows[-1].pieces) == after.strip()


def test_the_same_text_has_no_places_and_a_new_or_deleted_file_says_so() -> None:
    assert compare(LESSON, LESSON).places == ()
    assert compare("a\n", "a").places == ()  # only the line end at the end of the file
    new = compare("", "one\ntwo\n")
    assert new.is_new and not new.is_gone
    assert [(p.line, p.last_line) for p in new.places] == [(1, 2)]
    gone = compare("one\ntwo\n", "")
    assert gone.is_gone and not gone.is_new
    assert [row.kind for row in gone.places[0].rows] == ["removed", "removed"]


def test_changes_far_apart_are_separate_places_and_a_huge_change_is_cut() -> None:
    lines = [f"Line {n}." for n in range(1, 31)]
    before = "\n".join(lines) + "\n"
    after = before.replace("Line 3.", "Line three.").replace("Line 25.", "Line twenty-five.")
    assert [(p.line, p.last_line) for p in compare(before, after).places] == [(3, 3), (25, 25)]
    huge = compare("", "".join(f"{n}\n" for n in range(MAX_ROWS * 2)))
    assert huge.is_cut
    assert sum(len(place.rows) for place in huge.places) <= MAX_ROWS
    assert not compare(before, after).is_cut
