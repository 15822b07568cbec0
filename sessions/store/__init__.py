"""The only code that writes a room, and the one that tells its sockets after a commit.

A room is its session row (state, version, status and bookkeeping), its event log, its
seats, its presence leases, and the marker a deletion by agreement leaves. Nothing outside
this package writes those rows: not a page, the socket, a report, a command or the admin
(`tests/support/room_guard.py` checks every write the tests make). Reading is shared:
pages look up the session row and reports read its event log through ``sessions.models``,
and the admin shows the rows; who holds a seat and who is connected, the pages and the
socket ask of this package (``seats``, ``leases``), which knows what those rows mean.

What belongs here: applying an input through the engine and persisting it
(`rooms.submit`, the one entry point; `hot_path` is its SQL), this process's cached
rows (`recent`), presence leases (`leases`), what an open socket does to a room
(`connections`), seats and their codes (`seats`), creating a session
(`creation`), deleting one by agreement (`deletion`), how long a session is kept and
purging it after (`retention`), what a superuser edits in the admin (`admin_writes`),
and the one place that names a room's channel-layer group and builds its messages
(`broadcast`).

May import ``sessions.engine``, ``sessions.protocols``, ``sessions.models`` and
``sessions.codes``. Never ``sessions.live``, ``sessions.web``, ``sessions.reports``
or ``sessions.access``: sockets and pages call the store, not the other way round.
Only this package imports ``hot_path`` and the engine's ``apply``/``apply_at``/``settle``.
"""
