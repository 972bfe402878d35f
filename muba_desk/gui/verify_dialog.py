"""'Periksa kartu atau kuitansi': checks a scanned or typed QR payload and says what it covers."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from muba_desk.signing import InvalidPayload, verify_payload


class VerifyDialog(QDialog):
    """A USB scanner types the code and presses Enter, so Enter checks; typing works too."""

    def __init__(self, public_keys: dict[str, bytes], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Periksa kartu atau kuitansi")
        self.resize(560, 300)
        self._keys = public_keys
        prompt = QLabel("Pindai kode QR pada kartu atau kuitansi, atau ketik isinya lalu Enter.")
        prompt.setWordWrap(True)
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("MD1.…")
        self.code.setClearButtonEnabled(True)
        self.code.returnPressed.connect(self.check)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.code)
        layout.addWidget(self.result, 1)
        layout.addWidget(buttons)

    def check(self) -> bool:
        """Show the verdict; returns whether the code is genuine."""
        try:
            verified = verify_payload(self.code.text(), self._keys)
        except InvalidPayload as exc:
            self.result.setText(f"<p style='color:#a11'><b>TIDAK ASLI.</b> {escape(str(exc))}</p>")
            genuine = False
        else:
            lines = "<br>".join(escape(line) for line in verified.describe())
            self.result.setText(
                f"<p style='color:#0b6e4f'><b>ASLI.</b> Kode ini ditandatangani oleh laptop "
                f"yang dikenal.</p><p>{lines}</p>"
            )
            genuine = True
        # Selected, so the next scan replaces the code instead of appending to it.
        self.code.selectAll()
        return genuine
