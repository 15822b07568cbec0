"""Floor: a bare `websockets` server relaying each frame to its room.

No framework, no channel layer, one process: the least any Python WebSocket
relay can cost on this machine. Speaks the same frames as the echo baseline
(`sync` → `ok`, `time.ping` → `time.pong`, anything else → the whole room).

Run: `python bench/floor_ws.py --port 8765` (loopback only).
"""

import argparse
import asyncio
import json
import signal
import time
from collections import defaultdict

from websockets.asyncio.server import broadcast, serve

rooms: dict[str, set] = defaultdict(set)


async def relay(websocket):
    path = websocket.request.path
    if not (path.startswith("/ws/echo/") and path.endswith("/")):
        await websocket.close(4404, "unknown path")
        return
    room = path[len("/ws/echo/") : -1]
    members = rooms[room]
    members.add(websocket)
    try:
        async for text in websocket:
            frame = json.loads(text)
            kind = frame.get("type")
            if kind == "sync":
                await websocket.send('{"type":"ok"}')
            elif kind == "time.ping":
                server = int(time.time() * 1000)
                await websocket.send(
                    json.dumps({"type": "time.pong", "t0": frame.get("t0"), "server": server})
                )
            else:
                broadcast(members, text)
    finally:
        members.discard(websocket)
        if not members:
            rooms.pop(room, None)


async def main(port: int) -> None:
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    async with serve(relay, "127.0.0.1", port, max_size=65536, ping_interval=None):
        await stop


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(main(parser.parse_args().port))
