"""A counselor's couples: the list, a couple's page, its standing link, practice and exports.

(Stub: being written for issue 16.)
"""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404("Not built yet")


couple_list = couple_create = couple_page = couple_edit = couple_delete = _todo
couple_link = couple_session_new = practice_assign = practice_stop = couple_export = _todo
