"""The machinery behind ``tests/engine/test_stateful.py``, kept out of the test file so each
part reads on its own: ``common`` holds the test's own words and the coverage tally, ``inputs``
what people and the server do to a room, ``promises`` what must hold after every input."""
