"""Small drawn photos for the demo: a house before, during and after renovation, a portrait
silhouette, a roadside stall; JPEGs with EXIF time and GPS like a phone's, for photos.ingest."""

from __future__ import annotations

import io
import random
from datetime import datetime

from PIL import ExifTags, Image, ImageDraw, ImageFont

HOUSE_SIZE = (640, 480)
PORTRAIT_SIZE = (480, 600)
SKIES = ((135, 190, 235), (160, 200, 230), (190, 210, 225))
GROUNDS = ((96, 140, 70), (120, 150, 80), (140, 120, 80))
CLOTHES = ((40, 70, 120), (120, 40, 50), (40, 100, 70), (90, 60, 110), (60, 60, 60))
HIJABS = ((30, 30, 30), (150, 40, 80), (40, 90, 140), (200, 170, 120), (90, 120, 60))
STAGE_WORDS = {"house_before": "SEBELUM", "house_during": "PROSES", "house_after": "SESUDAH"}


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _jpeg(im: Image.Image, taken: datetime, gps: tuple[float, float] | None) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "muba-desk demo"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken.strftime(
        "%Y:%m:%d %H:%M:%S"
    )
    if gps is not None:
        block = exif.get_ifd(ExifTags.IFD.GPSInfo)
        lat, lon = gps
        block[ExifTags.GPS.GPSLatitudeRef] = "S" if lat < 0 else "N"
        block[ExifTags.GPS.GPSLatitude] = _dms(abs(lat))
        block[ExifTags.GPS.GPSLongitudeRef] = "W" if lon < 0 else "E"
        block[ExifTags.GPS.GPSLongitude] = _dms(abs(lon))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()


def _dms(degrees: float) -> tuple[float, float, float]:
    whole = int(degrees)
    minutes = int((degrees - whole) * 60)
    seconds = round(((degrees - whole) * 60 - minutes) * 60, 2)
    return float(whole), float(minutes), seconds


def _caption(draw: ImageDraw.ImageDraw, size: tuple[int, int], text: str) -> None:
    width, height = size
    draw.rectangle((0, height - 34, width, height), fill=(20, 20, 20))
    draw.text((10, height - 28), text, fill=(240, 240, 240), font=_font(18))


