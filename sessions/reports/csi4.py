"""The CSI-4, the four-item Couples Satisfaction Index: its items, answer labels and score.

Funk, J. L., & Rogge, R. D. (2007). Testing the ruler with item response theory:
Increasing precision of measurement for relationship satisfaction with the Couples
Satisfaction Index. *Journal of Family Psychology, 21*(4), 572–583. Free to use; the
citation goes on every page that asks it. Pure data and arithmetic: the measure page
validates answers with `check`, the counselor's pages read `score` and `CUT_OFF`. The items
and answer labels are marked (``gettext_noop``) and translated where the page shows them.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# The reference's parts: a page marks the paper's English title and journal (lang="en").
CITATION_AUTHORS = "Funk, J. L., & Rogge, R. D. (2007)."
CITATION_TITLE = (
    "Testing the ruler with item response theory: Increasing precision of measurement for "
    "relationship satisfaction with the Couples Satisfaction Index."
)
CITATION_JOURNAL = "Journal of Family Psychology"
CITATION_ISSUE = "21(4), 572–583."
CITATION = f"{CITATION_AUTHORS} {CITATION_TITLE} {CITATION_JOURNAL}, {CITATION_ISSUE}"
SHORT_CITATION = "CSI-4, Funk & Rogge (2007)"

# A total below this suggests notable relationship distress (Funk & Rogge, 2007).
CUT_OFF = 13.5
MAX_TOTAL = 21

_TRUE = (
    gettext_noop("Not at all true"),
    gettext_noop("A little true"),
    gettext_noop("Somewhat true"),
    gettext_noop("Mostly true"),
    gettext_noop("Almost completely true"),
    gettext_noop("Completely true"),
)
_HOW_MUCH = (
    gettext_noop("Not at all"),
    gettext_noop("A little"),
    gettext_noop("Somewhat"),
    gettext_noop("Mostly"),
    gettext_noop("Almost completely"),
    gettext_noop("Completely"),
)

ITEMS: tuple[dict, ...] = (
    {
        "name": "item1",
        "text": (
            gettext_noop(
                "Please indicate the degree of happiness, all things considered, of your relationship."
            )
        ),
        "labels": (
            gettext_noop("Extremely unhappy"),
            gettext_noop("Fairly unhappy"),
            gettext_noop("A little unhappy"),
            gettext_noop("Happy"),
            gettext_noop("Very happy"),
            gettext_noop("Extremely happy"),
            gettext_noop("Perfect"),
        ),
    },
    {
        "name": "item2",
        "text": gettext_noop("I have a warm and comfortable relationship with my partner."),
        "labels": _TRUE,
    },
    {
        "name": "item3",
        "text": gettext_noop("How rewarding is your relationship with your partner?"),
        "labels": _HOW_MUCH,
    },
    {
        "name": "item4",
        "text": gettext_noop("In general, how satisfied are you with your relationship?"),
        "labels": _HOW_MUCH,
    },
)
FIELD_NAMES = tuple(item["name"] for item in ITEMS)


def item_max(index: int) -> int:
    return len(ITEMS[index]["labels"]) - 1


def score(items: list[int]) -> int:
    """The total, 0–21; ValueError for anything but four in-range whole numbers."""
    if not isinstance(items, (list, tuple)) or len(items) != len(ITEMS):
        raise ValueError("the CSI-4 has four items")
    for index, value in enumerate(items):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"item {index + 1} must be a whole number")
        if not 0 <= value <= item_max(index):
            raise ValueError(f"item {index + 1} must be from 0 to {item_max(index)}")
    return sum(items)


def below_cut_off(total: int | None) -> bool:
    """Whether a total is under 13.5 (a skipped answer is not)."""
    return total is not None and total < CUT_OFF


def check(data: Mapping[str, str]) -> tuple[list[int] | None, dict[str, str]]:
    """Answers from a form: (the four values, {}) or (None, {field: what is wrong}).

    Each message names the question by its number and its words, so a screen reader
    hearing the error knows which group to go back to.
    """
    values: list[int] = []
    errors: dict[str, str] = {}
    for index, item in enumerate(ITEMS):
        raw = data.get(item["name"])
        number = index + 1
        if raw is None or raw == "":
            errors[item["name"]] = _("Please choose an answer to question %(number)s.") % {
                "number": number
            }
            continue
        top = item_max(index)
        # Exactly one of the listed answers as the form sends it ("0" to "6"): not " 3",
        # not "03", not another script's digit that int() would also read as 3.
        choices = {str(choice): choice for choice in range(top + 1)}
        value = choices.get(raw) if isinstance(raw, str) else None
        if value is None:
            errors[item["name"]] = _(
                "Question %(number)s takes one of its listed answers (0 to %(top)s); "
                "please choose one."
            ) % {"number": number, "top": top}
            continue
        values.append(value)
    return (None, errors) if errors else (values, {})
