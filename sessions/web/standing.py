"""A couple's standing link: their current session, or their practice and a calm page.

(Stub: being written for issue 16.)
"""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404("Not built yet")


standing = join_current = start_practice = _todo
