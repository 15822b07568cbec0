"""Channel layer for the embedded default (no Redis).

Placeholder: the stock in-memory layer. The benchmarks issue replaces it with
one whose per-message cost does not grow with the number of open sockets.
"""

from channels.layers import InMemoryChannelLayer


class FastInMemoryChannelLayer(InMemoryChannelLayer):
    pass
