"""What ``apply`` hands back: an accepted input with its new state, or a typed refusal."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Accepted:
    """The input was taken. When nothing changed, ``state`` keeps its version and
    ``events`` is empty, so callers can skip writing and broadcasting."""

    state: dict
    events: tuple = field(default=())


@dataclass(frozen=True)
class Rejected:
    """The input changed nothing; ``code`` is one of ``REJECTION_CODES``."""

    code: str
    message: str
