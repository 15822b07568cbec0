"""What is computed after or about a session: summaries, the counselor's timeline, charts, exports.

Everything here reads a session's stored snapshot and event log and turns it into
plain data or words; nothing here changes a room. The page views only present
what these modules return.

May import ``sessions.engine`` (its vocabulary and wording), the models and
``sessions.protocols``. Never ``sessions.store`` (reports read rows, they do not go
through the room's writer), ``sessions.live`` or ``sessions.web``.
"""
