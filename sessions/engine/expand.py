"""Turning a protocol document into the flat list of steps a session walks through.

A step's words in the protocol's other languages come along under ``texts``
(``{"es": {"title", "prompt"}}``, absent for a protocol in one language) so the view can word
the step in each person's language.

An ``each_partner`` block runs its steps once with each partner holding the floor. When the
protocol leaves the first speaker to chance, the draw comes from the session's seed so that
replaying the same inputs always gives the same session.
"""

import random

from .vocabulary import ADVANCE_RULES, BOTH, TAP_KINDS, A, B, other

SIMPLE_KINDS = ("info", "checkin", "breathe")
FLOOR_KINDS = ("speak", "reflect")
PATTERN_KEYS = ("inhale", "hold_in", "exhale", "hold_out")
# The words of a step a person reads, which a protocol may give in several languages.
STEP_TEXTS = ("title", "prompt")


def _number(step: dict, key: str, where: str, *, allow_zero: bool) -> float:
    value = step.get(key, 0 if allow_zero else None)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}: '{key}' must be a number of seconds, got {value!r}")
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{where}: '{key}' must be more than 0, got {value!r}")
    return float(value)


def _advance(step: dict, where: str, kind: object) -> str | None:
    """How a step that ends by a tap moves on ("both" unless it says otherwise); None for
    steps that end by a clock or a turn, where the rule has no meaning."""
    value = step.get("advance")
    if kind not in TAP_KINDS:
        if value is not None:
            raise ValueError(
                f"{where}: 'advance' fits only steps that end by a tap "
                f"({', '.join(TAP_KINDS)}), not {kind}"
            )
        return None
    if value is None:
        return BOTH
    if value not in ADVANCE_RULES:
        raise ValueError(f"{where}: 'advance' must be both or either, got {value!r}")
    return value


def _expand_one(step: dict, where: str, floor: str | None) -> dict:
    kind = step.get("kind")
    out = {
        "kind": kind,
        "title": str(step.get("title", "")),
        "prompt": str(step.get("prompt", "")),
        "floor": floor,
        "limit_seconds": None,
        "advance": _advance(step, where, kind),
    }
    if kind == "breathe":
        out["pattern"] = {
            key: _number(step, key, where, allow_zero=key.startswith("hold"))
            for key in PATTERN_KEYS
        }
        cycles = step.get("cycles")
        if isinstance(cycles, bool) or not isinstance(cycles, int) or cycles < 1:
            raise ValueError(f"{where}: 'cycles' must be a whole number ≥ 1, got {cycles!r}")
        out["cycles"] = cycles
    elif kind == "speak" or kind == "reflect" and step.get("limit_seconds") is not None:
        out["limit_seconds"] = _number(step, "limit_seconds", where, allow_zero=False)
    texts = _texts(step, STEP_TEXTS)
    if texts:
        out["texts"] = texts
    return out


def _texts(item: dict, fields: tuple[str, ...]) -> dict:
    """A step's (or the protocol's) words in its other languages, ``{"es": {"title": …}}``:
    the loader puts them under ``texts`` for a document that offers more than one."""
    texts = item.get("texts")
    if not isinstance(texts, dict):
        return {}
    out = {}
    for language, words in texts.items():
        if isinstance(words, dict):
            kept = {field: str(words[field]) for field in fields if field in words}
            if kept:
                out[str(language)] = kept
    return out


def protocol_texts(protocol: dict) -> dict:
    """The protocol's title in its other languages, for the session's ``protocol`` entry:
    ``{"es": {"title": …}}``, empty for a protocol in one language."""
    return _texts(protocol, ("title",))


def expand_steps(protocol: dict, seed: int) -> list[dict]:
    """The session's steps: blocks unrolled, floors assigned, durations checked.

    Raises ValueError for what the protocol loader should already have refused (a speak or
    reflect step outside an ``each_partner`` block, an unknown kind, an empty protocol), so a
    hand-built document cannot produce a session the rules cannot run.
    """
    rng = random.Random(seed)
    steps: list[dict] = []
    for number, item in enumerate(protocol.get("steps") or [], start=1):
        where = f"step {number} ({item.get('title', 'untitled')!r})"
        kind = item.get("kind")
        if kind in SIMPLE_KINDS:
            steps.append(_expand_one(item, where, None))
        elif kind == "each_partner":
            first = item.get("first", "random")
            if first == "random":
                first = rng.choice((A, B))
            elif first not in (A, B):
                raise ValueError(f"{where}: 'first' must be a, b or random, got {first!r}")
            inner = item.get("steps") or []
            if not inner:
                raise ValueError(f"{where}: an each_partner block needs steps")
            for floor in (first, other(first)):
                for sub_number, sub in enumerate(inner, start=1):
                    sub_where = f"{where}, inner step {sub_number}"
                    if sub.get("kind") not in SIMPLE_KINDS + FLOOR_KINDS:
                        raise ValueError(f"{sub_where}: unknown kind {sub.get('kind')!r}")
                    steps.append(_expand_one(sub, sub_where, floor))
        elif kind in FLOOR_KINDS:
            raise ValueError(f"{where}: {kind} steps belong inside an each_partner block")
        else:
            raise ValueError(f"{where}: unknown kind {kind!r}")
    if not steps:
        raise ValueError("a protocol needs at least one step")
    return steps
