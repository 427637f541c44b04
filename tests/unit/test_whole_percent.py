"""The one rule of every percentage a report or a progress display shows: a share as a
whole percentage, to the nearest, a half up, never 0% unless no one nor 100% unless all."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from induction.progress.status import whole_percent


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        # The review's figures: to the nearest, not down.
        (1, 15, 7),
        (7, 15, 47),
        (6, 14, 43),
        (6, 21, 29),
        (2, 3, 67),
        (1, 3, 33),
        # A half goes up, as a spreadsheet's ROUND does (Python's round() would go to even).
        (1, 8, 13),
        (5, 8, 63),
        (1, 40, 3),
        (985, 1000, 99),
        # The ends: only no one is 0%, only everyone is 100%.
        (0, 9, 0),
        (9, 9, 100),
        (1, 200, 1),  # 0.5%
        (1, 201, 1),  # 0.497%: would round to 0
        (1, 300, 1),
        (4, 1000, 1),
        (199, 200, 99),  # 99.5%: would round to 100
        (299, 300, 99),
        (994, 1000, 99),
        (995, 1000, 99),
        # No one to count: 0, never a division by zero.
        (0, 0, 0),
    ],
)
def test_a_share_is_rounded_to_the_nearest_and_kept_off_the_ends(
    part: int, whole: int, expected: int
) -> None:
    assert whole_percent(part, whole) == expected


def test_a_value_outside_the_share_keeps_the_same_arithmetic() -> None:
    assert whole_percent(15, 10) == 150
    assert whole_percent(3, -1) == 0


@given(st.integers(min_value=1, max_value=100_000).flatmap(
    lambda whole: st.tuples(st.integers(min_value=0, max_value=whole), st.just(whole))
))  # fmt: skip
def test_every_share_is_within_a_point_and_only_the_ends_are_0_and_100(
    share: tuple[int, int],
) -> None:
    part, whole = share
    shown = whole_percent(part, whole)
    exact = Fraction(100 * part, whole)
    assert abs(shown - exact) < 1
    if exact not in (0, 100) and 1 <= exact + Fraction(1, 2) < 100:
        assert shown == int(exact + Fraction(1, 2))  # half up, away from the ends
    assert (shown == 0) == (part == 0)
    assert (shown == 100) == (part == whole)
    assert whole_percent(part, whole + 1) <= shown  # more people, never a larger share


def test_floats_from_a_chart_follow_the_same_rule() -> None:
    assert whole_percent(1.0, 15.0) == 7
    assert isinstance(whole_percent(1.0, 15.0), int)
