"""What a superuser changes by hand in the Django admin, written here like every other room write.

`sessions/admin.py` lets a superuser edit a session's bookkeeping (counselor, dates, a
pending request to delete it) and a seat's name and codes, and delete a seat; a room's
state, version, status and event log stay read-only there, and a session cannot be
deleted there at all (its event log cannot). These are the saves and deletes the admin
would make itself, with one care: an edit writes only the fields the form changed, so a
room that moved on while the form was being saved is not put back to the copy the form
read. Nobody in the room is told, as before.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model, QuerySet


def save(row: Model, changed: Iterable[str], *, new: bool) -> None:
    """Save a row the admin's form filled: all of a new one, only the `changed` fields of one
    that exists (none changed: nothing is written)."""
    if new:
        row.save()
        return
    columns = {field.name for field in row._meta.concrete_fields}
    fields = [name for name in changed if name in columns]
    if fields:
        row.save(update_fields=fields)


def delete(rows: Model | QuerySet) -> None:
    """Delete one row or a queryset of them, with what cascades from them."""
    rows.delete()
