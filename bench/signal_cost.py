"""What the server pays per call signaling frame, and how long a relay takes end to end.

The call's offers, answers and ICE candidates (`call.signal`, issue 15) pass
through the server on their way from one browser to another: each is parsed and
checked against its closed schema (`sessions/live/frames.py`), routed by the
sender's socket (`sessions/live/call_relay.py`) through the channel layer to the
one socket it names, and sent on as a typed frame. Two figures:

* **In process**, µs per frame: the whole of that path on one event loop, with the
  embedded channel layer and two sockets' worth of call memory, for a realistic
  offer (an audio+video SDP, about 5 KB) and a batch of three ICE candidates; the
  parse and check alone are shown too. No database, no network. Timed in CPU time
  (`time.process_time`): all of it is CPU work, and the figure then holds on a
  machine that other work shares.
* **Through Daphne** (`--daphne`, and in `make bench`): two sockets of a seated
  room on a real server, Alex sending, Sam answering at once; the round trip
  from Alex's send to Sam's answer arriving (two relays), paced within the
  frame and signaling budgets.

    .venv/bin/python bench/signal_cost.py            # in-process figures
    .venv/bin/python bench/signal_cost.py --daphne   # and through a Daphne it starts
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from sessions.live import call_relay, outgoing  # noqa: E402
from sessions.live.frames import parse  # noqa: E402
from sessions.live.layers import FastInMemoryChannelLayer  # noqa: E402
from sessions.live.room_group import RoomGroup  # noqa: E402

PEERS = {"a": "alex-7f3a2b91", "b": "sam-41c0d2e8"}


def realistic_sdp() -> str:
    """An audio+video offer of the size Chromium makes (about 5 KB)."""
    lines = [
        "v=0",
        "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0 1",
        "a=extmap-allow-mixed",
        "a=msid-semantic: WMS stream",
    ]
    for mid, kind in enumerate(("audio", "video")):
        lines += [
            f"m={kind} 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:x8Kq",
            "a=ice-pwd:Tq0z3Kp9yLxw2m4N5b6V7c8X",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 " + ":".join(["7B"] * 32),
            "a=setup:actpass",
            f"a=mid:{mid}",
            "a=sendrecv",
            "a=rtcp-mux",
        ]
        lines += [f"a=rtpmap:{96 + i} codec{i}/90000" for i in range(28)]
        lines += [f"a=rtcp-fb:{96 + i} nack pli" for i in range(28)]
        lines += [f"a=fmtp:{96 + i} level-asymmetry-allowed=1" for i in range(12)]
    return "\r\n".join(lines) + "\r\n"


CANDIDATE = {
    "candidate": "candidate:842163049 1 udp 1677729535 198.51.100.23 61764 typ srflx raddr "
    "192.168.1.20 rport 61764 generation 0 ufrag x8Kq network-cost 999",
    "sdpMid": "0",
    "sdpMLineIndex": 0,
    "usernameFragment": "x8Kq",
}


def offer_text(sdp: str) -> str:
    frame = {"type": "call.signal", "to": "b", "peer": PEERS["b"]}
    return json.dumps(frame | {"description": {"type": "offer", "sdp": sdp}})


def candidates_text() -> str:
    frame = {"type": "call.signal", "to": "b", "peer": PEERS["b"]}
    return json.dumps(frame | {"candidates": [CANDIDATE] * 3})


class Socket:
    """Just what the relay needs of a room socket; `_send` keeps the text it would send."""

    def __init__(self, layer, role: str, channel: str) -> None:
        self.role = role
        self.channel_name = channel
        self.call = call_relay.CallMemory()
        self.room = RoomGroup(layer, channel, lambda: False)
        self.room.name = "room"
        self.sent: list[str] = []

    async def _send(self, frame: outgoing.Frame) -> None:
        self.sent.append(outgoing.text(frame))


async def _relay_us(text: str, n: int) -> float:
    """µs per frame: parse and check, route, layer send and receive, the typed frame out."""
    layer = FastInMemoryChannelLayer(capacity=n + 10)
    alex = Socket(layer, "a", await layer.new_channel())
    sam = Socket(layer, "b", await layer.new_channel())
    for socket in (alex, sam):
        socket.call.own = call_relay.InCall(PEERS[socket.role], socket.channel_name, True, True)
    alex.call.others["b"] = sam.call.own
    started = time.process_time()
    for _ in range(n):
        await call_relay.on_signal(alex, parse(text))
        await call_relay.heard_signal(sam, await layer.receive(sam.channel_name))
    elapsed = time.process_time() - started
    assert len(sam.sent) == n and json.loads(sam.sent[-1])["from"] == "a"
    sam.sent.clear()
    return elapsed / n * 1e6


def _parse_us(text: str, n: int) -> float:
    started = time.process_time()
    for _ in range(n):
        parse(text)
    return (time.process_time() - started) / n * 1e6


def measure_in_process(n: int = 5000, repeat: int = 5) -> dict:
    """Median over `repeat` runs of `n` frames, for an offer and for a batch of candidates."""
    sdp = realistic_sdp()
    frames = {"offer": offer_text(sdp), "candidates": candidates_text()}
    result = {"sdp_chars": len(sdp)}
    for name, text in frames.items():
        result[f"{name}_bytes"] = len(text.encode())
        result[f"{name}_parse_us"] = statistics.median(_parse_us(text, n) for _ in range(repeat))
        result[f"{name}_relay_us"] = statistics.median(
            asyncio.run(_relay_us(text, n)) for _ in range(repeat)
        )
    return result


# --- through a real Daphne -------------------------------------------------------------------


async def _round_trips(url: str, origin: str, room: dict, plan: list[tuple[str, int, float]]):
    """Alex sends, Sam answers at once; the round trip of each, in ms, per kind of frame."""
    import websockets

    def connect(cookie: str):
        return websockets.connect(
            f"{url}/ws/sessions/{room['code']}/",
            origin=origin,
            additional_headers={"Cookie": cookie},
            max_size=2**20,
        )

    async def until(ws, kind: str) -> dict:
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] == kind:
                return frame

    async with connect(room["a"]) as alex, connect(room["b"]) as sam:
        for ws, role in ((alex, "a"), (sam, "b")):
            await until(ws, "state")
            join = {"type": "call.join", "peer": PEERS[role], "mic": True, "camera": True}
            await ws.send(json.dumps(join))
            await until(ws, "call.ice")
        await until(alex, "call.media")

        async def answer() -> None:
            while True:
                frame = await until(sam, "call.signal")
                back = {"type": "call.signal", "to": "a", "peer": PEERS["a"]}
                if "description" in frame:
                    back["description"] = {"type": "answer", "sdp": frame["description"]["sdp"]}
                else:
                    back["candidates"] = frame["candidates"]
                await sam.send(json.dumps(back))

        answering = asyncio.create_task(answer())
        results = {}
        try:
            for name, count, pause in plan:
                text = offer_text(realistic_sdp()) if name == "offer" else candidates_text()
                samples = []
                for _ in range(count):
                    started = time.perf_counter()
                    await alex.send(text)
                    await until(alex, "call.signal")
                    samples.append((time.perf_counter() - started) * 1000)
                    await asyncio.sleep(pause)
                samples.sort()
                results[name] = {
                    "round_trips": count,
                    "p50_ms": statistics.median(samples),
                    "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
                }
        finally:
            answering.cancel()
        return results


# Within the budgets: a candidates frame every 60 ms (about 16 frames and 4 KB a second
# per socket) and an offer every half second (12 KB a second).
DAPHNE_PLAN = [("candidates", 100, 0.06), ("offer", 12, 0.5)]


def measure_through_daphne(infra=None, config=None) -> dict:
    """Round trips through one Daphne process of `config` (or one the script starts)."""
    from bench.infra import Infra
    from bench.rows import Config, start_configuration

    own = infra is None
    infra = infra or Infra()
    config = config or Config(
        "stay-1-sqlite", "Stay: Daphne ×1", "stay", "daphne", 1, "fast", "sqlite"
    )
    try:
        db, servers = start_configuration(infra, config)
        room = infra.ensure_rooms(db, 24)[-1]  # a room the other rows rarely use
        base = f"127.0.0.1:{servers[0].port}"
        trips = asyncio.run(_round_trips(f"ws://{base}", f"http://{base}", room, DAPHNE_PLAN))
        return {"label": config.label, **trips}
    except Exception as exc:
        return {"label": config.label, "error": f"{type(exc).__name__}: {exc}"}
    finally:
        infra.stop_servers()
        if own:
            infra.close()


def measure(infra=None, config=None, daphne: bool = True) -> dict:
    """What `make bench` reports (`bench/run.py`)."""
    result = {"in_process": measure_in_process()}
    if daphne:
        result["daphne"] = measure_through_daphne(infra, config)
    return result


def lines(result: dict | None) -> str:
    if not result:
        return "  call signaling: not measured"
    inproc = result["in_process"]
    out = [
        f"  call signaling per frame, in process: offer ({inproc['offer_bytes']} bytes) "
        f"{inproc['offer_relay_us']:.1f} µs (parse and check {inproc['offer_parse_us']:.1f}), "
        f"3 candidates ({inproc['candidates_bytes']} bytes) {inproc['candidates_relay_us']:.1f} µs "
        f"(parse and check {inproc['candidates_parse_us']:.1f})"
    ]
    daphne = result.get("daphne")
    if daphne and daphne.get("error"):
        out.append(f"  call signaling through Daphne: failed: {daphne['error']}")
    elif daphne:
        for name in ("candidates", "offer"):
            trip = daphne[name]
            out.append(
                f"  call signaling through {daphne['label']}: {name} sent and answered "
                f"(two relays) p50 {trip['p50_ms']:.2f} ms, p99 {trip['p99_ms']:.2f} ms "
                f"over {trip['round_trips']}"
            )
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--daphne", action="store_true", help="also round trips through Daphne")
    options = parser.parse_args()
    print(lines(measure(daphne=options.daphne)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
