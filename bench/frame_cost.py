"""What one outgoing frame costs to build and serialise, per way of typing it.

Every accepted action sends a `state` frame to every socket in the room, shaped
for its person, so this is the frame whose cost matters. Each candidate builds a
typed `state` frame around the same realistic view (partner `a` of a
`daily-checkin` room in its breathing step, both check-ins answered) and turns it
into the text a WebSocket sends; an `ack` frame is measured too. The view itself
is built once, outside the timing: every candidate pays the same for it.

    .venv/bin/python bench/frame_cost.py            # µs per frame for each candidate
    .venv/bin/python bench/frame_cost.py --n 50000  # more rounds

Candidates: a plain dict (what the consumer did before frames were typed), a
frozen slotted dataclass (serialised with the standard json module, by a
hand-written dict and by `dataclasses.asdict`), a msgspec Struct (what Stay ships) and a
pydantic model. `make bench` reports only what ships (`measure_shipped`). The figures and the choice are in
docs/benchmarks.md ("Outgoing frames").
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import timeit
from pathlib import Path
from typing import Any, Literal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import msgspec  # noqa: E402
import pydantic  # noqa: E402

from sessions.engine import apply, new_state, view_for  # noqa: E402
from sessions.protocols.loader import builtin_protocols  # noqa: E402

COMPACT = (",", ":")
NOW = 1_764_170_000_000


def realistic_view() -> tuple[dict, int]:
    """Partner a's view of a daily-checkin room in its breathing step, and its version."""
    state = realistic_state()
    return view_for(state, "a"), state["version"]


def realistic_state() -> dict:
    """A daily-checkin room in its breathing step, both check-ins answered."""
    state = new_state(builtin_protocols()["daily-checkin"], seed=7, now=NOW)
    moments = iter(range(NOW + 1000, NOW + 100_000, 1000))
    inputs = [
        ("server", "seat", {"seat": "a", "name": "Alex", "claimed": True}),
        ("server", "seat", {"seat": "b", "name": "Sam", "claimed": True}),
        ("server", "presence", {"seat": "a", "connected": True}),
        ("server", "presence", {"seat": "b", "connected": True}),
        ("a", "start", {}),
        ("a", "next", {"step": 0}),
        ("b", "next", {"step": 0}),
        ("a", "checkin", {"step": 1, "state": "safe", "intensity": 3, "word": "tired"}),
        ("b", "checkin", {"step": 1, "state": "mobilized", "intensity": 6}),
        ("a", "next", {"step": 1}),
        ("b", "next", {"step": 1}),
    ]
    for actor, action, args in inputs:
        state = apply(state, actor, action, args, next(moments)).state
    return state


# --- the candidates ------------------------------------------------------------------------


def dict_state(view: dict, version: int) -> str:
    frame = {"type": "state", "version": version, "server": NOW, "state": view}
    return json.dumps(frame, separators=COMPACT)


def dict_ack(version: int) -> str:
    return json.dumps({"type": "ack", "rid": "a-1", "version": version}, separators=COMPACT)


