"""Issue 16, item 3: every window and dialog fits a 1366x768 laptop screen with a task bar.

The offscreen screen's size cannot be set from inside a test, so each window is checked against
the budget itself: the size it opens at and its smallest usable size are within 1366x728, and,
resized to at most the budget, every button is inside it and no form scrolls sideways. The
classes are found by reading muba_desk/gui, so a new dialog without a case here fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QScrollArea

from muba_desk.gui import enrolment_actions, enrolment_backend
from muba_desk.gui.screen_budget import BUDGET

GUI = Path(__file__).resolve().parents[2] / "muba_desk" / "gui"
TOP_LEVEL_BASES = {"QDialog", "QMainWindow"}


def top_level_classes() -> set[str]:
    """Every class in muba_desk/gui that is a QDialog or QMainWindow, directly or not."""
    bases: dict[str, str] = {}
    for path in GUI.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for name, base in re.findall(r"^class (\w+)\(([\w.]+)", text, re.MULTILINE):
            bases[name] = base.rsplit(".", 1)[-1]
    found = set()
    for name in bases:
        seen, base = {name}, bases[name]
        while base in bases and base not in seen:
            seen.add(base)
            base = bases[base]
        if base in TOP_LEVEL_BASES:
            found.add(name)
    return found


# -- how each one is opened ---------------------------------------------------------------------
def _first_start(ctx):
    from muba_desk.gui.first_start import FirstStartDialog

    dialog = FirstStartDialog()
    pages = [dialog.welcome, dialog.laptop, dialog.first_operator, dialog.provision]
    return dialog, pages


def _provision(ctx):
    from muba_desk.gui.provision_page import ProvisionDialog

    dialog = ProvisionDialog(ctx.window)
    dialog.prepare(needs_supervisor=True)  # the tallest: first supervisor too
    return dialog


def _operators(ctx):
    from muba_desk.gui.operators import OperatorsDialog

    return OperatorsDialog(ctx.window)


def _form(ctx, opener):
    count = len(ctx.window.forms)
    opener()
    ctx.qtbot.waitUntil(lambda: len(ctx.window.forms) == count + 1)
    return ctx.window.forms[-1]


def _household(ctx):
    return _form(ctx, ctx.window.new_household)


def _person(ctx):
    return _form(ctx, lambda: ctx.window.add_person(ctx.ids["household"]))


def _enrolment(program):
    def open_(ctx):
        form = enrolment_actions.enrol(ctx.window, program)
        ctx.qtbot.waitUntil(lambda: form.target is not None or program in ("KUBE_UEP",))
        return form

    return open_


def _institution(ctx):
    return enrolment_actions.new_institution(ctx.window)


def _loaded(ctx, dialog, attribute: str):
    """Measured once its record has arrived: the text it shows then sets its size."""
    ctx.qtbot.addWidget(dialog)
    ctx.qtbot.waitUntil(lambda: bool(getattr(dialog, attribute)))
    return dialog


def _handover(ctx):
    from muba_desk.gui.handover_form import HandoverForm

    return _loaded(ctx, HandoverForm(ctx.backend, ctx.ids["enrolment"]), "enrolment")


def _status(ctx):
    from muba_desk.gui.status_dialog import StatusDialog

    return _loaded(ctx, StatusDialog(ctx.backend, ctx.ids["enrolment"]), "enrolment")


def _house_photos(ctx):
    from muba_desk.gui.bertani import HousePhotosDialog

    return _loaded(ctx, HousePhotosDialog(ctx.backend, ctx.ids["enrolment"]), "loaded")


def _camera(ctx):
    try:
        from PySide6.QtMultimedia import QCameraDevice
    except ImportError as exc:  # Qt Multimedia needs the system's sound library
        pytest.skip(f"Qt Multimedia cannot load here: {exc}")

    from muba_desk.gui.photos_widget import CameraDialog

    return CameraDialog(QCameraDevice())


def _verify(ctx):
    from muba_desk.gui.verify_dialog import VerifyDialog

    return VerifyDialog({})


def _progress(ctx):
    from muba_desk.gui.jobs import ProgressDialog

    return ProgressDialog("Mencetak kartu peserta untuk satu desa…")


def _preview(ctx):
    from muba_desk.gui.print_preview import PrintPreviewDialog

    return PrintPreviewDialog(ctx.receipt[1], title="Kuitansi")


def _receipt(ctx):
    from muba_desk.gui.receipt_preview import ReceiptPreview

    return ReceiptPreview(ctx.window, ctx.receipt[0], ctx.receipt[1], "a4")


def _choice(ctx):
    from muba_desk.gui.print_dialogs import ChoiceDialog, receipt_layouts

    items = [(f"Penyerahan {i} – Siti Aminah – Bantu Umak – Rp 650.000", i) for i in range(30)]
    return ChoiceDialog(
        "Cetak kuitansi", "Pilih penyerahan:", items=items, layouts=receipt_layouts()
    )


def _village_cards(ctx):
    from muba_desk.gui.print_dialogs import VillageCardsDialog

    return VillageCardsDialog()


def _register_laptop(ctx):
    from muba_desk.gui.office.register_dialog import RegisterLaptopDialog

    return RegisterLaptopDialog()


def _passphrase(ctx):
    from muba_desk.gui.office.session import PassphraseDialog

    return PassphraseDialog()


def _draft_offer(ctx):
    from muba_desk.gui.drafts import DraftOfferDialog

    return DraftOfferDialog([], ctx.window)


def _list_import(ctx):
    from muba_desk.gui.office.list_import import ListImportDialog

    return ListImportDialog(ctx.window.db_path, None, ctx.window)


def _sk(ctx):
    from muba_desk.gui.office.lists_page import SkDialog

    return SkDialog(ctx.window, "BANTU_UMAK")


def _thermal_width(ctx):
    from muba_desk.gui.print_dialogs import ThermalWidthDialog

    return ThermalWidthDialog({"58mm": 48.0, "80mm": 72.0})


CASES = {
    "MainWindow": lambda ctx: ctx.window,
    "FirstStartDialog": _first_start,
    "ProvisionDialog": _provision,
    "OperatorsDialog": _operators,
    "RecordForm": _household,  # the base of the two below, never opened alone
    "HouseholdForm": _household,
    "PersonForm": _person,
    "EnrolmentForm": _enrolment("BANTU_UMAK"),
    "BertaniForm": _enrolment("BERTANI"),
    "KubeForm": _enrolment("KUBE_UEP"),
    "BakulNasiForm": _enrolment("BAKUL_NASI"),
    "InstitutionDialog": _institution,
    "HandoverForm": _handover,
    "StatusDialog": _status,
    "HousePhotosDialog": _house_photos,
    "CameraDialog": _camera,
    "VerifyDialog": _verify,
    "ProgressDialog": _progress,
    "PrintPreviewDialog": _preview,
    "ReceiptPreview": _receipt,
    "ChoiceDialog": _choice,
    "VillageCardsDialog": _village_cards,
    "RegisterLaptopDialog": _register_laptop,
    "PassphraseDialog": _passphrase,
    "DraftOfferDialog": _draft_offer,
    "ListImportDialog": _list_import,
    "SkDialog": _sk,
    "ThermalWidthDialog": _thermal_width,
}


def test_every_window_and_dialog_class_has_a_screen_size_case():
    found = top_level_classes()
    assert {"MainWindow", "FirstStartDialog", "PrintPreviewDialog", "BertaniForm"} <= found
    assert sorted(found - CASES.keys()) == []  # a new dialog: add its case above
    assert sorted(CASES.keys() - found) == []


# -- the checks ---------------------------------------------------------------------------------
def _in_scroll_area(widget, top) -> bool:
    """Inside a scroll area's viewport: reachable by scrolling up and down."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def problems_at_budget(widget) -> list[str]:
    """What does not fit 1366x728: sizes, buttons outside, forms scrolling sideways."""
    found = []
    opened = widget.size()
    if opened.width() > BUDGET.width() or opened.height() > BUDGET.height():
        found.append(f"opens at {opened.width()}x{opened.height()}")
    smallest = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    if smallest.width() > BUDGET.width() or smallest.height() > BUDGET.height():
        found.append(f"needs at least {smallest.width()}x{smallest.height()}")
    floor, hint = widget.minimumSize(), widget.minimumSizeHint()
    if floor.width() < hint.width() or floor.height() < hint.height():
        # An explicit minimum below the layout's: the window can be made small enough for
        # widgets to be drawn over each other (the laptop set-up page's village list did).
        found.append(
            f"can shrink to {floor.width()}x{floor.height()} below {hint.width()}x{hint.height()}"
        )
    widget.resize(opened.boundedTo(BUDGET))
    QApplication.processEvents()
    needs, has = widget.minimumSizeHint(), widget.size()
    if needs.width() > has.width() or needs.height() > has.height():
        # Smaller than its layout needs: Qt then draws widgets over each other.
        found.append(
            f"content needs {needs.width()}x{needs.height()}, has {has.width()}x{has.height()}"
        )
    area = QRect(QPoint(0, 0), widget.size())
    for button in widget.findChildren(QAbstractButton):
        if not button.isVisibleTo(widget) or _in_scroll_area(button, widget):
            continue
        where = QRect(button.mapTo(widget, QPoint(0, 0)), button.size())
        if not area.contains(where):
            found.append(f"button {button.text()!r} at {where.getRect()} outside {area.getRect()}")
    for scroll in widget.findChildren(QScrollArea):
        inner = scroll.widget()
        if scroll.isVisibleTo(widget) and inner is not None:
            needs, has = inner.minimumSizeHint().width(), scroll.viewport().width()
            if needs > has:
                found.append(f"a form scrolls sideways ({needs} px in {has})")
    return found


