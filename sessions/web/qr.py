"""QR codes for the join link, as inline SVG (no image request, nothing inline-styled)."""

from __future__ import annotations

import io

import segno
from django.utils.translation import gettext


def svg_for(url: str, *, scale: int = 4) -> str:
    """An SVG QR code for `url`, safe to place inline under the page's CSP.

    Medium error correction survives a slightly smudged phone screen; segno writes
    colours as attributes, not `style=`, so `style-src 'self'` does not block it.
    """
    if not isinstance(url, str) or not url:
        raise ValueError("a QR code needs a non-empty link")
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer,
        kind="svg",
        scale=scale,
        border=2,
        xmldecl=False,
        svgns=True,
        omitsize=True,
        title=gettext("Session link"),
        dark="#1e292d",
        light="#ffffff",
    )
    return buffer.getvalue().decode()
