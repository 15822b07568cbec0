from channels.layers import InMemoryChannelLayer


class BrokenLayer(InMemoryChannelLayer):
    """A channel layer whose broker is unreachable."""

    async def send(self, channel, message):
        raise ConnectionError("broker unreachable")
