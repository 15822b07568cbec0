"""Stay on a phone's home screen: the web app manifest, the service worker and its offline page.

The worker keeps the app shell only: static files, the scripts' catalogs and the offline
page. It never stores a session's data or any page whose URL carries a code (a join link, a
room, a couple's link): those always come from the network, and when the network is gone
the person sees the calm offline page instead, at the same address, so "try again" is a
reload, and in the language the person last read Stay in (the worker remembers the
``Content-Language`` of their last page). The shell is fetched network first, the cache
only standing in when offline, so a deploy never shows old scripts with new pages; the
worker's bytes carry a fingerprint of the static files, the compiled catalogs and the
offline page's templates, so a deploy that changes any of them installs a new worker
that drops the old cache.
"""

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

# The app's colours (static/css/stay.css): the teal of its buttons and the paper background.
THEME_COLOUR = "#1d5c63"
BACKGROUND_COLOUR = "#f6f4ef"

# Static folders the worker keeps; nothing else under static/ is needed to draw a page.
SHELL_FOLDERS = ("css", "js", "icons")

ICONS = [
    {"src": "icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
    {"src": "icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
    {
        "src": "icons/icon-maskable-512.png",
        "sizes": "512x512",
        "type": "image/png",
        "purpose": "maskable",
    },
]


@require_GET
def manifest(request):
    """The manifest a browser reads to install Stay: named "Stay" and nothing more telling."""
    data = {
        "name": "Stay",
        "short_name": "Stay",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [{**icon, "src": static(icon["src"])} for icon in ICONS],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


# Besides the static files, what the cached shell is made of: the words and the offline page.
FINGERPRINTED_TEMPLATES = ("offline.html", "base.html", "service-worker.js")


@cache
def _shell() -> tuple[list[str], str]:
    """The static files the worker keeps, and a fingerprint of everything it caches."""
    urls, digest = [], hashlib.sha256()
    for locale in settings.LOCALE_PATHS:
        for path in sorted(Path(locale).rglob("*.mo")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    for name in FINGERPRINTED_TEMPLATES:
        digest.update((Path(settings.BASE_DIR) / "templates" / name).read_bytes())
    for folder in SHELL_FOLDERS:
        found = finders.find(folder)
        if not found:
            continue
        root = Path(found)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            relative = f"{folder}/{path.relative_to(root).as_posix()}"
            urls.append(static(relative))
            digest.update(relative.encode())
            digest.update(path.read_bytes())
    return urls, digest.hexdigest()[:16]


@require_GET
def service_worker(request):
    """The worker script, served at the site's root so its scope is the whole site."""
    urls, version = _shell()
    codes = [code for code, _name in settings.LANGUAGES]
    catalogs = [reverse("js-catalog", args=[code]) for code in codes]
    offline = {code: reverse("offline-in", args=[code]) for code in codes}
    script = (
        f"const VERSION = {json.dumps(version)};\n"
        f"const OFFLINE_PAGES = {json.dumps(offline)};\n"
        f"const DEFAULT_LANGUAGE = {json.dumps(settings.LANGUAGE_CODE)};\n"
        f"const SHELL = {json.dumps([*offline.values(), *catalogs, *urls])};\n"
        f"const STATIC_PREFIXES = {json.dumps([settings.STATIC_URL, '/jsi18n/'])};\n"
    )
    body = script + _worker_source()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Browsers check a worker for updates on navigation; never let a cache delay a deploy.
    response["Cache-Control"] = "no-cache"
    return response


@cache
def _worker_source() -> str:
    return (Path(settings.BASE_DIR) / "templates" / "service-worker.js").read_text()


@require_GET
def offline(request, lang: str | None = None):
    """What the worker shows when a page cannot be reached: the session is safe.

    The worker keeps one per language (``offline/<lang>/``) and shows the one its person
    last read Stay in; ``offline/`` is the same page in the visitor's own language.
    """
    if lang is None:
        return render(request, "offline.html")
    if lang not in {code for code, _name in settings.LANGUAGES}:
        raise Http404("No such language.")
    with translation.override(lang):
        response = render(request, "offline.html")
    response["Content-Language"] = lang
    return response
