"""The shape of a protocol document, as pydantic models.

Protocols are written by people (us, counselors, admins) and are read by the
engine without further checks, so everything the engine relies on is enforced
here: no unknown keys (a typo such as ``inhael`` must not silently fall back to
a default), positive durations, non-empty text, and the structure that turn
taking needs (speak and reflect only inside an ``each_partner`` block, a
reflect always answering a speak).

Strict mode keeps TOML types honest: ``inhale = "5"`` is an error rather than
a number, so what the author wrote is what the engine runs.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .sentences import Said, gettext_noop, refusal
from .texts import DEFAULT_LANGUAGES, as_text_table, check_languages

# Upper bounds keep a mistyped number (cycles = 1000) from producing a session
# nobody could sit through; they are generous for any real protocol.
MAX_TITLE = 80
MAX_PROMPT = 1000
MAX_BREATH_SECONDS = 30.0
MAX_CYCLES = 200
MAX_LIMIT_SECONDS = 3600.0
MAX_MINUTES = 240
MAX_STEPS = 60

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

# Step kinds allowed at each level of a document; the loader uses these to
# explain a misplaced kind (a speak outside a block) rather than call it unknown.
TOP_LEVEL_KINDS = ("info", "checkin", "breathe", "each_partner")
BLOCK_KINDS = ("info", "checkin", "speak", "reflect")
ALL_KINDS = ("info", "checkin", "breathe", "speak", "reflect", "each_partner")


def _not_blank(value: str) -> str:
    stripped = value.strip()
    if not stripped:
        raise refusal("blank", Said(gettext_noop("must not be empty")))
    return stripped


Text = Annotated[str, AfterValidator(_not_blank)]
# Words people read: plain text in a one-language document, or a table of language → text
# (texts.py checks the languages against the document's and the loader flattens it again).
Title = Annotated[
    dict[str, Annotated[str, Field(max_length=MAX_TITLE), AfterValidator(_not_blank)]],
    BeforeValidator(as_text_table),
]
Prompt = Annotated[
    dict[str, Annotated[str, Field(max_length=MAX_PROMPT), AfterValidator(_not_blank)]],
    BeforeValidator(as_text_table),
]
Seconds = Annotated[float, Field(gt=0, le=MAX_LIMIT_SECONDS)]
BreathSeconds = Annotated[float, Field(gt=0, le=MAX_BREATH_SECONDS)]
HoldSeconds = Annotated[float, Field(ge=0, le=MAX_BREATH_SECONDS)]
# How a step that ends by a tap moves on: once both partners have tapped (the default;
# moving on together is the point), or at one partner's tap. Only info and checkin steps end
# by a tap, so only they may say it; anywhere else the loader explains why not.
Advance = Literal["both", "either"]
ADVANCE_KINDS = ("info", "checkin")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class InfoStep(_Model):
    """Text both partners read; the room moves on once both are ready (or at one tap when
    ``advance = "either"``)."""

    kind: Literal["info"]
    title: Title
    prompt: Prompt
    advance: Advance = "both"


class CheckinStep(_Model):
    """Each partner places themselves on the ladder; answers are revealed together."""

    kind: Literal["checkin"]
    title: Title
    prompt: Prompt
    advance: Advance = "both"


class BreatheStep(_Model):
    """A paced breathing pattern; holds default to 0 because holds unsettle some people."""

    kind: Literal["breathe"]
    title: Title
    prompt: Prompt
    inhale: BreathSeconds
    hold_in: HoldSeconds = 0.0
    exhale: BreathSeconds
    hold_out: HoldSeconds = 0.0
    cycles: Annotated[int, Field(ge=1, le=MAX_CYCLES)]


class SpeakStep(_Model):
    """One partner holds the floor; the limit is soft and never cuts them off."""

    kind: Literal["speak"]
    title: Title
    prompt: Prompt
    limit_seconds: Seconds = 120.0


class ReflectStep(_Model):
    """The listener mirrors, checks, validates and empathizes with the speaker."""

    kind: Literal["reflect"]
    title: Title
    prompt: Prompt
    limit_seconds: Seconds | None = None


BlockStep = Annotated[
    InfoStep | CheckinStep | SpeakStep | ReflectStep,
    Field(discriminator="kind"),
]


class EachPartnerBlock(_Model):
    """Steps run once with each partner holding the floor, so both get a turn."""

    kind: Literal["each_partner"]
    title: Title
    first: Literal["a", "b", "random"] = "random"
    steps: Annotated[list[BlockStep], Field(min_length=1, max_length=MAX_STEPS)]

    @model_validator(mode="after")
    def _reflect_answers_a_speak(self) -> EachPartnerBlock:
        number = reflect_before_speak([step.kind for step in self.steps])
        if number is not None:
            raise reflect_without_speak_error(number)
        return self


def reflect_before_speak(kinds: list) -> int | None:
    """The 1-based number of a reflect with no speak before it, or None.

    A reflect mirrors what was just said; without a speak earlier in the same
    turn there is nothing to mirror.
    """
    seen_speak = False
    for number, kind in enumerate(kinds, start=1):
        if kind == "speak":
            seen_speak = True
        elif kind == "reflect" and not seen_speak:
            return number
    return None


def reflect_without_speak_error(number: int) -> PydanticCustomError:
    return refusal(
        "reflect_without_speak",
        Said(gettext_noop("a reflect step must come after a speak step in its block")),
        step=number,
    )


TopStep = Annotated[
    InfoStep | CheckinStep | BreatheStep | EachPartnerBlock,
    Field(discriminator="kind"),
]


class Protocol(_Model):
    """A whole protocol: what the people choosing it read, then its steps."""

    slug: Annotated[str, Field(pattern=SLUG_PATTERN, max_length=60)]
    languages: Annotated[list[str], PlainValidator(check_languages)] = Field(
        default_factory=lambda: list(DEFAULT_LANGUAGES)
    )
    title: Title
    minutes: Annotated[int, Field(ge=1, le=MAX_MINUTES)]
    for_whom: Prompt
    summary: Prompt
    steps: Annotated[list[TopStep], Field(min_length=1, max_length=MAX_STEPS)]


MODELS_BY_KIND: dict[str, type[BaseModel]] = {
    "info": InfoStep,
    "checkin": CheckinStep,
    "breathe": BreatheStep,
    "speak": SpeakStep,
    "reflect": ReflectStep,
    "each_partner": EachPartnerBlock,
}
