"""Create benchmark workshops directly in the database and print their cookies as JSON.

What the workshop's door and the facilitator's pages do, through the same store
functions (`sessions.store.workshops`): a facilitator (a user, and a Django session
signed in as that user, as the login view leaves it), `create_workshop` (host-paced,
`PROTOCOL`), then per couple `start_couple` for Alex (seat a, the room and its pairing
word) and `join_partner` for Sam (seat b), each browser a Django session holding its
seat token under `access.SEATS_KEY` as the door's `grant_seat` leaves it; finally
`start_all`, so every room is under way at the group's first step. The printed
`sessionid` cookies are valid on every server sharing the database. (The door and the
console pages have their own tests; joining 1,200 partners over HTTP would take most
of a run.)

Prints `{"facilitator": cookie, "steps": n, "workshops": [{"id", "rooms": [{"code",
"a", "b"}]}]}`.

Run: `DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... python bench/setup_workshop.py W C`
"""

import json
import os
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from sessions.access import SEATS_KEY  # noqa: E402
from sessions.codes import new_seat_token  # noqa: E402
from sessions.models import MAX_WORKSHOP_COUPLES  # noqa: E402
from sessions.store import workshops  # noqa: E402
from sessions.store.workshop_console import step_titles  # noqa: E402

# The built-in protocol with the most steps (7, 9 once each partner's turns are
# unrolled): enough for several "next step for everyone" from one workshop.
PROTOCOL = "intentional-dialogue"
MAX_WORKSHOPS = 20


def cookie(browser: SessionStore) -> str:
    browser.create()
    return f"{settings.SESSION_COOKIE_NAME}={browser.session_key}"


def signed_in_cookie(user) -> str:
    """A browser signed in as `user`, exactly what `django.contrib.auth.login` stores."""
    browser = SessionStore()
    browser[SESSION_KEY] = str(user.pk)
    browser[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    browser[HASH_SESSION_KEY] = user.get_session_auth_hash()
    return cookie(browser)


def seat_cookie(code: str, token: str) -> str:
    browser = SessionStore()
    browser[SEATS_KEY] = {code: token}
    return cookie(browser)


def main(count: int, couples: int) -> None:
    if not 1 <= count <= MAX_WORKSHOPS:
        raise SystemExit(f"workshop count must be between 1 and {MAX_WORKSHOPS}; got {count}")
    if not 1 <= couples <= MAX_WORKSHOP_COUPLES:
        raise SystemExit(f"couples must be between 1 and {MAX_WORKSHOP_COUPLES}; got {couples}")
    user = get_user_model().objects.create_user(
        username=f"bench-{uuid.uuid4().hex[:10]}", password=uuid.uuid4().hex, first_name="Dana"
    )
    out = {"facilitator": signed_in_cookie(user), "workshops": []}
    for n in range(count):
        workshop = workshops.create_workshop(
            user,
            protocol_slug=PROTOCOL,
            title=f"Bench workshop {n + 1}",
            max_couples=couples,
            paced=True,
        )
        rooms = []
        for _ in range(couples):
            token_a, token_b = new_seat_token(), new_seat_token()
            room = workshops.start_couple(workshop, "Alex", token_a)
            workshops.join_partner(workshop, room, "Sam", token_b)
            rooms.append(
                {
                    "code": room.code,
                    "a": seat_cookie(room.code, token_a),
                    "b": seat_cookie(room.code, token_b),
                }
            )
        started = workshops.start_all(workshop)
        if started != couples:
            raise SystemExit(f"start_all started {started} of {couples} rooms")
        out["workshops"].append({"id": workshop.pk, "rooms": rooms})
        out["steps"] = len(step_titles(workshop))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    if len(sys.argv) != 3 or not all(arg.isdigit() for arg in sys.argv[1:]):
        raise SystemExit("usage: setup_workshop.py WORKSHOPS COUPLES")
    main(int(sys.argv[1]), int(sys.argv[2]))