@pytest.fixture
def ctx(qtbot, open_window, sample, monkeypatch):
    from types import SimpleNamespace

    from muba_desk.printing.jobs import receipt_document
    from muba_desk.store.db import connect

    path, ids = sample
    window = open_window(path)
    window.show_person(ids["siti"])
    qtbot.waitUntil(lambda: window.selected_person_id() == ids["siti"])
    db = connect(path)
    try:
        (handover_id,) = db.conn.execute("SELECT id FROM handover").fetchone()
    finally:
        db.close()
    backend = enrolment_backend.threaded(path, "op-test", "Rina Operator")
    made = SimpleNamespace(
        qtbot=qtbot,
        window=window,
        ids=ids,
        path=path,
        backend=backend,
        receipt=receipt_document(path, handover_id, "a4"),
    )
    yield made
    # The window's forms close while it still runs; then the window, then the backend.
    for form in list(window.forms):
        form.close()
    qtbot.waitUntil(lambda: not window.forms)
    window.close()
    backend.close()


@pytest.mark.parametrize("name", sorted(CASES))
def test_it_fits_a_1366x768_screen_with_a_task_bar(qtbot, ctx, name):
    made = CASES[name](ctx)
    widget, pages = made if isinstance(made, tuple) else (made, [None])
    if widget is not ctx.window and widget not in ctx.window.forms:
        qtbot.addWidget(widget)
    widget.show()
    QApplication.processEvents()
    found = []
    for page in pages:
        if page is not None:
            widget.pages.setCurrentWidget(page)
            QApplication.processEvents()
        found += [
            f"{name} {page.__class__.__name__ if page else ''}: {p}"
            for p in problems_at_budget(widget)
        ]
    assert found == []


def test_the_main_window_opens_maximized_and_remembers_it(qtbot, sample, data_folder):
    from muba_desk.gui import prefs
    from muba_desk.gui.main_window import MainWindow
    from muba_desk.gui.screen_budget import MAXIMIZED, show_main_window

    path, _ids = sample
    window = MainWindow(path)
    qtbot.addWidget(window)
    show_main_window(window)
    assert window.isMaximized()  # the first time: maximized
    window.showNormal()
    window.close()
    assert prefs.get(MAXIMIZED) is False
    again = MainWindow(path)
    qtbot.addWidget(again)
    show_main_window(again)
    assert not again.isMaximized()
    size = again.size()
    assert size.width() <= BUDGET.width() and size.height() <= BUDGET.height()
    again.showMaximized()
    again.close()
    assert prefs.get(MAXIMIZED) is True
