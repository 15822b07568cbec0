"""Create benchmark rooms directly in the database and print their seat cookies as JSON.

Joining 4,000 partners through the HTTP link would take minutes of every run, so
this script does what the join view does, through the same public functions:
`creation.create_session("daily-checkin")`, `seats.claim_seat` for `a` and
`b`, and a Django session holding each browser's seat token under
`access.SEATS_KEY`, exactly as a browser that posted the join form holds it.
The printed `sessionid` cookies are then valid on every server sharing the
database. (The join view itself is covered by the real-time rooms tests.)

Run: `DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... python bench/setup_rooms.py N`
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from sessions.access import SEATS_KEY  # noqa: E402
from sessions.codes import new_seat_token  # noqa: E402
from sessions.store import creation, seats  # noqa: E402

PROTOCOL = "daily-checkin"


def seated_cookie(session, name: str) -> str:
    token = new_seat_token()
    seats.claim_seat(session, name, token)
    browser = SessionStore()
    browser[SEATS_KEY] = {session.code: token}
    browser.create()
    return f"{settings.SESSION_COOKIE_NAME}={browser.session_key}"


def main(count: int) -> None:
    if not 1 <= count <= 10000:
        raise SystemExit(f"room count must be between 1 and 10000; got {count}")
    rooms = []
    for _ in range(count):
        session = creation.create_session(PROTOCOL)
        rooms.append(
            {
                "code": session.code,
                "a": seated_cookie(session, "Alex"),
                "b": seated_cookie(session, "Sam"),
            }
        )
    json.dump(rooms, sys.stdout)


if __name__ == "__main__":
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        raise SystemExit("usage: setup_rooms.py ROOM_COUNT")
    main(int(sys.argv[1]))
