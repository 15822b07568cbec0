"""Reading a protocol file for a management command.

Both commands that store protocols keep the file's text as the row's `source`
(the admin and counselor pages edit that text), so they need the text and the
validated doc together, and a refusal must end the command with the loader's
own message, which names the file, the step and the field.
"""

from pathlib import Path

from django.core.management.base import CommandError

from sessions.protocols.loader import ProtocolError, load_protocol_text


def read_protocol(path: Path) -> tuple[str, dict]:
    """The file's text and its validated protocol doc, or CommandError saying what is wrong."""
    if not path.is_file():
        raise CommandError(f"{path}: no such file.")
    text = path.read_text(encoding="utf-8")
    try:
        return text, load_protocol_text(text, source=path.name)
    except ProtocolError as exc:
        raise CommandError(str(exc)) from None
