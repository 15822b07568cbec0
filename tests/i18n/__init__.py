"""Tests that Stay reads whole in a second language, so no string is left unmarked.

``test_catalog_complete`` extracts every marked string from a copy of the source (Django's
``makemessages``, both domains) and checks the committed Spanish catalog translates each
one, with the same placeholders, and compiles. ``test_no_english_left`` renders every page
of ``sessions/web/urls.py`` and the room's worded snapshot in Spanish and looks for English
words left in them. ``tests/browser/test_bilingual_room.py`` plays a bilingual couple in
two real browsers. ``po`` reads PO files; ``english`` holds the stop-words and the scan;
``world`` builds the rooms, couple and workshop the pages are rendered in, and ``pages``
says how each URL is reached.
These tests import Django and the app as any test does; the app imports nothing here.
"""
