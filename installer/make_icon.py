"""Draw the app icon (a white house on a teal tile) into resources/icons/ with Pillow.

Run once when the design changes; the PNG and ICO it writes are committed:

    .venv/bin/python installer/make_icon.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
SIZE = 256
TEAL = (15, 118, 110, 255)
WHITE = (255, 255, 255, 255)
GOLD = (245, 158, 11, 255)
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw(size: int = SIZE) -> Image.Image:
    """Drawn at 4x and scaled down, so the small sizes stay smooth."""
    big = size * 4
    s = big / 256
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    d.rounded_rectangle((8 * s, 8 * s, 248 * s, 248 * s), radius=44 * s, fill=TEAL)
    # The roof, the house and its door: a household, what the registry is about.
    d.polygon([(128 * s, 40 * s), (220 * s, 118 * s), (36 * s, 118 * s)], fill=WHITE)
    d.rectangle((62 * s, 112 * s, 194 * s, 206 * s), fill=WHITE)
    d.rectangle((110 * s, 142 * s, 146 * s, 206 * s), fill=TEAL)
    # A gold band under the house: the aid handed over.
    d.rounded_rectangle((48 * s, 214 * s, 208 * s, 228 * s), radius=7 * s, fill=GOLD)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    icon = draw()
    icon.save(OUT / "muba-desk.png", optimize=True)
    icon.save(OUT / "muba-desk.ico", sizes=ICO_SIZES)
    print(f"wrote {OUT / 'muba-desk.png'} and {OUT / 'muba-desk.ico'}")


if __name__ == "__main__":
    main()
