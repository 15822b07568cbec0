"""The CSI-4's items, its score and the form check (Funk & Rogge, 2007): pure, no database."""

from __future__ import annotations

import pytest

from sessions.reports import csi4


def test_four_items_with_their_answer_ranges_and_a_total_of_21_at_most():
    assert [len(item["labels"]) - 1 for item in csi4.ITEMS] == [6, 5, 5, 5]
    assert csi4.ITEMS[0]["labels"][0] == "Extremely unhappy"
    assert csi4.ITEMS[0]["labels"][-1] == "Perfect"
    assert csi4.ITEMS[1]["labels"][3] == "Mostly true"
    assert csi4.ITEMS[2]["labels"] == csi4.ITEMS[3]["labels"]
    assert csi4.score([6, 5, 5, 5]) == csi4.MAX_TOTAL == 21
    assert csi4.score([0, 0, 0, 0]) == 0
    assert csi4.CUT_OFF == 13.5


def test_below_the_cut_off_is_13_or_less_and_a_skip_is_never_below():
    assert csi4.below_cut_off(13) and not csi4.below_cut_off(14)
    assert not csi4.below_cut_off(None)


@pytest.mark.parametrize(
    "items", [[0, 0, 0], [7, 0, 0, 0], [0, 6, 0, 0], [0, 0, -1, 0], [True, 0, 0, 0]]
)
def test_score_refuses_what_is_not_a_csi4(items):
    with pytest.raises(ValueError):
        csi4.score(items)


def test_check_takes_four_listed_answers():
    values, errors = csi4.check({"item1": "6", "item2": "0", "item3": "5", "item4": "3"})
    assert values == [6, 0, 5, 3] and errors == {}


def test_check_names_each_missing_or_out_of_range_question():
    values, errors = csi4.check({"item1": "7", "item2": "", "item3": "-1", "item4": "two"})
    assert values is None
    assert errors["item1"].startswith("Question 1 takes one of its listed answers (0 to 6)")
    assert errors["item2"] == "Please choose an answer to question 2."
    assert "Question 3" in errors["item3"] and "Question 4" in errors["item4"]


def test_check_takes_the_listed_answers_exactly_as_the_form_sends_them():
    # Another script's three, a padded or zero-led three, a float: none is a listed answer.
    for odd in ("\u0663", " 3", "03", "3.0", "9" * 5000):
        values, errors = csi4.check({"item1": odd, "item2": "1", "item3": "1", "item4": "1"})
        assert values is None and "Question 1" in errors["item1"], odd
