"""The frame envelope and the per-socket budget, without a socket.

These rules decide what a browser's bytes may turn into, so each refusal is
checked for the code and the field name a client author would need.
"""

import json
import logging

import pytest
from channels.db import database_sync_to_async

from sessions.live.frames import (
    MAX_DEPTH,
    ActionFrame,
    FrameError,
    Sync,
    TimePing,
    loose_rid,
    parse,
)
from sessions.live.ratelimit import FrameBudget, Verdict
from sessions.models import Event
from sessions.store import rooms
from tests.live.sockets import act, join, receive


def refusal(frame) -> FrameError:
    text = frame if isinstance(frame, str) else json.dumps(frame)
    with pytest.raises(FrameError) as caught:
        parse(text)
    return caught.value


def test_each_frame_type_parses_into_its_schema():
    assert parse('{"type":"time.ping","t0":12.5}') == TimePing(type="time.ping", t0=12.5)
    assert parse('{"type":"sync","version":3}') == Sync(type="sync", version=3)
    frame = parse(
        json.dumps({"type": "action", "action": "next", "step": 0, "rid": "r1", "args": {}})
    )
    assert isinstance(frame, ActionFrame)
    assert (frame.action, frame.step, frame.rid) == ("next", 0, "r1")


def test_step_and_phase_travel_inside_args_for_the_engine():
    frame = parse(
        json.dumps(
            {
                "type": "action",
                "action": "answer",
                "args": {"value": "yes"},
                "step": 4,
                "phase": "check",
            }
        )
    )
    assert frame.engine_args() == {"value": "yes", "step": 4, "phase": "check"}


def test_a_step_given_twice_is_refused_rather_than_guessed():
    frame = parse(json.dumps({"type": "action", "action": "next", "step": 1, "args": {"step": 2}}))
    with pytest.raises(FrameError, match="'step'") as caught:
        frame.engine_args()
    assert caught.value.code == "bad_frame"


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("{not json", "bad_json", "not valid JSON"),
        ("[1, 2]", "bad_frame", "JSON object"),
        ('"sync"', "bad_frame", "JSON object"),
        ('{"version": 1}', "bad_frame", "Field 'type' is required"),
        ('{"type": "hello"}', "bad_frame", "Unknown frame type 'hello'"),
        ('{"type": "sync"}', "bad_frame", "Field 'version' is required"),
        ('{"type": "sync", "version": "3"}', "bad_frame", "Field 'version' must be a whole number"),
        (
            '{"type": "sync", "version": true}',
            "bad_frame",
            "Field 'version' must be a whole number",
        ),
        ('{"type": "sync", "version": 1, "extra": 1}', "bad_frame", "Field 'extra' is not allowed"),
        ('{"type": "time.ping", "t0": "now"}', "bad_frame", "Field 't0' must be a number"),
        ('{"type": "action", "action": "next", "args": []}', "bad_frame", "Field 'args'"),
        ('{"type": "action", "action": "Next!"}', "bad_frame", "Field 'action'"),
        ('{"type": "action", "action": "next", "step": -1}', "bad_frame", "Field 'step'"),
        ('{"type": "time.ping", "t0": NaN}', "bad_json", "NaN is not a JSON number"),
        ('{"type": "time.ping", "t0": -Infinity}', "bad_json", "-Infinity is not a JSON number"),
        ('{"type": "time.ping", "t0": 1e999}', "bad_json", "1e999 is too large"),
        (
            '{"type": "action", "action": "pause", "args": {"reason": Infinity}}',
            "bad_json",
            "Infinity is not a JSON number",
        ),
        ('{"type": "sync", "version": 1, "version": 9}', "bad_frame", "'version' appears more"),
    ],
)
def test_malformed_frames_are_refused_with_a_code_and_the_field(text, code, words):
    error = refusal(text)
    assert error.code == code
    assert words in error.message


def test_a_request_id_over_its_limit_is_refused_naming_the_limit():
    error = refusal({"type": "action", "action": "next", "rid": "r" * 65})
    assert error.code == "bad_frame"
    assert "Field 'rid' is too long (at most 64 characters)" in error.message


def test_a_frame_over_four_kib_is_too_large_unless_it_is_a_call_signal():
    error = refusal('{"type": "sync", "version": 1, "pad": "' + "x" * 4100 + '"}')
    assert error.code == "too_large"
    assert "'sync' may be at most 4096 bytes" in error.message


