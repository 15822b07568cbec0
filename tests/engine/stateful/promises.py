"""What must hold after every input, whoever sent it: who may move a step, what a pause
keeps still, how a knock is answered, and what every state and every snapshot may contain.
Mixed into the state machine: reads ``self.hosted``, ``self.now``; counts in ``REACHED``.
"""

from __future__ import annotations

import json

from hypothesis import event

from sessions.engine import REJECTION_CODES, view_for
from tests.engine.stateful.common import (
    ACTORS,
    KNOWN_ACTIONS,
    LADDER,
    OTHER,
    PARTNERS,
    PEOPLE,
    PHASES,
    REACHED,
    SERVER_ACTIONS,
    SETTINGS,
    STEP_ACTIONS,
    TAP_KINDS,
    TERMINAL,
    answers_at,
    canonical,
    current_step,
    intensity_kept,
    plain,
    shown_answer,
)


class Promises:
    """The checks, called by the machine after each input it sends."""

    def check_rejection(self, actor, action, result, old=None):
        assert result.code in REJECTION_CODES, f"unknown rejection code {result.code!r}"
        knock = old["knock"] if old is not None else None
        if action == "let_in" and knock is not None and actor == knock["seat"]:
            assert result.code in ("not_your_turn", "bad_args"), result.code
            if result.code == "not_your_turn":
                REACHED["rejected:not_your_turn for the knocked seat"] += 1
        assert isinstance(result.message, str) and result.message.strip(), "empty message"
        REACHED[f"rejected:{result.code}"] += 1
        if action not in KNOWN_ACTIONS or (action in SERVER_ACTIONS and actor != "server"):
            assert result.code == "unknown_action", (
                f"{action!r} from {actor} should be unknown_action, got {result.code}"
            )

    def check_transition(self, old, new, actor, action, args, now, events):
        """Rules about who may change what; only called when the state really changed."""
        was, now_status = old["status"], new["status"]
        step = current_step(old)
        kind = step["kind"] if step else None

        assert actor in ACTORS, f"an input from unknown actor {actor!r} was accepted"
        if action in SERVER_ACTIONS:
            assert actor == "server", f"{action} from {actor} was accepted"
        assert action in KNOWN_ACTIONS, f"unknown action {action!r} was accepted"

        # Terminal statuses stay terminal, and their step never moves.
        if was in TERMINAL:
            assert now_status == was, f"{action} by {actor} moved a {was} session to {now_status}"
            assert (new["index"], new["phase"]) == (old["index"], old["phase"])

        # Step actions only land on the step (and phase) they were meant for.
        if action in STEP_ACTIONS and actor != "server":
            assert type(args.get("step")) is int, (
                f"{action} accepted with step={args.get('step')!r}"
            )
            assert args["step"] == old["index"], (
                f"{action} meant for step {args['step']} landed on step {old['index']}"
            )
            if kind == "reflect" and action in ("done", "answer"):
                assert args.get("phase") == old["phase"], (
                    f"{action} meant for phase {args.get('phase')!r} landed in {old['phase']}"
                )

        # In speak and reflect steps, only the floor holder and the listener move things.
        if was == "active" and kind in ("speak", "reflect") and action in STEP_ACTIONS:
            floor = step["floor"]
            if action in ("skip", "back"):
                assert actor == "host"
            elif kind == "speak":
                assert (actor, action) == (floor, "done"), (
                    f"{actor} {action} moved a speak step where {floor} holds the floor"
                )
            elif old["phase"] == "check":
                assert (actor, action) == (floor, "answer"), (
                    f"{actor} {action} moved the check phase; only speaker {floor} answers"
                )
            else:
                assert (actor, action) == (OTHER[floor], "done"), (
                    f"{actor} {action} moved {old['phase']}; only listener {OTHER[floor]} does"
                )

        if action in ("skip", "back"):
            assert actor == "host", f"{action} accepted from {actor}"
            REACHED["host skipped" if action == "skip" else "host went back"] += 1

        if action == "start":
            assert was == "waiting"
            assert all(old["seats"][s]["claimed"] for s in PARTNERS), "started without both seats"
            expected = ("host",) if self.hosted else PARTNERS
            assert actor in expected, f"{actor} started a {'hosted' if self.hosted else ''} room"

        if action == "checkin":
            assert actor in PARTNERS
            assert args.get("state") in LADDER
            assert intensity_kept(args, answers_at(new, old["index"])[actor]), f"{args!r}"
            word = args.get("word")
            assert word is None or (isinstance(word, str) and len(word) <= 40), f"word {word!r}"
            assert answers_at(old, old["index"]).get(actor) is None, "answered twice"

        if action == "answer":
            assert args.get("value") in ("yes", "not_quite", "more"), f"answer {args.get('value')}"

        self.check_moving_on(old, new, actor, action, step)
        self.check_door(old, new, actor, action, args)

        # Pauses: who, why, and how they end.
        if action == "pause" and actor != "server":
            assert was == "active" and now_status == "paused"
            assert args.get("reason", "need_a_moment") in ("need_a_moment", "flooding")
            pause = new["pause"]
            assert pause["by"] == actor and pause["since"] == now
            assert pause["reason"] == args.get("reason", "need_a_moment")
            if pause["reason"] == "flooding":
                assert pause["suggest_break_minutes"] == SETTINGS["break_minutes"]
        if now_status == "paused" and was != "paused":
            assert new["pause"] is not None
            REACHED[f"paused:{new['pause']['reason']}"] += 1
            event(f"paused:{new['pause']['reason']}")
        if was == "paused" and not self.caught_up(old, new):
            assert (new["index"], new["phase"]) == (old["index"], old["phase"]), (
                f"{actor} {action} moved the step while paused"
            )
            if now_status == "paused":
                assert new["remaining"] == old["remaining"], "time ran out while paused"
                assert new["over_time"] == old["over_time"], "a deadline fired while paused"
        if was == "paused" and now_status == "active" and action != "resume":
            assert action == "ready" and actor in PARTNERS, f"{actor} {action} ended a pause"
            readies = set(old["pause"]["ready"]) | {actor}
            assert readies >= set(PARTNERS), f"resumed with only {sorted(readies)} ready"
            assert new["pause"] is None
            thawed = not (self.caught_up(old, new) or self.is_held(old))
            if kind in ("speak", "reflect") and old["remaining"] and thawed:
                assert new["deadline"] == now + old["remaining"], "the clock did not continue"
            if kind == "breathe" and thawed:
                schedule = new["breathing"]
                assert schedule["start"] == now + SETTINGS["lead_in_ms"], "no fresh lead-in"
                assert 1 <= schedule["cycles"] <= step["cycles"]
            REACHED["resumed"] += 1
        dropped = action == "presence" and not args["connected"] and args["seat"] in PARTNERS
        if dropped and was == "paused":
            assert args["seat"] not in new["pause"]["ready"], "a dropped partner stayed ready"
        if action == "tick" and now_status == "paused" and was == "active":
            pause = new["pause"]
            assert pause["reason"] == "connection"
            gone = old["seats"][pause["seat"]]["gone_since"]
            assert gone is not None and now >= gone + SETTINGS["grace_ms"], (
                f"paused for connection at {now}, gone since {gone}, grace {SETTINGS['grace_ms']}"
            )

        # Seats: a new claimer never inherits answers; releasing a seat pauses an active room.
        if action == "seat":
            seat = args["seat"]
            if args["claimed"]:
                for idx, answers in new["checkins"].items():
                    assert answers.get(seat) is None, f"new claimer of {seat} inherited step {idx}"
                if old["seats"][seat]["claimed"]:
                    REACHED["seat taken over"] += 1
            elif was == "active":
                assert now_status == "paused" and new["pause"]["reason"] == "connection"
                assert new["pause"]["seat"] == seat

        if action == "end":
            assert now_status == "ended" and new["pause"] is None
            REACHED["ended"] += 1

        # Ticks never cut a speaker off or skip a reflect phase.
        if action == "tick" and kind in ("speak", "reflect", "info", "checkin"):
            assert (new["index"], new["phase"]) == (old["index"], old["phase"]), (
                f"a tick moved a {kind} step on"
            )
        if action == "tick" and kind == "speak" and new["over_time"] and not old["over_time"]:
            REACHED["speak over time"] += 1
        if action == "tick" and kind == "breathe" and new["index"] != old["index"]:
            schedule = old["breathing"]
            length = sum(schedule["pattern"].values()) * schedule["cycles"] * 1000
            assert now >= schedule["start"] + length - 1, "breathing ended before its schedule"
            REACHED["breathing ended on schedule"] += 1
        if action == "sit_out":
            assert kind == "breathe" and actor in PARTNERS
            REACHED["sat out breathing"] += 1

        # Reflect phases follow mirror -> check -> validate -> empathize, with the loop back.
        same_step = new["index"] == old["index"] and not self.is_held(new)
        if kind == "reflect" and same_step and new["phase"] != old["phase"]:
            allowed = {
                "mirror": {"check"},
                "check": {"validate", "mirror"},
                "validate": {"empathize"},
            }.get(old["phase"], set())
            assert new["phase"] in allowed, f"reflect jumped {old['phase']} -> {new['phase']}"
            if new["phase"] == "mirror":
                assert args.get("value") in ("not_quite", "more")
                REACHED["reflect back to mirror"] += 1
            if new["phase"] == "validate":
                assert args.get("value") == "yes"

        # Entering a step starts it fresh.
        entered = current_step(new)
        if new["index"] != old["index"] and now_status == "active" and entered:
            if entered["kind"] == "reflect":
                assert new["phase"] == "mirror", f"reflect step entered at {new['phase']}"
            if entered["kind"] == "checkin":
                fresh = answers_at(new, new["index"])
                assert all(v is None for v in fresh.values()), "a check-in step kept old answers"
            if entered["kind"] == "breathe":
                assert new["breathing"]["start"] == now + SETTINGS["lead_in_ms"]

        # Coverage bookkeeping.
        if now_status == "active" and entered:
            if new["index"] != old["index"] or was != "active":
                REACHED[f"step:{entered['kind']}"] += 1
                if entered["kind"] == "speak":
                    REACHED[f"speak floor:{entered['floor']}"] += 1
            if entered["kind"] == "reflect" and (new["phase"], new["index"]) != (
                old["phase"],
                old["index"],
            ):
                REACHED[f"phase:{new['phase']}"] += 1
            answers = answers_at(new, new["index"])
            if entered["kind"] == "checkin" and action == "checkin" and all(answers.values()):
                REACHED["checkin revealed"] += 1
        if now_status == "completed" and was != "completed":
            REACHED[f"completed:{'hosted' if self.hosted else 'unhosted'}"] += 1
            event("completed")
            assert {"type": "completed"} in events

    def check_moving_on(self, old, new, actor, action, step):
        """Nobody is carried on: a ``both`` step moves at a partner's tap only when the other
        partner had tapped already; ``not_yet`` never moves anything."""
        moved = (new["index"], new["status"]) != (old["index"], old["status"])
        moved = moved or self.newly_held(old, new)  # over, and held at the group's step
        rule = step.get("advance") if step else None
        if action == "next" and old["status"] == "active":
            assert step["kind"] in TAP_KINDS, f"next moved a {step['kind']} step"
            if actor == "host":
                assert moved, "the counselor's next did not move the room"
                REACHED["counselor moved the room on"] += 1
            elif rule == "both" and moved:
                assert OTHER[actor] in old["moving_on"], (
                    f"{actor}'s next moved a both step on though {OTHER[actor]} had not tapped"
                )
                REACHED["moved on together"] += 1
            elif rule == "both":
                assert new["moving_on"] == sorted({*old["moving_on"], actor})
                REACHED["waiting for the other to move on"] += 1
            else:
                assert rule == "either" and moved, f"an {rule} step did not move at one tap"
                REACHED["either step moved at one tap"] += 1
        if action == "not_yet":
            assert actor in PARTNERS and not moved, f"{actor}'s not_yet moved the room"
            assert new["moving_on"] == [s for s in old["moving_on"] if s != actor]
            REACHED["took a tap back"] += 1
        if new["moving_on"] != old["moving_on"] and not moved:
            assert action in ("next", "not_yet", "seat"), f"{action} changed moving_on"
            if action == "seat":
                assert set(new["moving_on"]) <= set(old["moving_on"]), "a seat input added a tap"

    def check_door(self, old, new, actor, action, args):
        """Knocks are answered by the other partner or the counselor, once; forget only after
        the end."""
        before, after = old["knock"], new["knock"]
        if action == "knock":
            assert old["status"] not in TERMINAL, "a finished session took a knock"
            assert old["seats"][args["seat"]]["claimed"], "a knock on a seat nobody holds"
            assert after == {
                "seat": args["seat"],
                "id": args["id"],
                "at": self.now,
                "answer": None,
            }
            REACHED["knocked"] += 1
        if action == "let_in":
            assert before is not None and args["id"] == before["id"], "an answer to no knock"
            assert actor in PEOPLE and actor != before["seat"], (
                f"{actor} answered the knock on seat {before['seat']}"
            )
            assert before["answer"] is None and after["answer"] == args["answer"]
            REACHED["let in" if args["answer"] == "yes" else "kept out"] += 1
        same_knock = (
            before is not None
            and after is not None
            and (before["seat"], before["id"]) == (after["seat"], after["id"])
        )
        if same_knock and before["answer"] != after["answer"]:
            assert action == "let_in", f"{action} changed the answer to a knock"
        if before is not None and after is None and action == "seat":
            assert args["seat"] == before["seat"], "a seat input cleared another seat's knock"
            REACHED["knock cleared by a seat input"] += 1
        if action == "seat" and after is not None:
            assert after["seat"] != args["seat"], "a seat input left a knock on that seat"
        if action == "forget":
            assert old["status"] in TERMINAL, f"forget landed in a {old['status']} session"
            assert new["seats"][args["seat"]]["forgotten"]
            REACHED["forgot"] += 1

    def check_state(self, state):
        """What must hold of every state, however it was reached."""
        assert json.loads(self.state_json) == state, "the state does not survive JSON exactly"
        status = state["status"]
        assert status in ("waiting", "active", "paused", "completed", "ended")
        assert type(state["version"]) is int
        if status == "paused":
            assert state["pause"] is not None, "paused without a pause record"
            assert state["deadline"] is None, "a deadline is set while paused"
            assert state["breathing"] is None, "the breathing schedule runs while paused"
            assert set(state["pause"]["ready"]) <= set(PARTNERS)
        else:
            assert state["pause"] is None, f"a pause record while {status}"
        moving = state["moving_on"]
        assert moving == sorted(set(moving)) and set(moving) <= set(PARTNERS), moving
        if moving:
            step = current_step(state)
            assert status in ("active", "paused"), f"moving_on {moving} while {status}"
            assert step["kind"] in TAP_KINDS and step["advance"] == "both", (
                f"moving_on {moving} on a {step['kind']} step ({step['advance']})"
            )
        knock = state["knock"]
        if knock is not None:
            assert status not in TERMINAL, f"a knock left open in a {status} session"
            assert knock["seat"] in PARTNERS and knock["answer"] in (None, "yes", "no")
            assert state["seats"][knock["seat"]]["claimed"], "a knock on a seat nobody holds"
        for seat in PARTNERS:
            place = state["seats"][seat]
            if place["forgotten"]:
                assert status in TERMINAL and place["name"] is None
                assert all(answers[seat] is None for answers in state["checkins"].values())
            assert place["name"] is None or plain(place["name"]), f"name {place['name']!r}"
        for answers in state["checkins"].values():
            for answer in answers.values():
                word = (answer or {}).get("word")
                assert word is None or plain(word), f"word {word!r}"
        if status in ("active", "paused"):
            step = current_step(state)
            assert step is not None, f"index {state['index']} is outside the protocol"
            if step["kind"] == "reflect" and not self.is_held(state):  # held: the step is over
                assert state["phase"] in PHASES
                assert step["floor"] in PARTNERS
            else:
                assert state["phase"] is None, f"phase {state['phase']} in a {step['kind']} step"
            if step["kind"] == "speak":
                assert step["floor"] in PARTNERS

        roles = PEOPLE if self.hosted else PARTNERS
        for role in roles:
            view = view_for(state, role)
            assert json.loads(canonical(view)) == view, f"{role}'s snapshot does not survive JSON"
            assert view["you"] == role and view["version"] == state["version"]
            assert view["status"] == status
            assert view["step"]["moving_on"] == moving
            call = view["call"]
            # The call follows the room: every microphone off in any pause, cameras too and no
            # unmuting in a flooding break, and nothing held off once the room runs again.
            assert call["microphones_off"] == (status == "paused"), f"call {call} while {status}"
            flooding = status == "paused" and state["pause"]["reason"] == "flooding"
            assert call["cameras_off"] == flooding, f"cameras_off {call} in {state['pause']}"
            assert call["own_unmute"] == (status == "paused" and not flooding)
            if status == "paused":
                assert call["since"] == state["pause"]["since"] and call["line"]
            else:
                assert call["since"] is None and call["line"] is None
            if knock is None or role == knock["seat"]:
                assert view["knock"] is None, f"{role} sees a knock they must not"
            else:
                assert view["knock"] == {k: knock[k] for k in ("seat", "id", "answer")}
            if status in ("active", "paused") and current_step(state)["kind"] == "checkin":
                answers = answers_at(state, state["index"])
                answered = [seat for seat in PARTNERS if answers.get(seat) is not None]
                assert sorted(view["step"]["answered"]) == answered, "wrong 'answered' list"
            for idx, answers in state["checkins"].items():
                shown = view["checkins"].get(idx, {"a": None, "b": None})
                both = answers.get("a") is not None and answers.get("b") is not None
                for seat in PARTNERS:
                    if role in ("host", seat) or both:
                        answer = answers.get(seat)
                        told = None if answer is None else shown_answer(answer)
                        assert shown.get(seat) == told, (
                            f"{role} sees {seat}'s answer at step {idx} wrongly"
                        )
                    else:
                        assert shown.get(seat) is None, (
                            f"{role} saw {seat}'s check-in at step {idx} before both answered"
                        )
