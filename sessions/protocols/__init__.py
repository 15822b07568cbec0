"""Protocols as data: TOML documents validated into the dict the engine runs.

Holds the built-in documents and the validation that gives an author a clear message for
each broken rule. It may import pydantic and the standard library, nothing else from
``sessions``: the engine, the store and the pages all read documents through it.
"""

from .loader import (
    ProtocolError,
    builtin_protocols,
    load_protocol_data,
    load_protocol_file,
    load_protocol_text,
    step_count,
)
from .texts import SUPPORTED, in_language

__all__ = [
    "SUPPORTED",
    "ProtocolError",
    "builtin_protocols",
    "in_language",
    "load_protocol_data",
    "load_protocol_file",
    "load_protocol_text",
    "step_count",
]
