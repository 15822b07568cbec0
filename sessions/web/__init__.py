"""HTTP: the one URL map and every page, grouped by who uses it.

What belongs here: the URL map (``urls``), the page views (``joining`` for taking a
seat, ``new_device`` for continuing on another device, ``room_page`` for the room
and leaving a seat, ``partners`` for the pages around the room, ``counselor`` and
``invite`` for counselors, ``health``), and the small non-view helpers they share
(``responses``, ``browser_memory``, ``forms``, ``form_fields``, ``links``, ``qr``,
``context``, and ``language_choice``: the language a form chose, and its cookie);
``languages`` serves the scripts' catalog and the footer's language picker. No view
module imports another view module; what two views share goes in a helper.

May import ``sessions.store``, ``sessions.engine``, ``sessions.reports``,
``sessions.access``, ``sessions.codes``, ``sessions.throttle``,
``sessions.protocols`` and the models. Never ``sessions.live``: a page that
changes a room tells its sockets through ``sessions.store.broadcast``.
"""
