"""'Periksa kartu atau kuitansi': checks a scanned or typed QR payload and says what it covers."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from muba_desk.i18n import _
from muba_desk.signing import CheckKeys, Verdict, check_code


class VerifyDialog(QDialog):
    """A USB scanner types the code and presses Enter, so Enter checks and the dialog stays
    open with the verdict, the field emptied for the next scan; Escape or Tutup closes."""

    def __init__(self, public_keys: CheckKeys | dict[str, bytes], parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Periksa kartu atau kuitansi"))
        self.resize(560, 300)
        self._keys = public_keys
        self._checked = 0
        prompt = QLabel(
            _("Pindai kode QR pada kartu atau kuitansi, atau ketik isinya lalu Enter."), self
        )
        prompt.setWordWrap(True)
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("MD1.…")
        self.code.setClearButtonEnabled(True)
        self.code.returnPressed.connect(self.check)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(self)
        self.close_button = buttons.addButton(_("Tutup"), QDialogButtonBox.ButtonRole.RejectRole)
        # Not a default button: the scanner's Enter would otherwise close the dialog.
        self.close_button.setAutoDefault(False)
        self.close_button.setDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.code)
        layout.addWidget(self.result, 1)
        layout.addWidget(buttons)
        self.code.setFocus()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        # QDialog turns an Enter the line edit passed on into "accept"; here Enter only checks.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def check(self) -> bool:
        """Show the verdict, empty the field for the next scan; returns whether it is genuine."""
        text = self.code.text()
        if not text.strip():
            return False
        verdict = check_code(text, self._keys)
        self._checked += 1
        self.result.setText(verdict_html(verdict, self._checked))
        self.code.clear()
        self.code.setFocus()
        return verdict.genuine


def verdict_html(verdict: Verdict, number: int) -> str:
    """The verdict as `muba-desk verify` words it, numbered so a repeat scan visibly answers."""
    colour = "#0b6e4f" if verdict.genuine else "#a11"
    count = escape(_("Pemeriksaan ke-{number}").format(number=number))
    lines = "<br>".join(escape(line) for line in verdict.lines)
    body = f"<p>{lines}</p>" if lines else ""
    return (
        f"<p style='color:#555'>{count}</p>"
        f"<p style='color:{colour}'><b>{escape(verdict.headline)}</b></p>{body}"
    )
