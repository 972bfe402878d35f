"""No text overprints: every document, in every layout, with the longest values the rules allow
(`tests/printing/longest.py`), read back with pdfplumber: no two words' boxes overlap, and no
word overlaps an image (the QR codes, the photos)."""

from __future__ import annotations

import itertools

import pdfplumber
import pytest

from muba_desk.printing.receipts import LAYOUTS

SLACK = 0.3  # points: glyph boxes of neighbouring words may touch, never cover each other


def overlaps(a, b) -> bool:
    return (
        a["x0"] < b["x1"] - SLACK
        and b["x0"] < a["x1"] - SLACK
        and a["top"] < b["bottom"] - SLACK
        and b["top"] < a["bottom"] - SLACK
    )


def visible(image, rects) -> dict:
    """The part of an image one sees: a photo is drawn to cover its frame and clipped to it
    (`images.draw_jpeg_cover`), and PDF readers report the whole image; its frame, the
    rectangle drawn inside it, is what shows."""
    inside = [
        r
        for r in rects
        if r["x0"] >= image["x0"] - SLACK
        and r["x1"] <= image["x1"] + SLACK
        and r["top"] >= image["top"] - SLACK
        and r["bottom"] <= image["bottom"] + SLACK
        and (r["x1"] - r["x0"]) * (r["bottom"] - r["top"]) > 0.2 * image["width"] * image["height"]
    ]
    return min(inside, key=lambda r: r["width"] * r["height"]) if inside else image


def collisions(pdf_path) -> list[str]:
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
            for a, b in itertools.combinations(words, 2):
                if overlaps(a, b):
                    found.append(f"page {number}: {a['text']!r} over {b['text']!r}")
            for image in (visible(i, page.rects) for i in page.images):
                for word in words:
                    if overlaps(word, image):
                        found.append(f"page {number}: {word['text']!r} over an image")
            for word in words:
                if word["x0"] < -SLACK or word["x1"] > page.width + SLACK:
                    found.append(f"page {number}: {word['text']!r} off the page")
    return found


NAMES = [
    "cards-a4",
    "cards-card",
    *(
        f"receipt-{key}-{layout}"
        for key in (
            "cash",
            "thumb",
            "proxy",
            "pkm",
            "kelambu",
            "goods30",
            "goods12",
            "bertani",
            "kube",
            "bakul_person",
            "bakul_institution",
        )  # fmt: skip
        for layout in LAYOUTS
    ),
    "bertani",
    "kube",
    "bakul_person",
    "bakul_institution",
    "bakul_july",
]


@pytest.mark.parametrize("name", NAMES)
def test_no_text_overprints_text_or_images(documents, name):
    assert collisions(documents[name]) == []


def test_the_check_sees_an_overprint(tmp_path):
    """The check itself: two words on one spot, and a word on a QR code, are both found."""
    from muba_desk.printing.base import REGULAR, new_canvas
    from muba_desk.printing.images import draw_qr

    out = tmp_path / "bad.pdf"
    canvas = new_canvas(out, (300, 300), "uji")
    canvas.setFont(REGULAR, 10)
    canvas.drawString(20, 250, "Muhammad Rizki")
    canvas.drawString(60, 252, "Pratama")
    draw_qr(canvas, "uji", 100, 50, 80)
    canvas.drawString(120, 90, "Petugas")
    canvas.save()
    found = collisions(out)
    assert "page 1: 'Rizki' over 'Pratama'" in found
    assert "page 1: 'Petugas' over an image" in found
