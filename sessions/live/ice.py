"""The ICE servers a socket's browser may use for the call: the `call.ice` frame.

Browsers in a call find each other through STUN and, when no direct path exists
(or `STAY_ICE_POLICY=relay` hides their addresses), relay through a TURN server.
A TURN server must not relay for anyone who asks, yet Stay's rooms have no TURN
accounts; so Stay shares a secret with the TURN server (coturn's `use-auth-secret`,
README "Calls") and hands each socket a credential it made with that secret, that
ends by itself: the username is `expiry:role-token` and the password is
`base64(HMAC-SHA1(secret, username))`, which coturn recomputes and refuses once
`expiry` has passed. The secret itself never leaves the server, and nothing here
is stored: a page asks again (`call.ice`) before its credential ends.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

from sessions.live import outgoing


def turn_credential(secret: str, username: str) -> str:
    """coturn's REST-API password for `username`: base64 of HMAC-SHA1 keyed with the secret."""
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def turn_username(role: str, expiry_s: int) -> str:
    """`expiry:role-token`: coturn reads the expiry (Unix seconds) before the colon.

    The role says whose relay it is in coturn's own log; the random token makes every
    credential different, so one cannot stand in for another socket's.
    """
    return f"{expiry_s}:{role}-{secrets.token_urlsafe(6)}"


def ice_frame(role: str, now_ms: int) -> outgoing.CallIce:
    """The `call.ice` frame for a socket of `role`, with a TURN credential from `now_ms` on.

    No configuration gives no servers and `all`: host candidates only, enough on one
    network or one machine. `expires` is when the TURN credential ends (server ms).
    """
    stay = settings.STAY
    servers: list[dict] = []
    if stay["STUN_URLS"]:
        servers.append({"urls": list(stay["STUN_URLS"])})
    expires = None
    if stay["TURN_URLS"]:
        expiry_s = now_ms // 1000 + stay["TURN_TTL_SECONDS"]
        username = turn_username(role, expiry_s)
        servers.append(
            {
                "urls": list(stay["TURN_URLS"]),
                "username": username,
                "credential": turn_credential(stay["TURN_SECRET"], username),
            }
        )
        expires = expiry_s * 1000
    return outgoing.CallIce(ice_servers=servers, policy=stay["ICE_POLICY"], expires=expires)
