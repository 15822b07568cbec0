"""Draw Stay's app icons (static/icons/*.png): run once when the design changes.

The icons are committed like any image; this script is how they were made, so a new
design is one edit and one run: `.venv/bin/pip install pillow && .venv/bin/python
docs/icons/make_icons.py`. Two soft, overlapping circles (two people, close, each still
themselves) on the room's calm teal; nothing on it says what the app is for, so a home
screen shows nothing sensitive. The maskable icon keeps its drawing inside the 80 % safe
zone that Android crops to.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[2] / "static" / "icons"
TEAL = (29, 92, 99, 255)  # --accent in static/css/stay.css, the manifest's theme colour
LEFT = (217, 235, 232, 235)  # --accent-soft
RIGHT = (246, 244, 239, 215)  # --bg
SCALE = 4  # drawn large and scaled down, for smooth edges without anti-aliasing support


def draw(size: int, *, maskable: bool = False, rounded: bool = True) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable or not rounded:
        pen.rectangle((0, 0, big, big), fill=TEAL)
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=TEAL)
    # Within the safe zone for a maskable icon (a circle of 80 % of the side), else 90 %.
    room = 0.62 if maskable else 0.78
    radius = big * room / 3.1
    centre_y = big / 2
    offset = radius * 0.55
    layer = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    ImageDraw.Draw(layer).ellipse(
        (
            big / 2 - offset - radius,
            centre_y - radius,
            big / 2 - offset + radius,
            centre_y + radius,
        ),
        fill=LEFT,
    )
    image = Image.alpha_composite(image, layer)
    layer = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    ImageDraw.Draw(layer).ellipse(
        (
            big / 2 + offset - radius,
            centre_y - radius,
            big / 2 + offset + radius,
            centre_y + radius,
        ),
        fill=RIGHT,
    )
    image = Image.alpha_composite(image, layer)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    # iOS adds its own rounding and ignores transparency: a full square.
    draw(180, rounded=False).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    draw(32).save(OUT / "favicon-32.png", optimize=True)
    print(f"icons written to {OUT}")


if __name__ == "__main__":
    main()
