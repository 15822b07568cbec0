"""What a hostile or broken client might send the room socket, as hypothesis strategies.

`frames` is the one the fuzz test (tests/live/test_fuzz_frames.py) draws from: text frames,
about a third well-formed envelopes (the engine decides), a third malformed JSON frames, a
third everything else (deep nesting, huge numbers, NUL and lone surrogates, escaped and raw,
text that is not JSON, frames over the size limit, retried rids), and binary frames.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

from sessions.engine.actions import ALL_ACTIONS

ARG_NAMES = (
    "step",
    "phase",
    "state",
    "intensity",
    "word",
    "value",
    "reason",
    "seat",
    "id",
    "answer",
    "connected",
    "claimed",
    "name",
)
NASTY_TEXT = ("\x00", "a\x00b", "\udfff", "\ud800", "x\udc00y", "\U0001f600", "é", "", " ")
CHOICES = (
    "safe",
    "mobilized",
    "shutdown",
    "yes",
    "no",
    "not_quite",
    "more",
    "need_a_moment",
    "flooding",
    "mirror",
    "check",
    "a",
    "b",
    "host",
)

huge_ints = st.sampled_from([2**53 - 1, 2**53, -(2**53), 2**63, 10**100, 10**1000])
numbers = st.one_of(
    st.integers(-3, 12),
    st.integers(),
    huge_ints,
    st.floats(allow_nan=True, allow_infinity=True),
)
texts = st.one_of(
    st.sampled_from(CHOICES),
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.just("w" * 41),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
arg_keys = st.one_of(st.sampled_from(ARG_NAMES), st.text(max_size=12), st.sampled_from(NASTY_TEXT))
args = st.one_of(
    st.dictionaries(arg_keys, st.one_of(scalars, json_values), max_size=5),
    st.dictionaries(st.sampled_from(ARG_NAMES), scalars, max_size=4),
    json_values,  # not even an object
)
action_names = st.one_of(
    st.sampled_from(ALL_ACTIONS),
    st.sampled_from(("next", "checkin", "not_yet", "answer", "done", "back", "ready")),
    st.from_regex(r"[a-z_]{1,33}", fullmatch=True),
    texts,
    numbers,
)
rids = st.one_of(
    st.sampled_from([f"r{i}" for i in range(8)]),  # retried rids
    st.text(min_size=1, max_size=70),
    st.sampled_from(NASTY_TEXT),
    numbers,
)


@st.composite
def action_frames(draw) -> dict:
    frame = {"type": "action", "action": draw(action_names)}
    if draw(st.booleans()):
        frame["args"] = draw(args)
    if draw(st.booleans()):
        frame["step"] = draw(st.one_of(st.integers(0, 5), numbers, texts))
    if draw(st.integers(0, 3)) == 0:
        frame["phase"] = draw(texts)
    if draw(st.booleans()):
        frame["rid"] = draw(rids)
    if draw(st.integers(0, 9)) == 0:
        frame[draw(st.text(max_size=10))] = draw(scalars)  # an unknown field
    return frame


well_formed_actions = st.builds(
    lambda action, step, extra, rid: {
        "type": "action",
        "action": action,
        "step": step,
        "args": extra,
        "rid": rid,
    },
    st.sampled_from(("next", "not_yet", "checkin", "ready", "start", "let_in", "done")),
    st.integers(0, 4),
    st.one_of(
        st.just({}),
        st.fixed_dictionaries(
            {
                "state": st.sampled_from(("safe", "mobilized", "shutdown", "calm")),
                "intensity": st.integers(-1, 11),
            },
            optional={"word": texts},
        ),
    ),
    st.text(alphabet="abcdef0123456789", min_size=1, max_size=12),
)
other_frames = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("sync"), "version": st.one_of(st.integers(0, 40), numbers, texts)}
    ),
    st.fixed_dictionaries(
        {"type": st.just("time.ping"), "t0": st.one_of(numbers, texts, st.none())}
    ),
    st.dictionaries(st.sampled_from(("type", "version", "t0", "rid", "x")), scalars, max_size=3),
    st.fixed_dictionaries({"type": st.one_of(texts, numbers)}),
    json_values,
)


def encode(value, draw_raw: bool) -> str:
    """JSON text; raw (unescaped) non-ASCII, lone surrogates included, when asked."""
    return json.dumps(value, ensure_ascii=not draw_raw)


json_frames = st.builds(
    encode, st.one_of(action_frames(), well_formed_actions, other_frames), st.booleans()
)
deep_frames = st.one_of(
    st.integers(3, 3000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 2000).map(
        lambda n: (
            '{"type":"action","action":"next","step":0,"args":{"x":' + "[" * n + "]" * n + "}}"
        )
    ),
    st.integers(2, 60).map(
        lambda n: '{"type":"sync","version":1,"x":' + '{"a":' * n + "1" + "}" * n + "}"
    ),
)
number_frames = st.one_of(
    st.sampled_from(
        ["1e999", "-1e999", "NaN", "Infinity", "-Infinity", "1" * 400, "-0", "1.5e308"]
    ).map(lambda n: '{"type":"time.ping","t0":' + n + "}"),
    st.integers(15, 4000).map(lambda n: '{"type":"sync","version":' + "9" * min(n, 4000) + "}"),
)
broken_text = st.one_of(
    st.text(max_size=200),
    json_frames.flatmap(lambda t: st.integers(0, max(0, len(t) - 1)).map(lambda i: t[:i])),
    st.sampled_from(["", "null", "{", "}", '{"type":"sync","version":1,"version":2}', "\x00"]),
    st.integers(4097, 6000).map(lambda n: '{"type":"sync","version":1,"pad":"' + "x" * n + '"}'),
)
session_actions = st.builds(
    lambda action, extra, rid: {"type": "action", "action": action, "args": extra, "rid": rid},
    # Ending or pausing takes the room out of play until a fresh one: rarer.
    st.sampled_from(("start", "start", "start", "ready", "ready", "let_in", "pause", "end")),
    st.one_of(
        st.just({}),
        st.fixed_dictionaries({"reason": st.sampled_from(("need_a_moment", "flooding", "x"))}),
        st.fixed_dictionaries({"id": texts, "answer": st.sampled_from(("yes", "no", "maybe"))}),
    ),
    st.text(alphabet="abcdef0123456789", min_size=1, max_size=12),
)
valid_envelopes = st.one_of(
    well_formed_actions,
    well_formed_actions,
    session_actions,
    st.builds(lambda v: {"type": "sync", "version": v}, st.integers(0, 40)),
    st.builds(lambda t: {"type": "time.ping", "t0": t}, st.floats(0, 1e13)),
).map(json.dumps)
# Roughly: a third well-formed (the engine decides), a third malformed JSON frames, a
# third everything else. one_of picks its branches evenly, so repeats weight them.
text_frames = st.one_of(
    valid_envelopes,
    valid_envelopes,
    valid_envelopes,
    json_frames,
    json_frames,
    json_frames,
    deep_frames,
    number_frames,
    broken_text,
)
binary_frames = st.binary(max_size=64)
frames = st.one_of(
    text_frames.map(lambda text: ("text", text)),
    binary_frames.map(lambda data: ("bytes", data)),
)
