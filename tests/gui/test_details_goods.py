"""The details pane lists goods with their quantity, read under the one item key."""

from muba_desk.gui.details_html import _items


def test_goods_show_their_quantity_in_the_details_pane():
    items = [
        {"name": "Makanan siap santap", "quantity": 1800, "unit": "porsi"},
        {"name": "Kursi roda", "quantity": 1, "unit": "unit"},
    ]
    assert _items(items) == "Makanan siap santap: 1.800 porsi, Kursi roda: 1 unit"
