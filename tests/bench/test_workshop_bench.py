"""The workshop benchmark (issue 17) sets up what a real group holds and times the right frames.

`bench/setup_workshop.py` makes the workshop through the store; here its printed cookies
must be a signed-in facilitator (her console opens, her "Next step" with the benchmark's
CSRF scheme moves every room) and seated partners. The client's console reader must
match a tile to its room by the console's own room id, and the row's figures must say
whether issue 17's targets were met. No server: the web client and a fake frame.
"""

from __future__ import annotations

import asyncio
import json
import secrets

import pytest
from django.test import Client

from bench import report, setup_workshop
from bench.workshop import Console, next_body, room_id, summarize
from sessions import access
from sessions.models import CoupleSession
from sessions.store import notices


def _client(cookie: str, **kwargs) -> Client:
    client = Client(**kwargs)
    name, value = cookie.split("=", 1)
    client.cookies[name] = value
    return client


@pytest.mark.django_db
def test_setup_prints_a_signed_in_facilitator_and_seated_started_rooms(capsys):
    setup_workshop.main(1, 2)
    made = json.loads(capsys.readouterr().out)
    workshop = made["workshops"][0]
    assert made["steps"] >= 6 and len(workshop["rooms"]) == 2
    for spec in workshop["rooms"]:
        room = CoupleSession.objects.get(code=spec["code"])
        assert room.state["status"] == "active" and room.state["index"] == 0
        for seat in ("a", "b"):
            browser = _client(spec[seat]).session
            assert access.SEATS_KEY in browser and spec["code"] in browser[access.SEATS_KEY]

    facilitator = _client(made["facilitator"], enforce_csrf_checks=True)
    assert facilitator.get(f"/counselor/workshops/{workshop['id']}/").status_code == 200
    token = secrets.token_hex(16)  # what bench.workshop.post_next sends
    facilitator.cookies["csrftoken"] = token
    answer = facilitator.post(
        f"/counselor/workshops/{workshop['id']}/next/",
        next_body(0),
        content_type="application/x-www-form-urlencoded",
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )
    assert answer.status_code == 200 and answer.json()["ok"]
    for spec in workshop["rooms"]:
        assert CoupleSession.objects.get(code=spec["code"]).state["index"] == 1


async def test_the_console_reader_matches_tiles_by_the_consoles_room_id():
    code = "g8-t3T6k_uTAk_ln3zIBSCh-w8zIdQ"
    assert room_id(code) == notices.room_id(code)
    console = Console({"url": "ws://x/", "origin": "http://x", "cookie": None})
    paused = console.expect(room_id(code), lambda tile: tile["status"] == "paused")
    console._on_frame({"type": "tile", "tile": {"room": room_id(code), "status": "active"}})
    console._on_frame({"type": "tile", "tile": {"room": "0" * 16, "status": "paused"}})
    assert not paused.done()
    console._on_frame(
        {
            "type": "console",
            "workshop": {"step": 1},
            "tiles": [{"room": room_id(code), "status": "paused"}],
        }
    )
    assert paused.done() and console.header["step"] == 1
    await asyncio.sleep(0)


def test_a_row_says_whether_the_targets_were_met():
    trial = {
        "step": 1,
        "http_status": 200,
        "http_body": "",
        "http_ms": 300.0,
        "partners": 4,
        "latencies_ms": [100.0, 200.0, 300.0, 1500.0],
        "lost": 0,
        "last_ms": 1500.0,
        "console_all_ms": 320.0,
        "console_missing": 0,
        "not_held": 0,
    }
    result = {
        "rooms": 2,
        "sockets": 4,
        "connect_seconds": 0.1,
        "accepted": 30,
        "window_seconds": 10,
        "rejected": {},
        "no_ack": 0,
        "connect_failures": 0,
        "console_failures": 0,
        "setup_failures": 0,
        "closed_early": 0,
        "errors": [],
        "console_frames": [{"console": 1, "tile": 20, "other": 0}],
        "console": {
            "latencies_ms": [5.0, 190.0],
            "pause_ms": [5.0],
            "ready_ms": [190.0],
            "lost": 0,
        },
        "trials": [trial],
    }
    row = {"label": "1 workshop of 2 couples", "server": "Stay", "db": "sqlite", "workshops": 1}
    row.update(summarize(result))
    assert row["met"] == {"console_p99_1s": True, "next_step_p99_1s": False}
    printed = report.workshop_lines(row)
    assert "MISSED" in printed and "last partner 1500 ms" in printed