def house(
    rng: random.Random,
    kind: str,
    caption: str,
    taken: datetime,
    gps: tuple[float, float] | None,
) -> bytes:
    """A stilt house as Bertani photographs it from the same spot: `kind` is house_before,
    house_during or house_after."""
    im = Image.new("RGB", HOUSE_SIZE, rng.choice(SKIES))
    draw = ImageDraw.Draw(im)
    width, height = HOUSE_SIZE
    ground_y = 330
    draw.rectangle((0, ground_y, width, height), fill=rng.choice(GROUNDS))
    for x in (40, 560):  # rubber or palm trees either side
        draw.rectangle((x + 18, 200, x + 30, ground_y), fill=(90, 60, 30))
        draw.ellipse((x - 20, 130, x + 70, 230), fill=(40, 110, 50))
    left, right, floor_y, eaves_y = 170, 470, 270, 160
    for post in range(left + 10, right, 70):  # rumah panggung: the floor stands on posts
        draw.rectangle((post, floor_y, post + 10, ground_y + 10), fill=(80, 55, 30))
    if kind == "house_before":
        draw.rectangle((left, eaves_y, right, floor_y), fill=(120, 90, 60))
        for x in range(left, right, 14):  # gaps between old boards
            draw.line((x, eaves_y, x + rng.randint(-3, 3), floor_y), fill=(60, 40, 25), width=2)
        draw.rectangle((300, 190, 340, 240), fill=(30, 25, 20))  # a hole in the wall
        tilt = rng.randint(10, 25)
        draw.polygon(
            [(left - 20, eaves_y + tilt), (right + 20, eaves_y), (330, 80)], fill=(150, 80, 40)
        )
        draw.polygon([(360, 110), (430, 140), (400, 170), (340, 150)], fill=(30, 80, 180))
    elif kind == "house_during":
        draw.rectangle((left, 215, right, floor_y), fill=(170, 80, 60))  # new brick, half high
        for x in range(left, right + 1, 50):  # scaffolding
            draw.line((x, 90, x, floor_y), fill=(150, 120, 70), width=4)
        draw.line((left, 130, right, 130), fill=(150, 120, 70), width=4)
        draw.line((left - 20, eaves_y, 320, 80, right + 20, eaves_y), fill=(120, 90, 50), width=5)
        for i in range(4):  # sacks of cement by the house
            draw.rectangle((60 + i * 28, 300, 84 + i * 28, 330), fill=(200, 200, 190))
    else:
        wall = rng.choice(((240, 230, 200), (230, 240, 230), (250, 245, 235)))
        roof = rng.choice(((170, 50, 40), (60, 110, 70), (60, 80, 140)))
        draw.rectangle((left, eaves_y, right, floor_y), fill=wall)
        draw.polygon([(left - 20, eaves_y), (right + 20, eaves_y), (320, 80)], fill=roof)
        draw.rectangle((300, 200, 345, floor_y), fill=(110, 70, 40))  # door
        for x in (200, 390):  # windows
            draw.rectangle((x, 185, x + 50, 230), fill=(150, 200, 230), outline=(90, 60, 40))
        draw.rectangle((290, floor_y, 355, floor_y + 8), fill=(100, 100, 100))  # steps
    _caption(draw, HOUSE_SIZE, f"{STAGE_WORDS.get(kind, '')} - {caption}")
    return _jpeg(im, taken, gps)


def portrait(rng: random.Random, name: str, sex: str, taken: datetime) -> bytes:
    """A head-and-shoulders silhouette with the name, for the photo on a card."""
    im = Image.new("RGB", PORTRAIT_SIZE, rng.choice(((180, 30, 30), (40, 80, 160))))
    draw = ImageDraw.Draw(im)
    skin = rng.choice(((200, 160, 120), (180, 135, 95), (150, 110, 75)))
    draw.ellipse((90, 380, 390, 660), fill=rng.choice(CLOTHES))  # shoulders
    if sex == "P":
        # A headscarf (jilbab) framing the face, as most women wear for the photo.
        draw.ellipse((140, 110, 340, 400), fill=rng.choice(HIJABS))
        draw.ellipse((180, 160, 300, 320), fill=skin)
    else:
        draw.rectangle((215, 300, 265, 380), fill=skin)  # neck
        draw.ellipse((170, 140, 310, 320), fill=skin)
        draw.chord((165, 125, 315, 250), 180, 360, fill=(25, 20, 20))  # hair
    _caption(draw, PORTRAIT_SIZE, name)
    return _jpeg(im, taken, None)


def stall(rng: random.Random, caption: str, taken: datetime, gps: tuple[float, float]) -> bytes:
    """A small roadside business (warung) with its striped awning, for a PKM file."""
    im = Image.new("RGB", HOUSE_SIZE, rng.choice(SKIES))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 340, 640, 480), fill=(150, 140, 120))
    draw.rectangle((140, 200, 500, 340), fill=(200, 170, 120))  # the stall
    stripe = rng.choice(((200, 40, 40), (40, 120, 60), (40, 70, 160)))
    for i, x in enumerate(range(120, 520, 40)):
        draw.rectangle((x, 150, x + 40, 200), fill=stripe if i % 2 else (240, 240, 240))
    for i in range(6):  # goods on the counter
        draw.rectangle((170 + i * 52, 250, 205 + i * 52, 290), fill=rng.choice(CLOTHES))
    draw.text((160, 110), "WARUNG", fill=(30, 30, 30), font=_font(32))
    _caption(draw, HOUSE_SIZE, caption)
    return _jpeg(im, taken, gps)