def test_a_frame_over_twenty_kib_is_too_large_before_it_is_even_decoded():
    # Not JSON at all, and nested past any limit: the size is what is refused.
    error = refusal('{"type": "call.signal", "x": ' + "[" * 21_000)
    assert error.code == "too_large"


def test_binary_frames_are_refused():
    with pytest.raises(FrameError) as caught:
        parse(None)
    assert caught.value.code == "bad_frame"


def test_a_refused_frame_still_echoes_a_usable_rid():
    assert loose_rid('{"type": "action", "rid": "abc", "args": 3}') == "abc"
    assert loose_rid("{broken") is None
    assert loose_rid('{"rid": 7}') is None


def test_a_steady_twenty_frames_a_second_is_never_limited():
    budget = FrameBudget()
    verdicts = {budget.take(i / 20) for i in range(20 * 60)}
    assert verdicts == {Verdict.ALLOW}


def test_a_burst_beyond_the_bucket_is_limited_then_forgiven():
    budget = FrameBudget(rate=20, burst=20)
    verdicts = [budget.take(0.0) for _ in range(25)]
    assert verdicts.count(Verdict.ALLOW) == 20
    assert verdicts[20:] == [Verdict.LIMITED] * 5
    assert budget.take(1.0) is Verdict.ALLOW  # a second later the bucket has refilled


def test_a_socket_that_keeps_flooding_is_cut_off_after_three_seconds_worth_of_excess():
    budget = FrameBudget(rate=20, burst=20, excess_windows=3)
    verdicts = [budget.take(0.0) for _ in range(20 + 60 + 1)]
    assert verdicts.count(Verdict.LIMITED) == 60
    assert verdicts[-1] is Verdict.CUT_OFF


# --- deep nesting: refused from the text, before the decoder can recurse -------------


DEEP_TEXTS = [
    "[" * 2000 + "]" * 2000,
    "{" * 2000,
    '{"type":"action","action":"next","step":0,"args":{"x":' + "[" * 2000 + "]" * 2000 + "}}",
    '{"type":"action","action":"next","args":{"x":[[1]]}}',
    '{"type":"action","action":"next","args":{"x":{"y":{}}}}',
    '{"type":"sync","version":1,"extra":[[[[]]]]}',
]


@pytest.mark.parametrize("text", DEEP_TEXTS, ids=lambda t: t[:40])
def test_a_frame_nested_too_deeply_is_refused_as_a_bad_frame_not_a_crash(text):
    error = refusal(text)
    assert error.code == "bad_frame"
    assert f"at most {MAX_DEPTH} levels" in error.message
    assert loose_rid(text) is None


def test_args_may_hold_one_level_of_arrays_or_objects_and_brackets_in_text_are_only_text():
    frame = parse(
        json.dumps(
            {
                "type": "action",
                "action": "next",
                "args": {"x": [1, "a"], "y": {"k": 1}, "w": "[[[[{{{{"},
            }
        )
    )
    assert frame.args == {"x": [1, "a"], "y": {"k": 1}, "w": "[[[[{{{{"}


def test_a_string_that_never_ends_cannot_hide_brackets_from_the_depth_check():
    error = refusal('{"type":"action","rid":"\\"' + "[" * 50)
    assert error.code in ("bad_frame", "bad_json")


# --- text no database stores alike: NUL and lone surrogates -----------------------


@pytest.mark.parametrize(
    ("frame", "field"),
    [
        ({"type": "action", "action": "next", "step": 0, "rid": "\u0000x"}, "Field 'rid'"),
        ({"type": "action", "action": "next", "step": 0, "rid": "\udfff"}, "Field 'rid'"),
        ({"type": "action", "action": "next", "phase": "mir\u0000ror"}, "Field 'phase'"),
        ({"type": "action", "action": "ne\u0000xt"}, "Field 'action'"),
        ({"type": "action\u0000", "action": "next"}, "Field 'type'"),
        (
            {"type": "action", "action": "checkin", "step": 1, "args": {"word": "a\u0000b"}},
            "Field 'args.word'",
        ),
        (
            {"type": "action", "action": "checkin", "step": 1, "args": {"word": "\udfff"}},
            "Field 'args.word'",
        ),
        (
            {"type": "action", "action": "checkin", "step": 1, "args": {"word": "\ud800x"}},
            "Field 'args.word'",
        ),
        ({"type": "action", "action": "next", "args": {"x": ["ok", "\u0000"]}}, "'args.x.1'"),
        ({"type": "action", "action": "next", "args": {"w\u0000": 1}}, "in field 'args'"),
        ({"type": "sync", "version": 1, "\udfff": 1}, "A field name contains"),
    ],
)
def test_nul_and_lone_surrogates_are_refused_as_bad_args_naming_the_field(frame, field):
    text = json.dumps(frame).replace("\\\\u", "\\u")  # keep the escapes as JSON escapes
    error = refusal(text)
    assert error.code == "bad_args"
    assert field in error.message
    assert "NUL character or a lone surrogate" in error.message


