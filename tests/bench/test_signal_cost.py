"""The call signaling benchmark measures the path a relayed frame really takes.

`bench/signal_cost.py` drives the relay's own handlers (`call_relay.on_signal` and
`heard_signal`) over the embedded channel layer; if the relay changed shape, the
benchmark would time something else. A few frames here show that it still relays
the offer and the candidates it says it times, and prints its figures.
"""

from __future__ import annotations

import json

from bench import signal_cost
from sessions.live.frames import MAX_SDP_CHARS, parse


def test_the_frames_timed_are_real_signals_within_their_caps():
    offer = parse(signal_cost.offer_text(signal_cost.realistic_sdp()))
    assert 4000 < len(offer.description.sdp) < MAX_SDP_CHARS
    candidates = parse(signal_cost.candidates_text())
    assert len(candidates.candidates) == 3


def test_the_in_process_figures_come_from_relaying_each_frame():
    result = signal_cost.measure_in_process(n=20, repeat=1)
    for name in ("offer", "candidates"):
        assert result[f"{name}_relay_us"] > 0 and result[f"{name}_parse_us"] > 0
    printed = signal_cost.lines({"in_process": result})
    assert "offer" in printed and "µs" in printed
    assert json.loads(signal_cost.offer_text("v=0"))["to"] == "b"
