"""The one enrolment form: any program's fields, checked with eligibility as the worker types."""

from __future__ import annotations

from dataclasses import replace
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from muba_desk import i18n
from muba_desk.core import operations
from muba_desk.domain.programs import Field, Program, check_eligibility, get_program, validate
from muba_desk.domain.programs.base import MSG_REQUIRED, parse_value
from muba_desk.gui.field_widgets import FieldInput, LineInput, make_input
from muba_desk.gui.screen_budget import fit
from muba_desk.i18n import _
from muba_desk.store.enrolment_reads import Target, load_target

ERROR_STYLE = "color: #b91c1c;"
HELP_STYLE = "color: #555; font-size: 9pt;"
OK_MARK, NO_MARK = "✓", "✗"


def _period_fields() -> tuple[Field, Field]:
    return (
        Field("period_start", "date", "Periode mulai", "Period starts"),
        Field("period_end", "date", "Periode akhir", "Period ends"),
    )


class EnrolmentForm(QDialog):
    """Enrol one target in `program`; subclasses add a program's own parts (group, photos)."""

    saved = Signal(dict)

    def __init__(
        self,
        program: str | Program,
        backend,
        *,
        person_id: str | None = None,
        household_id: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.program = get_program(program) if isinstance(program, str) else program
        self.backend = backend
        self.person_id, self.household_id = person_id, household_id
        self.target: Target | None = None
        self.inputs: dict[str, FieldInput] = {}
        self.errors_shown: dict[str, QLabel] = {}
        self.touched: set[str] = set()
        self.show_all = False
        self.saving = False
        self.result_row: dict | None = None
        self._filling = False
        self.eligible = False
        self._closing_asked = False
        self.setWindowTitle(_("Pendaftaran {program}").format(program=self.program.name))
        self._build()
        self.load_target()

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        lang = i18n.language()
        title = QLabel(f"<b>{escape(self.program.name)}</b> – {escape(self.program.expansion)}")
        title.setStyleSheet("font-size: 14pt;")
        summary = QLabel(self.program.summary(lang))
        summary.setWordWrap(True)
        self.target_label = QLabel(_("Memuat data…"))
        self.target_label.setWordWrap(True)
        self.target_label.setTextFormat(Qt.TextFormat.RichText)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for f in self.program.fields:
            self._add_row(form, f, make_input(f, self.backend))
        for f in _period_fields():
            self._add_row(form, f, LineInput(f))
        body = QWidget()
        body_layout = QVBoxLayout(body)
        for widget in self.top_widgets():
            body_layout.addWidget(widget)
        body_layout.addLayout(form)
        for widget in self.bottom_widgets():
            body_layout.addWidget(widget)
        body_layout.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.eligibility = QLabel()
        self.eligibility.setObjectName("eligibility")
        self.eligibility.setTextFormat(Qt.TextFormat.RichText)
        self.eligibility.setWordWrap(True)
        self.eligibility.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.eligibility.setMinimumWidth(300)
        side = QVBoxLayout()
        side.addWidget(QLabel("<b>" + escape(_("Kelayakan")) + "</b>"))
        side.addWidget(self.eligibility, 1)
        middle = QHBoxLayout()
        # The fields get the room (no sideways scrolling at 1100 px); the verdict wraps.
        middle.addWidget(scroll, 3)
        middle.addLayout(side, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.draft_button = QPushButton(_("Simpan sebagai &draf"))
        self.draft_button.setToolTip(_("Simpan yang sudah diisi; boleh belum lengkap (Ctrl+S)."))
        self.submit_button = QPushButton(_("&Ajukan"))
        self.submit_button.setToolTip(_("Lengkap dan siap dikirim ke kantor (Ctrl+Enter)."))
        self.submit_button.setDefault(False)
        self.submit_button.setAutoDefault(False)
        self.draft_button.setAutoDefault(False)
        cancel = QPushButton(_("Batal"))
        cancel.setAutoDefault(False)
        self.draft_button.clicked.connect(lambda: self.save(submit=False))
        self.submit_button.clicked.connect(lambda: self.save(submit=True))
        cancel.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, lambda: self.save(submit=False))
        QShortcut(QKeySequence("Ctrl+Return"), self, lambda: self.save(submit=True))
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.draft_button)
        buttons.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(summary)
        layout.addWidget(self.target_label)
        layout.addLayout(middle, 1)
        layout.addLayout(buttons)
        fit(self, 1100, 700)  # within 1366x728 (screen_budget)

    def _add_row(self, form: QFormLayout, f: Field, widget: FieldInput) -> None:
        lang = i18n.language()
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        if f.help(lang):
            help_label = QLabel(f.help(lang))
            help_label.setWordWrap(True)
            help_label.setStyleSheet(HELP_STYLE)
            column.addWidget(help_label)
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        label = QLabel(f.label(lang) + (" *" if f.required else ""))
        label.setBuddy(widget.focus_widget())
        form.addRow(label, cell)
        self.inputs[f.name] = widget
        self.errors_shown[f.name] = error
        widget.changed.connect(lambda name=f.name: self._changed(name))

    def top_widgets(self) -> list[QWidget]:
        """Program-specific parts above the fields (Bakul Nasi's choice of person or lembaga)."""
        return []

    def bottom_widgets(self) -> list[QWidget]:
        """Program-specific parts below the fields (Bertani's photos)."""
        return []

    # -- the target ----------------------------------------------------------------------
    def load_target(self) -> None:
        person_id, household_id = self.person_id, self.household_id
        self.backend.read(
            lambda db: load_target(db, person_id=person_id, household_id=household_id),
            self.set_target,
        )

    def set_target(self, target: Target) -> None:
        self.target = target
        self.target_label.setText(self.describe_target())
        self._filling = True
        try:
            self.prefill(target)
        finally:
            self._filling = False
        self.refresh()

    def describe_target(self) -> str:
        person = (self.target or Target()).person
        if person is None:
            return _("Belum ada orang yang dipilih.")
        household = (self.target.household or {}) if self.target else {}
        parts = [f"<b>{escape(person['name'])}</b>"]
        if person.get("nik"):
            parts.append(_("NIK {nik}").format(nik=person["nik"]))
        ctx = self.target.context({})
        if (age := ctx.age()) is not None:
            parts.append(_("{age} tahun").format(age=age))
        if household.get("kk_number"):
            parts.append(_("KK {kk}").format(kk=household["kk_number"]))
        return _("Untuk: {who}").format(who=" · ".join(parts))

    def prefill(self, target: Target) -> None:
        """Fill what the registry already knows, so the worker only checks it."""
        person, household = target.person or {}, target.household or {}
        known = {
            "occupation": person.get("occupation"),
            "household_size": len(target.household_members) or None,
            "occupants": len(target.household_members) or None,
            "gps_lat": household.get("gps_lat"),
            "gps_lon": household.get("gps_lon"),
            "decile_source": household.get("decile_source"),
        }
        for name, value in known.items():
            widget = self.inputs.get(name)
            if widget is not None and value is not None and not widget.raw():
                widget.set_raw(value)

    # -- checking ------------------------------------------------------------------------
    def _changed(self, name: str) -> None:
        self._closing_asked = False
        if not self._filling:
            self.touched.add(name)
        self.refresh()

    def collect(self) -> tuple[dict, dict[str, str]]:
        """(typed values of the program's fields, field -> Indonesian error) as things stand."""
        values: dict[str, object] = {}
        errors: dict[str, str] = {}
        for f in self.program.fields:
            try:
                value = parse_value(f, self.inputs[f.name].raw())
            except ValueError as exc:
                errors[f.name] = str(exc)
                continue
            if value is not None:
                values[f.name] = value
        for name, message in validate(self.program, values).items():
            errors.setdefault(name, message)
        for f in _period_fields():
            try:
                parse_value(f, self.inputs[f.name].raw())
            except ValueError as exc:
                errors[f.name] = str(exc)
        return values, errors

    def period(self) -> tuple[str | None, str | None]:
        start, end = (parse_value(f, self.inputs[f.name].raw()) for f in _period_fields())
        return start, end  # type: ignore[return-value]

    def refresh(self) -> None:
        values, errors = self.collect()
        for name, label in self.errors_shown.items():
            message = errors.get(name, "")
            shown = name in self.touched or self.show_all
            if message == MSG_REQUIRED and not self.show_all:
                shown = False  # an empty field is not a mistake until the worker saves
            label.setText(message if shown else "")
            label.setVisible(bool(message) and shown)
        self.show_eligibility(values)

    def context_members(self) -> list[dict]:
        """People rows the rules should see as members (KUBE members, children); default none."""
        return []

    def eligibility_of(self, values: dict):
        if self.target is None:
            return None
        start, end = self.period_or_none()
        ctx = self.target.context(values, members=self.context_members())
        ctx = replace(ctx, period_start=start, period_end=end)
        return check_eligibility(self.program, ctx)

    def period_or_none(self) -> tuple[str | None, str | None]:
        try:
            return self.period()
        except ValueError:
            return None, None

    def show_eligibility(self, values: dict) -> None:
        result = self.eligibility_of(values)
        if result is None:
            self.eligibility.setText(escape(_("Memuat data…")))
            return
        lang = i18n.language()
        lines = []
        for reason in result.reasons:
            mark, colour = (OK_MARK, "#15803d") if reason.ok else (NO_MARK, "#b91c1c")
            lines.append(
                f"<p style='margin:2px 0'><span style='color:{colour}; font-weight:bold'>"
                f"{mark}</span> {escape(reason.message(lang))}</p>"
            )
        verdict = _("Memenuhi syarat.") if result.eligible else _("Belum memenuhi syarat.")
        self.eligibility.setText("".join(lines) + f"<p><b>{escape(verdict)}</b></p>")
        self.eligible = result.eligible

    def eligibility_text(self) -> str:
        """The eligibility panel as plain text (tests and screen readers)."""
        return self.eligibility.text()

    # -- saving --------------------------------------------------------------------------
    def target_error(self) -> str:
        """Why the form cannot be saved for lack of a target; '' when it can."""
        if self.target is None:
            return _("Data orang belum selesai dimuat.")
        if self.target.person is None:
            return _("Belum ada orang yang dipilih.")
        return ""

    def save(self, *, submit: bool) -> None:
        if self.saving:
            return
        self.show_all = True
        values, errors = self.collect()
        self.refresh()
        blocking = errors if submit else {k: v for k, v in errors.items() if v != MSG_REQUIRED}
        problem = self.target_error() or self.extra_error(submit)
        if blocking or problem:
            first = next((n for n in self.inputs if n in blocking), None)
            if first:
                self.inputs[first].focus_widget().setFocus()
            self.message.setText(problem or _("Periksa isian yang bertanda merah."))
            self.message.setStyleSheet(ERROR_STYLE)
            return
        if submit and not self.eligible and not self.confirm_ineligible():
            return
        start, end = self.period()
        kwargs = self.save_kwargs(values)
        self.saving = True
        self.message.setStyleSheet("")
        self.message.setText(_("Menyimpan…"))

        def write(reg):
            changes = operations.enrol(
                reg,
                operations.Actor(reg.operator_id),
                program=self.program.code,
                data=values,
                submit=submit,
                period_start=start,
                period_end=end,
                **kwargs,
            )
            self.save_more(reg, changes.row)
            return changes

        self.backend.write(write, self._saved, self._failed)

    def confirm_ineligible(self) -> bool:
        answer = QMessageBox.question(
            self,
            _("Belum memenuhi syarat"),
            _("Menurut aturan program, pendaftaran ini belum memenuhi syarat. Tetap ajukan?"),
        )
        return answer == QMessageBox.StandardButton.Yes

    def extra_error(self, submit: bool) -> str:
        """A program part's reason not to save yet ('' when fine)."""
        del submit
        return ""

    def save_kwargs(self, values: dict) -> dict:
        """Who is enrolled: keyword arguments of `operations.enrol`."""
        del values
        target = self.target or Target()
        return {
            "person_id": (target.person or {}).get("id"),
            "household_id": (target.household or {}).get("id"),
            "village_code": target.village_code,
        }

    def save_more(self, reg, enrolment: dict) -> None:
        """Runs in the same transaction after the enrolment was written (photos)."""

    def _saved(self, changes: operations.Changes) -> None:
        enrolment = changes.row
        self.saving = False
        self.result_row = enrolment
        self.touched.clear()
        self.saved.emit(enrolment)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(_("Gagal menyimpan: {reason}").format(reason=exc))

    def reject(self) -> None:
        # Asked inline, not in a message box: one more Esc closes, and nothing blocks.
        if self.touched and not self.saving and not self._closing_asked:
            self._closing_asked = True
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(
                _(
                    "Isian belum disimpan. Tekan Batal (Esc) sekali lagi untuk menutup "
                    "tanpa menyimpan."
                )
            )
            return
        super().reject()


def open_form(program: str, backend, **kwargs) -> EnrolmentForm:
    """The form for `program`: the generic one, with its program's own parts where it has them."""
    if program == "KUBE_UEP":
        from muba_desk.gui.kube_group import KubeForm

        return KubeForm(program, backend, **kwargs)
    if program == "BAKUL_NASI":
        from muba_desk.gui.bakul_nasi import BakulNasiForm

        return BakulNasiForm(program, backend, **kwargs)
    if program == "BERTANI":
        from muba_desk.gui.bertani import BertaniForm

        return BertaniForm(program, backend, **kwargs)
    return EnrolmentForm(program, backend, **kwargs)
