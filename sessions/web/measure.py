"""A partner's private CSI-4 before a hosted session; the answers go to the counselor only.

(Stub: being written for issue 16.)
"""

from django.http import Http404


def measure(request, code: str):
    raise Http404("Not built yet")