@dataclasses.dataclass(frozen=True, slots=True)
class DataclassState:
    version: int
    server: int
    state: dict
    type: Literal["state"] = "state"

    def as_dict(self) -> dict:
        return {
            "type": self.type,
            "version": self.version,
            "server": self.server,
            "state": self.state,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class DataclassAck:
    rid: str | None
    version: int
    type: Literal["ack"] = "ack"

    def as_dict(self) -> dict:
        return {"type": self.type, "rid": self.rid, "version": self.version}


def dataclass_state(view: dict, version: int) -> str:
    return json.dumps(DataclassState(version, NOW, view).as_dict(), separators=COMPACT)


def dataclass_ack(version: int) -> str:
    return json.dumps(DataclassAck("a-1", version).as_dict(), separators=COMPACT)


def dataclass_asdict_state(view: dict, version: int) -> str:
    # `asdict` copies the whole nested state, recursively, before it is serialised.
    return json.dumps(dataclasses.asdict(DataclassState(version, NOW, view)), separators=COMPACT)


def dataclass_asdict_ack(version: int) -> str:
    return json.dumps(dataclasses.asdict(DataclassAck("a-1", version)), separators=COMPACT)


class PydanticState(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(frozen=True, extra="forbid")
    type: Literal["state"] = "state"
    version: int
    server: int
    state: dict[str, Any]


class PydanticAck(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(frozen=True, extra="forbid")
    type: Literal["ack"] = "ack"
    rid: str | None
    version: int


def pydantic_state(view: dict, version: int) -> str:
    return PydanticState(version=version, server=NOW, state=view).model_dump_json()


def pydantic_ack(version: int) -> str:
    return PydanticAck(rid="a-1", version=version).model_dump_json()


CANDIDATES: dict[str, tuple] = {
    "dict + json (untyped, before)": (dict_state, dict_ack),
    "dataclass + json": (dataclass_state, dataclass_ack),
    "dataclass + asdict + json": (dataclass_asdict_state, dataclass_asdict_ack),
    "pydantic model_dump_json": (pydantic_state, pydantic_ack),
}


class MsgspecState(msgspec.Struct, frozen=True, tag="state", tag_field="type"):
    version: int
    server: int
    state: dict[str, Any]


class MsgspecAck(msgspec.Struct, frozen=True, tag="ack", tag_field="type"):
    rid: str | None
    version: int


_encode = msgspec.json.Encoder().encode


def msgspec_state(view: dict, version: int) -> str:
    return _encode(MsgspecState(version, NOW, view)).decode()


def msgspec_ack(version: int) -> str:
    return _encode(MsgspecAck("a-1", version)).decode()


CANDIDATES["msgspec Struct + msgspec.json"] = (msgspec_state, msgspec_ack)


def per_frame_us(call, n: int, repeat: int) -> float:
    """The median over `repeat` runs of the time per call, in µs."""
    runs = timeit.repeat(call, number=n, repeat=repeat)
    return statistics.median(runs) / n * 1e6


def measure_shipped(n: int = 20_000, repeat: int = 5) -> dict:
    """What `make bench` reports: the frame Stay ships, per recipient of one state.

    Each socket of the room shapes the committed state for its person (`view_for`,
    with the `can` list) and sends it as `outgoing.State`; both are timed here.
    """
    from sessions.live import outgoing

    state = realistic_state()
    view = view_for(state, "a")
    version = state["version"]
    return {
        "bytes": len(outgoing.text(outgoing.State(version, NOW, view)).encode()),
        "view_us": per_frame_us(lambda: view_for(state, "a"), n, repeat),
        "encode_us": per_frame_us(
            lambda: outgoing.text(outgoing.State(version, NOW, view)), n, repeat
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="frames per timing run")
    parser.add_argument("--repeat", type=int, default=7, help="timing runs (the median is kept)")
    options = parser.parse_args()

    view, version = realistic_view()
    size = len(dict_state(view, version).encode())
    for name, (state, ack) in CANDIDATES.items():
        # Each candidate must send the same frame: compare the decoded JSON.
        assert json.loads(state(view, version)) == json.loads(dict_state(view, version)), name
        assert json.loads(ack(version)) == json.loads(dict_ack(version)), name
    print(f"python {sys.version.split()[0]}, pydantic {pydantic.VERSION}, ", end="")
    print(f"msgspec {msgspec.__version__}")
    print(f"state frame: {size} bytes of JSON (partner a, breathing step)\n")
    print(f"{'candidate':34} {'state µs/frame':>15} {'ack µs/frame':>13}")
    for name, (state, ack) in CANDIDATES.items():
        state_us = per_frame_us(lambda s=state: s(view, version), options.n, options.repeat)
        ack_us = per_frame_us(lambda a=ack: a(version), options.n, options.repeat)
        print(f"{name:34} {state_us:15.2f} {ack_us:13.2f}")


if __name__ == "__main__":
    main()
