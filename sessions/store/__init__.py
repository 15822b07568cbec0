"""The only code that reads or writes a room, and tells its sockets after a commit.

What belongs here: applying an input through the engine and persisting it
(`rooms.submit`, the one entry point; `hot_path` is its SQL), this process's cached
rows (`recent`), presence leases (`leases`), what an open socket does to a room
(`connections`), seats and their codes (`seats`), creating a session
(`creation`), deleting one by agreement (`deletion`), how long a session is kept
(`retention`), and the one place that names a room's channel-layer group and
builds its messages (`broadcast`).

May import ``sessions.engine``, ``sessions.protocols``, ``sessions.models`` and
``sessions.codes``. Never ``sessions.live``, ``sessions.web``, ``sessions.reports``
or ``sessions.access``: sockets and pages call the store, not the other way round.
Only this package imports ``hot_path`` and the engine's ``apply``/``apply_at``/``settle``.
"""