def test_the_same_characters_sent_raw_rather_than_escaped_are_refused_too():
    for raw in ("\udfff", "a\ud800"):
        error = refusal('{"type":"action","action":"next","rid":"' + raw + '"}')
        assert (error.code, error.message.split(" must")[0]) == ("bad_args", "Field 'rid'")


def test_an_unstorable_rid_is_never_echoed_back():
    assert loose_rid('{"type":"action","rid":"\\u0000x","args":3}') is None
    assert loose_rid('{"type":"action","rid":"\\udfff","args":3}') is None
    assert loose_rid('{"type":"action","rid":"r\\u00e9","args":3}') == "r\u00e9"


def test_ordinary_escapes_and_accents_still_pass():
    frame = parse(
        '{"type":"action","action":"checkin","rid":"\\u0072","args":{"word":"\\u00e9t\\u00e9 \\ud83d\\ude00"}}'
    )
    assert frame.rid == "r"
    assert frame.args["word"] == "\u00e9t\u00e9 \U0001f600"


@pytest.mark.parametrize("number", ["9007199254740992", "-9007199254740992", "1" + "0" * 400])
def test_integers_a_browser_cannot_hold_exactly_are_refused(number):
    error = refusal('{"type":"sync","version":' + number + "}")
    assert error.code == "bad_json"
    assert "too large" in error.message
    assert parse('{"type":"sync","version":9007199254740991}').version == 2**53 - 1


# --- the same through a room socket: answered, stored nowhere, socket kept ----------


def _event_count(code: str) -> int:
    return Event.objects.filter(session__code=code).count()


@pytest.mark.django_db(transaction=True)
async def test_alex_sending_deep_json_gets_bad_frame_and_keeps_the_socket(sockets, room, caplog):
    alex, first = await join(sockets, room, "a")
    for text in DEEP_TEXTS[:3]:
        await alex.send_to(text_data=text)
        reply = await receive(alex)
        assert (reply["type"], reply["code"]) == ("error", "bad_frame")
    await alex.send_json_to({"type": "time.ping", "t0": 1})
    assert (await receive(alex))["type"] == "time.pong"  # still open and answering
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.django_db(transaction=True)
async def test_nul_and_surrogates_from_alex_never_reach_the_database(sockets, room, caplog):
    """Refused alike on SQLite and PostgreSQL (which cannot store NUL at all)."""
    alex, first = await join(sockets, room, "a")
    before = await database_sync_to_async(_event_count)(room.code)
    frames = [
        ('{"type":"action","action":"next","step":0,"rid":"\\u0000x"}', "Field 'rid'"),
        ('{"type":"action","action":"start","rid":"\\udfff"}', "Field 'rid'"),
        (
            '{"type":"action","action":"checkin","step":1,"rid":"w1",'
            '"args":{"state":"safe","intensity":3,"word":"a\\u0000b"}}',
            "Field 'args.word'",
        ),
        (
            '{"type":"action","action":"checkin","step":1,"rid":"w2",'
            '"args":{"state":"safe","intensity":3,"word":"\\udfff"}}',
            "Field 'args.word'",
        ),
    ]
    for text, field in frames:
        await alex.send_to(text_data=text)
        reply = await receive(alex)
        assert (reply["type"], reply["code"]) == ("error", "bad_args"), reply
        assert reply["message"].startswith(field)
        assert reply["rid"] in (None, "w1", "w2")
    assert (await act(alex, "start", rid="fine"))["type"] == "ack"  # the socket still works
    state = await database_sync_to_async(rooms.load_state)(room.code)
    assert state["version"] == first["version"] + 1
    assert await database_sync_to_async(_event_count)(room.code) == before + 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
