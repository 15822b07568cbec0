"""Protocols as data: TOML documents validated into the dict the engine runs."""

from .loader import (
    ProtocolError,
    builtin_protocols,
    load_protocol_data,
    load_protocol_file,
    load_protocol_text,
    step_count,
)

__all__ = [
    "ProtocolError",
    "builtin_protocols",
    "load_protocol_data",
    "load_protocol_file",
    "load_protocol_text",
    "step_count",
]
