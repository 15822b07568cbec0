"""A flood through a real Daphne process: the offender goes, the partner does not notice.

Alex's browser (seat a) is taken over by a script that sends frames as fast as the
network takes them — clock pings, actions, binary frames, or all three mixed — for
a few seconds; Sam (seat b) keeps pinging and syncing at a person's pace and times
every round trip. The server must close Alex's socket with 4429 within a second of
the first frame (it is judged as frames arrive, not as they are handled), keep Sam's
round trips short, and give back the memory. An in-process communicator cannot show
any of this: the queueing happens inside the server process, between the network
and the application.

The latency bound asserted here is loose, because six test runs may share the two
cores; `make bench` reports the real figure (the flood row).
"""

from __future__ import annotations

import contextlib

import pytest

from bench.flood import CHUNK_FRAMES, flood_trial
from tests.support.servers import DaphneServer, fresh_database

pytestmark = pytest.mark.timeout(180)

# The figures before the fix: closed 8-11 s after the flood, partner 0.3-1 s.
CLOSE_WITHIN_S = 1.0
PARTNER_P99_BOUND_MS = 250.0  # the target is 50 ms; see the module docstring
RSS_GROWTH_BOUND_MB = 20.0


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("flood")
    with contextlib.ExitStack() as stack:
        db = stack.enter_context(fresh_database(tmp_path))
        daphne = stack.enter_context(DaphneServer(db, log_path=tmp_path / "daphne.log"))
        yield daphne


@pytest.mark.parametrize(
    "kinds",
    [("ping",), ("action",), ("binary",), ("ping", "action", "binary")],
    ids=["pings", "actions", "binary", "mixed"],
)
async def test_a_flooding_socket_is_closed_within_a_second_and_its_partner_carries_on(
    server, kinds
):
    room = server.seated_rooms(1)[0]

    result = await flood_trial(
        server.ws_url, server.origin, room, server.rss, kinds=kinds, seconds=3.0, settle_seconds=2.0
    )

    offender, sam, rss = result["offender"], result["partner"], result["rss_mb"]
    assert offender["close_code"] == 4429, result
    assert offender["closed_after_s"] < CLOSE_WITHIN_S, result
    # It really was a flood: far past the 80 frames the budget takes before the cut-off
    # (often only a few chunks get written, the close comes that soon).
    assert offender["frames_written"] >= CHUNK_FRAMES, result
    assert sam["closed"] is None and sam["errors"] == {}, result  # Sam's socket untouched
    assert sam["samples"] >= 20, result
    assert sam["p99_ms"] < PARTNER_P99_BOUND_MS, result
    assert rss["after"] - rss["before"] < RSS_GROWTH_BOUND_MB, result


def test_daphne_is_guarded_as_soon_as_stay_loads():
    """The flood figures depend on it: small reads, and no parsing after a 4429."""
    from daphne.ws_protocol import WebSocketProtocol

    from sessions.live import consumer, ratelimit

    assert consumer.ratelimit is ratelimit
    assert WebSocketProtocol._stay_guarded
    assert ratelimit.guard_daphne()  # a second call changes nothing
