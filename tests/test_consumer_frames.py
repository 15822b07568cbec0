"""The frame envelope and the per-socket budget, without a socket.

These rules decide what a browser's bytes may turn into, so each refusal is
checked for the code and the field name a client author would need.
"""

import json

import pytest

from sessions.frames import ActionFrame, FrameError, Sync, TimePing, loose_rid, parse
from sessions.ratelimit import FrameBudget, Verdict


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


def test_a_frame_over_four_kib_is_too_large_before_it_is_even_decoded():
    error = refusal('{"type": "sync", "version": 1, "pad": "' + "x" * 4100 + '"}')
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
