"""The people the tests are about, so every file tells the same story with the same names.

* Alex (seat ``a``) and Sam (seat ``b``) are the couple.
* Dana is a counselor: she hosts the couple's sessions and writes her own protocols.
* Robin is another counselor, who must never see or touch what is Dana's.
* Riley is a stranger: someone holding only the link, a link preview, or a new device knocking
  on a seat that may or may not be Sam's new phone. Riley never signs in.

``tests/conftest.py`` hands these out as fixtures; pure tests (the engine's) import the names.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

PASSWORD = "calm-harbour-lantern-42"
"""Every counselor's password: long enough for the password validators."""

COUNSELOR = "dana"
OTHER_COUNSELOR = "robin"
STRANGER = "Riley"


@dataclass(frozen=True)
class Partner:
    """One of the couple: the name they give and the seat it takes when they join first."""

    name: str
    seat: str

    def join(self, code: str) -> Client:
        """A browser of their own that joined room ``code`` through the shared link."""
        return join_as(self.name, code)


ALEX = Partner("Alex", "a")
SAM = Partner("Sam", "b")
NAMES = {ALEX.seat: ALEX.name, SAM.seat: SAM.name}


@dataclass(frozen=True)
class Couple:
    alex: Partner = ALEX
    sam: Partner = SAM

    @property
    def names(self) -> dict[str, str]:
        """Each seat's name, as the engine keeps them."""
        return {self.alex.seat: self.alex.name, self.sam.seat: self.sam.name}

    def join(self, code: str) -> tuple[Client, Client]:
        """Alex's browser, then Sam's, each joined in that order (Alex takes seat a)."""
        return self.alex.join(code), self.sam.join(code)


def join_as(name: str, code: str) -> Client:
    """A partner's own browser joining through the shared link."""
    client = Client()
    response = client.post(f"/j/{code}/", {"display_name": name})
    assert response.status_code == 302, response.content[:500]
    assert response["Location"].endswith(f"/s/{code}/")
    return client


def signed_in(user) -> Client:
    """A browser signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client
