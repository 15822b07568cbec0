"""An ``info`` step: text everyone reads; anyone may move on with ``next``."""


def enter(state: dict, step: dict, now: int) -> None:
    """Nothing to set up: an info step has no clock and no answers."""


def next_step(state: dict, step: dict, actor: str, args: dict, now: int) -> tuple[list, bool]:
    return [], True
