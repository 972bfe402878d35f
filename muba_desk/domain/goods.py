"""Goods handed over: one item shape, {"name": str, "quantity": number, "unit": str}.

The window, the demo and the sample write it; receipts and the details pane read it through
`item_line`. Migration m012 rewrote rows stored with the old key "qty"; a bundle from a laptop
not yet updated may still carry it, so `quantity_of` reads that key too.
"""

from __future__ import annotations

import re

QUANTITY = "quantity"
OLD_QUANTITY = "qty"  # written by the demo and read by the details pane before m012

_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?")


def parse_quantity(text: str) -> int | float:
    """ "1800", "1.800" (Indonesian thousands) -> 1800; "2,5" or "2.5" -> 2.5.
    ValueError for anything else, a negative number included."""
    cleaned = (text or "").strip().replace(" ", "")
    if _GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", cleaned):
        raise ValueError(f"not a quantity: {text!r}")
    number = float(cleaned)
    return int(number) if number.is_integer() else number


def quantity_of(item: dict):
    """The item's quantity as stored (number, or text from an old row), None when missing."""
    if QUANTITY in item:
        return item[QUANTITY]
    return item.get(OLD_QUANTITY)


def format_quantity(quantity) -> str:
    """1800 -> "1.800", 2.5 -> "2,5", "1800" -> "1.800"; text that is no number as it is."""
    if isinstance(quantity, str):
        try:
            quantity = parse_quantity(quantity)
        except ValueError:
            return quantity.strip()
    if isinstance(quantity, bool) or not isinstance(quantity, int | float):
        return "" if quantity is None else str(quantity)
    if isinstance(quantity, float) and quantity.is_integer():
        quantity = int(quantity)
    if isinstance(quantity, int):
        return f"{quantity:,}".replace(",", ".")
    whole, _, fraction = f"{quantity:,.3f}".rstrip("0").partition(".")
    return f"{whole.replace(',', '.')},{fraction}"


def item_line(item) -> str:
    """ "1.800 porsi Makanan siap santap": quantity, unit and name, as a receipt lists them."""
    if not isinstance(item, dict):
        return str(item)
    parts = (format_quantity(quantity_of(item)), item.get("unit") or "", item.get("name") or "")
    return " ".join(part for part in parts if part)


def with_one_key(item):
    """The item with "qty" renamed "quantity" (an item with both keeps "quantity")."""
    if not isinstance(item, dict) or OLD_QUANTITY not in item:
        return item
    renamed = {key: value for key, value in item.items() if key != OLD_QUANTITY}
    renamed.setdefault(QUANTITY, item[OLD_QUANTITY])
    return renamed
