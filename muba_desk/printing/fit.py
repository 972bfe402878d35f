"""Fitting text into its box: the rule every printed document follows.

Every text on paper has a box: a left or centre or right anchor, a baseline and a width. A value
either shrinks down to a floor size (`fit_line`), wraps to a line limit (`fit_block`,
`wrap_lines`), or continues on the next page (goods lists and tables: the document's own
flow). It never runs past its width. Places that belong to something else (signatures, the QR
code, the meterai box, a photo) are reserved on the `Page`; a text box drawn into one raises
`Overprint`, a layout mistake the overlap tests (tests/printing/test_overlap.py) catch.

A text box here is what a PDF reader measures for the same glyphs: from the baseline minus the
font's descent up to one font size above that (pdfminer's character box).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import getDescent, stringWidth

from muba_desk.printing.base import register_fonts

ELLIPSIS = "\u2026"


class Overprint(AssertionError):
    """A text box drawn into a place reserved for something else: a layout bug, not bad data."""


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, slack: float = 0.01) -> bool:
        return (
            self.x0 < other.x1 - slack
            and other.x0 < self.x1 - slack
            and self.y0 < other.y1 - slack
            and other.y0 < self.y1 - slack
        )


@dataclass
class Page:
    """The reserved rectangles of one page (the registry): name -> Box."""

    reserved: dict[str, Box] = field(default_factory=dict)

    def reserve(self, name: str, x0: float, y0: float, x1: float, y1: float) -> Box:
        box = Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        self.reserved[name] = box
        return box

    def claim(self, box: Box, text: str, owner: str | tuple[str, ...] = ()) -> None:
        """Refuse a text box entering a reserved place (other than its `owner`'s, a name or
        several: the meterai's label lies in the meterai inside a signing space)."""
        owners = (owner,) if isinstance(owner, str) else owner
        for name, place in self.reserved.items():
            if name not in owners and box.overlaps(place):
                raise Overprint(f"{text[:40]!r} enters the place reserved for {name}")


def text_width(text: str, font: str, size: float) -> float:
    register_fonts()
    return stringWidth(text, font, size)


def text_box(x: float, y: float, text: str, font: str, size: float, align: str = "left") -> Box:
    """The box a PDF reader gives `text` drawn at baseline `y` anchored at `x`."""
    width = text_width(text, font, size)
    left = {"left": x, "center": x - width / 2, "right": x - width}[align]
    bottom = y + getDescent(font, size)
    return Box(left, bottom, left + width, bottom + size)


def fit_size(text: str, font: str, size: float, floor: float, width: float) -> float | None:
    """The largest size from `size` down to `floor` at which `text` fits `width`; None when
    not even the floor fits."""
    natural = text_width(text, font, size)
    if natural <= width:
        return size
    fitted = size * width / natural
    return fitted if fitted >= floor else None


def cut_to(text: str, font: str, size: float, width: float) -> str:
    """`text` shortened with an ellipsis to fit `width`: the last resort for a value longer than
    any rule allows (old data), so it still never overprints."""
    if text_width(text, font, size) <= width:
        return text
    while text and text_width(text + ELLIPSIS, font, size) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def _draw(canvas, x, y, text, align) -> None:
    if align == "center":
        canvas.drawCentredString(x, y, text)
    elif align == "right":
        canvas.drawRightString(x, y, text)
    else:
        canvas.drawString(x, y, text)


def fit_line(
    canvas,
    text: str,
    font: str,
    size: float,
    floor: float,
    width: float,
    *,
    x: float,
    y: float,
    align: str = "left",
    page: Page | None = None,
    owner: str | tuple[str, ...] = (),
) -> float:
    """Draw `text` on one line within `width`, shrunk down to `floor` if needed (cut with an
    ellipsis below that); returns the size used."""
    fitted = fit_size(text, font, size, floor, width)
    if fitted is None:
        fitted, text = floor, cut_to(text, font, floor, width)
    if page is not None:
        page.claim(text_box(x, y, text, font, fitted, align), text, owner)
    canvas.setFont(font, fitted)
    _draw(canvas, x, y, text, align)
    return fitted


def wrap_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` broken at spaces into lines no wider than `width`; a word wider than the line
    (a long number) is broken between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        attempt = f"{current} {word}" if current else word
        if text_width(attempt, font, size) <= width:
            current = attempt
            continue
        if current:
            lines.append(current)
        current = word
        while text_width(current, font, size) > width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and text_width(current[:cut], font, size) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines or [""]


def fit_block(
    text: str, font: str, size: float, floor: float, width: float, max_lines: int
) -> tuple[float, list[str]]:
    """The size (from `size` down to `floor`, in quarter points) and lines at which `text`
    wraps into at most `max_lines`; at the floor, the last line is cut with an ellipsis."""
    current = size
    while True:
        lines = wrap_lines(text, font, current, width)
        if len(lines) <= max_lines:
            return current, lines
        if current - 0.25 < floor:
            break
        current -= 0.25
    lines = wrap_lines(text, font, floor, width)
    kept = lines[:max_lines]
    kept[-1] = cut_to(kept[-1] + " " + lines[max_lines], font, floor, width)
    return floor, kept


def leading(size: float) -> float:
    """Baseline to baseline: wide enough that a line's box never touches the next one's."""
    return size * 1.18


def draw_block(
    canvas,
    lines: list[str],
    font: str,
    size: float,
    *,
    x: float,
    y: float,
    align: str = "left",
    page: Page | None = None,
    owner: str | tuple[str, ...] = (),
) -> float:
    """Draw wrapped `lines` with the first baseline at `y`; returns the last baseline."""
    canvas.setFont(font, size)
    for index, line in enumerate(lines):
        baseline = y - index * leading(size)
        if page is not None:
            page.claim(text_box(x, baseline, line, font, size, align), line, owner)
        _draw(canvas, x, baseline, line, align)
    return y - (len(lines) - 1) * leading(size)


def fit_lines(
    canvas,
    text: str,
    font: str,
    size: float,
    floor: float,
    width: float,
    max_lines: int,
    *,
    x: float,
    y: float,
    align: str = "left",
    page: Page | None = None,
    owner: str | tuple[str, ...] = (),
) -> float:
    """`fit_block` and `draw_block` in one: returns the last baseline."""
    fitted, lines = fit_block(text, font, size, floor, width, max_lines)
    return draw_block(canvas, lines, font, fitted, x=x, y=y, align=align, page=page, owner=owner)
