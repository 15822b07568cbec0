"""What ``apply`` hands back: an accepted input with its new state, or a typed refusal."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from .language import ENGLISH, Words
from .rejections import rejection_message


@dataclass(frozen=True)
class Accepted:
    """The input was taken. When nothing changed, ``state`` keeps its version and
    ``events`` is empty, so callers can skip writing and broadcasting."""

    state: dict
    events: tuple = field(default=())


@dataclass(frozen=True)
class Rejected:
    """The input changed nothing; ``code`` is one of ``REJECTION_CODES``, ``message`` the
    English sentence. ``template`` and ``params`` word it again for a reader in another
    language: ``worded(words)``."""

    code: str
    message: str
    template: str | None = field(default=None, compare=False)
    params: Mapping = field(default_factory=dict, compare=False)

    def worded(self, words: Words = ENGLISH) -> str:
        """The message in ``words``' language (the same sentence, with the same names)."""
        return rejection_message(self.code, words, self.template or self.message, self.params)
