"""The person form: NIK that explains itself, household relation, disability, consent, no-NIK."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QCompleter, QHBoxLayout, QLineEdit, QWidget

from muba_desk.core import operations
from muba_desk.domain.areas import areas
from muba_desk.domain.nik import InvalidNik, Nik, check_nik_against, parse_nik
from muba_desk.domain.programs.base import DISABILITY_TYPES, OCCUPATIONS, RELATIONS
from muba_desk.gui.fields import ChoiceBox, DateEdit, MultiCheck, choice_items, format_date
from muba_desk.gui.format import verify_labels
from muba_desk.gui.record_form import RecordForm
from muba_desk.i18n import _, localized
from muba_desk.store import duplicates

HEAD = "kepala"
_PHONE = re.compile(r"^(\+62|62|0)\d{8,13}$")
# Field verification of people an office list brought in (`person.verify_state`): once found
# moved, dead or not at all, what the form asks of someone present (birth date, relation,
# consent) cannot be asked, so those are no longer required.
GONE = frozenset({"moved", "died", "not_found"})


def verify_items() -> list[tuple[str, str]]:
    return list(verify_labels().items())


def sex_items() -> list[tuple[str, str]]:
    return [("L", _("Laki-laki")), ("P", _("Perempuan"))]


def relation_items() -> list[tuple[str, str]]:
    # The head is not in RELATIONS (which describes others as seen from the head).
    return [(HEAD, _("Kepala rumah tangga")), *choice_items(RELATIONS)]


def guardians_in(members: list[dict], exclude_id: str | None = None) -> list[str]:
    """Who in the household can be a guardian: adults (17 or older, or the head and spouse),
    the head first, as the details list them."""
    today = date.today()
    names = []
    for person in members:
        if person.get("id") == exclude_id or not person.get("name"):
            continue
        born = person.get("birth_date")
        age = None
        if born:
            born = date.fromisoformat(born[:10])
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if person.get("relation") in (HEAD, "pasangan") or (age is not None and age >= 17):
            names.append(person["name"])
    return names


class PersonForm(RecordForm):
    """Context: household_id, village_code, household_label, relation; record_id and base_rev
    when an existing person is edited."""

    kind = "person"

    def build(self) -> None:
        self._filling = False
        self._filled_for: str | None = None
        self._dup_keys: dict[str, tuple] = {}
        self._found: dict[str, list[dict]] = {"nik": [], "name": []}
        self.guardian_names: list[str] = []
        self.nik = QLineEdit()
        self.nik.setMaxLength(22)  # 16 digits with the spaces or dots some people type
        self.nik.setPlaceholderText(_("16 angka, mis. 1606014506780001"))
        self.no_nik = QCheckBox(_("T&idak punya NIK"))
        # Most people have a NIK: Tab goes from the NIK straight to the name, and the box is
        # reached with its mnemonic (Alt+I) or the mouse when it is needed.
        self.no_nik.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        # A NIK is for life: Dukcapil never changes it when a birth date is corrected, so a
        # difference checked against the KTP/KK is saved, with the confirmation recorded.
        self.nik_checked = QCheckBox(
            _("Sudah dicocokkan dengan KTP/KK: simpan tanggal lahir seperti diketik")
        )
        self.no_nik_reason = QLineEdit()
        self.no_nik_reason.setPlaceholderText(_("Alasan, mis. lansia terlantar tanpa dokumen"))
        self.name = QLineEdit()
        self.name.setMaxLength(100)
        self.sex = ChoiceBox(sex_items())
        self.birth_place = QLineEdit()
        self.birth_date = DateEdit()
        self.relation = ChoiceBox(relation_items())
        self.occupation = ChoiceBox(choice_items(OCCUPATIONS))
        self.disability = MultiCheck(choice_items(DISABILITY_TYPES))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(_("mis. 0812 3456 7890"))
        self.consent_by = ChoiceBox(
            [("sendiri", _("Orang itu sendiri")), ("wali", _("Wali (orang tua atau pengasuh)"))]
        )
        self.consent_guardian = QLineEdit()
        self.consent_guardian.setPlaceholderText(_("Nama wali"))
        self.consent_guardian.setToolTip(
            _("Ketik huruf awal nama orang dewasa di rumah tangga ini, atau nama wali lain.")
        )
        self.consent_at = DateEdit()
        self.verify_state = ChoiceBox(verify_items())

        nik_row = QWidget()
        row = QHBoxLayout(nik_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nik, 1)
        row.addWidget(self.no_nik)
        self._nik_row = nik_row
        nik_row.setFocusProxy(self.nik)
        self.add_row("nik", _("&NIK"), nik_row)
        self.inputs["nik"] = self.nik
        self.inputs["no_nik"] = self.no_nik
        self.add_row("nik_checked", "", self.nik_checked)
        self.fields["nik_checked"].setVisible(False)
        self.add_row("no_nik_reason", _("&Alasan tanpa NIK"), self.no_nik_reason)
        self.add_row("name", _("Na&ma lengkap"), self.name)
        self.add_row("sex", _("&Jenis kelamin"), self.sex)
        self.add_row("birth_place", _("&Tempat lahir"), self.birth_place)
        self.add_row("birth_date", _("Tanggal &lahir"), self.birth_date)
        self.add_row("relation", _("&Hubungan dengan kepala"), self.relation)
        self.add_row("occupation", _("Pe&kerjaan"), self.occupation)
        self.add_row("disability", _("&Disabilitas"), self.disability)
        self.add_row("phone", _("Tele&pon"), self.phone)
        self.add_row("consent_by", _("Persetuj&uan diberikan oleh"), self.consent_by)
        self.add_row("consent_guardian", _("Nama &wali"), self.consent_guardian)
        self.add_row("consent_at", _("Tanggal pers&etujuan"), self.consent_at)
        self.add_row("verify_state", _("Hasil &verifikasi"), self.verify_state)
        self._show_verification()
        self.no_nik.toggled.connect(self._no_nik_toggled)
        self.consent_by.currentIndexChanged.connect(self._consent_chosen)
        self.relation.set_value(self.context.get("relation"))
        self._no_nik_toggled(False)
        self._ask_for_guardians()
        self.title.setText(self.heading())
        self.setWindowTitle(self.heading())

    def heading(self) -> str:
        where = self.context.get("household_label") or ""
        if self.editing:
            return _("Ubah data penduduk")
        return _("Anggota baru: {household}").format(household=where)

    def fill_from(self, person: dict) -> None:
        """The form of an existing person, before the user changes anything."""
        self.nik.setText(person.get("nik") or "")
        self.no_nik.setChecked(not person.get("nik"))
        self.nik_checked.setChecked(bool(person.get("nik_confirmed_at")))
        self.no_nik_reason.setText(person.get("no_nik_reason") or "")
        self.name.setText(person.get("name") or "")
        self.sex.set_value(person.get("sex"))
        self.birth_place.setText(person.get("birth_place") or "")
        self.birth_date.set_value(person.get("birth_date"))
        self.relation.set_value(person.get("relation"))
        self.occupation.set_value(person.get("occupation"))
        self.disability.set_value(person.get("disability") or [])
        self.phone.setText(person.get("phone") or "")
        self.consent_by.set_value(person.get("consent_by"))
        self.consent_guardian.setText(person.get("consent_guardian") or "")
        self.consent_at.set_value(person.get("consent_at"))
        # Kept in the context, so a draft of this edit shows the verification again.
        self.context["verify_state"] = person.get("verify_state")
        self._show_verification()
        self.verify_state.set_value(person.get("verify_state"))
        self._initial = self.typed()
        self.check()

    # -- reactions -------------------------------------------------------------------------
    @property
    def verifying(self) -> bool:
        """An imported person whose field verification this form records."""
        return self.editing and self.context.get("verify_state") is not None

    def _show_verification(self) -> None:
        self.form.setRowVisible(self.fields["verify_state"], self.verifying)

    def _no_nik_toggled(self, on: bool) -> None:
        self._nik_row.setFocusProxy(self.no_nik_reason if on else self.nik)  # for Alt+N
        self.nik.setEnabled(not on)
        self.no_nik_reason.setEnabled(on)
        self.fields["no_nik_reason"].setVisible(on)
        self.form.labelForField(self.fields["no_nik_reason"]).setVisible(on)
        if on:
            self.no_nik_reason.setFocus()

    def _consent_chosen(self) -> None:
        guardian = self.consent_by.value() == "wali"
        self.consent_guardian.setEnabled(guardian)
        if self.consent_by.value() and not self.consent_at.text().strip():
            self.consent_at.set_value(date.today())

    def _ask_for_guardians(self) -> None:
        """The household's adults, offered as the guardian's name while it is typed."""
        household_id = self.context.get("household_id")
        if not household_id or self.main is None or self.main.reader is None:
            return
        read = self.main.queries.household
        self.main.reader.submit(
            f"guardians:{self.draft_id}",
            lambda db: read(db, household_id),
            self._offer_guardians,
        )

    def _offer_guardians(self, household: dict | None) -> None:
        names = guardians_in((household or {}).get("members") or [], self.context.get("record_id"))
        completer = QCompleter(names, self.consent_guardian)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
        self.consent_guardian.setCompleter(completer)
        self.guardian_names = names

    # -- checking --------------------------------------------------------------------------
    def check(self) -> bool:
        if getattr(self, "_filling", True):
            return False
        ok = True
        self._gone = self.verifying and self.verify_state.value() in GONE
        for name in self.fields:
            self.say(name)
        birth, birth_ok = self._check_birth_date()
        ok &= birth_ok
        nik = self._check_nik(birth)
        if nik is not None and self._autofill(nik, birth):
            return self.check()  # the filled fields are checked again from the start
        reason = self.no_nik.isChecked() and bool(self.no_nik_reason.text().strip())
        ok &= nik is not None or reason  # without a NIK, the reason is needed
        ok &= self._check_nik_agrees(nik, birth)
        ok &= self._required("name", self.name.text().strip(), _("Isi nama lengkap."))
        ok &= self._required("sex", self.sex.value(), _("Pilih jenis kelamin."))
        ok &= self._required("relation", self.relation.value(), _("Pilih hubungan dengan kepala."))
        ok &= self._check_phone()
        ok &= self._check_consent()
        self._look_for_duplicates(nik, birth if birth_ok else None)
        return bool(ok)

    def _required(self, name: str, value, message: str) -> bool:
        if value or getattr(self, "_gone", False):
            return True
        if self.tried_save:
            self.say(name, "error", message)
        return False

    def _check_birth_date(self) -> tuple[date | None, bool]:
        try:
            born = self.birth_date.value()
        except ValueError as exc:
            self.say("birth_date", "error", str(exc))
            return None, False
        if born and born > date.today():
            self.say("birth_date", "error", _("Tanggal lahir tidak boleh setelah hari ini."))
            return None, False
        if born is None:
            return None, self._required("birth_date", None, _("Isi tanggal lahir (hh/bb/tttt)."))
        return born, True

    def _check_nik(self, birth: date | None) -> Nik | None:
        if self.no_nik.isChecked():
            self._required(
                "no_nik_reason",
                self.no_nik_reason.text().strip(),
                _("Tuliskan mengapa orang ini tidak punya NIK."),
            )
            return None
        text = self.nik.text()
        if not text.strip():
            self._required("nik", None, _("Isi NIK (16 angka), atau centang “Tidak punya NIK”."))
            return None
        try:
            nik = parse_nik(text, birth_date=birth)
        except InvalidNik as exc:
            digits = re.sub(r"[ .\-]", "", text)
            typing = digits.isdigit() and len(digits) < 16 and not self.tried_save
            self.say("nik", "hint" if typing else "error", localized(exc))
            return None
        district = areas().district_name(nik.district_code) or nik.district_code
        sex = _("perempuan") if nik.sex == "P" else _("laki-laki")
        explained = _("Menurut NIK: lahir {date}, {sex}, terbit di Kec. {district}.").format(
            date=format_date(nik.birth_date), sex=sex, district=district
        )
        level = "warning" if nik.warnings else "hint"
        self.say("nik", level, "\n".join([explained, *map(localized, nik.warnings)]))
        return nik

    def _autofill(self, nik: Nik, birth: date | None) -> bool:
        """Birth date and sex come from a newly typed NIK when they are still empty."""
        if nik.number == self._filled_for:
            return False  # once per NIK: a date the user clears afterwards stays cleared
        self._filled_for = nik.number
        filled = False
        self._filling = True
        try:
            if birth is None and not self.birth_date.text().strip():
                self.birth_date.set_value(nik.birth_date)
                filled = True
            if not self.sex.value():
                self.sex.set_value(nik.sex)
                filled = True
        finally:
            self._filling = False
        return filled

    def _check_nik_agrees(self, nik: Nik | None, birth: date | None) -> bool:
        dates = check_nik_against(nik, birth_date=birth, sex=None) if nik and birth else []
        self.fields["nik_checked"].setVisible(bool(dates))
        if nik is None:
            return True
        problems = check_nik_against(nik, birth_date=birth, sex=self.sex.value())
        if not problems:
            return True
        sexes = [p for p in problems if p not in dates]
        if dates and not sexes and self.nik_checked.isChecked():
            self.say("nik", "warning", "\n".join(map(localized, dates)))
            self.say("birth_date", "warning", _("Berbeda dengan NIK; sudah dicocokkan."))
            return True
        self.say("nik", "error", "\n".join(map(localized, problems)))
        if dates:
            self.say("birth_date", "error", _("Tidak cocok dengan NIK."))
        if sexes:
            self.say("sex", "error", _("Tidak cocok dengan NIK."))
        return False

    def _check_phone(self) -> bool:
        phone = re.sub(r"[ \-.]", "", self.phone.text())
        if not phone or _PHONE.match(phone):
            return True
        self.say(
            "phone",
            "error",
            _("Nomor telepon tidak dikenali: 10 sampai 15 angka diawali 0 atau +62."),
        )
        return False

    def _check_consent(self) -> bool:
        ok = self._required(
            "consent_by", self.consent_by.value(), _("Catat siapa yang memberi persetujuan.")
        )
        if self.consent_by.value() == "wali":
            ok &= self._required(
                "consent_guardian",
                self.consent_guardian.text().strip(),
                _("Isi nama wali yang memberi persetujuan."),
            )
        try:
            given = self.consent_at.value()
        except ValueError as exc:
            self.say("consent_at", "error", str(exc))
            return False
        if given and given > date.today():
            self.say("consent_at", "error", _("Tanggal persetujuan tidak boleh setelah hari ini."))
            return False
        return ok and self._required(
            "consent_at", given, _("Isi tanggal persetujuan (hh/bb/tttt).")
        )

    # -- duplicates ------------------------------------------------------------------------
    def _look_for_duplicates(self, nik: Nik | None, birth: date | None) -> None:
        exclude = self.context.get("record_id")
        name = self.name.text().strip()
        village = self.context.get("village_code")
        self._ask(
            "nik",
            (nik.number,) if nik else None,
            lambda db, n=nik: duplicates.people_with_nik(db, n.number, exclude_id=exclude),
        )
        key = (name.lower(), birth.isoformat(), village) if name and birth and village else None
        self._ask(
            "name",
            key,
            lambda db: duplicates.people_like(
                db,
                name=name,
                birth_date=birth.isoformat(),
                village_code=village,
                exclude_id=exclude,
            ),
        )
        self._show_duplicates()

    def _ask(self, what: str, key: tuple | None, query) -> None:
        if key == self._dup_keys.get(what):
            return
        self._dup_keys[what] = key
        self._found[what] = []
        if key is None or self.main.reader is None:
            return

        def found(people: list[dict]) -> None:
            self._found[what] = people
            self._show_duplicates()

        self.main.reader.submit(f"duplicates-{what}:{self.draft_id}", query, found)

    def _show_duplicates(self) -> None:
        if self._found["nik"]:
            other = self._found["nik"][0]
            text = _("NIK ini sudah terdaftar atas nama {name} (desa {village}).").format(
                name=other["name"], village=other["village"] or "–"
            )
        elif self._found["name"]:
            other = self._found["name"][0]
            text = _("Mungkin sudah terdaftar: {name}, lahir {date}, di desa yang sama.").format(
                name=other["name"], date=format_date(other["birth_date"])
            )
        else:
            self.banner.hide()
            return
        self.banner.show_found(text, other["id"])

    # -- saving ----------------------------------------------------------------------------
    def values(self) -> dict:
        nik = None if self.no_nik.isChecked() else parse_nik(self.nik.text()).number
        born, given = self.birth_date.value(), self.consent_at.value()
        wali = self.consent_by.value() == "wali"
        return {
            "nik": nik,
            "no_nik_reason": self.no_nik_reason.text().strip() if nik is None else None,
            "name": " ".join(self.name.text().split()),
            "sex": self.sex.value(),
            "birth_place": self.birth_place.text().strip() or None,
            "birth_date": born.isoformat() if born else None,
            "relation": self.relation.value(),
            "occupation": self.occupation.value(),
            "disability": self.disability.value(),
            "phone": re.sub(r"[ \-.]", "", self.phone.text()) or None,
            "consent_by": self.consent_by.value(),
            "consent_guardian": self.consent_guardian.text().strip() if wali else None,
            "consent_at": given.isoformat() if given else None,
            **(
                {"verify_state": self.verify_state.value() or "to_verify"} if self.verifying else {}
            ),
        }

    def save(self) -> None:
        # Values are read here, on the UI thread; `write` only uses the copy on the worker.
        self._pending = self.values() if self.check() else None
        self._confirmed = self.fields["nik_checked"].isVisibleTo(self) and (
            self.nik_checked.isChecked()
        )
        super().save()

    def write(self, reg) -> operations.Changes:
        values, confirmed = self._pending, self._confirmed
        actor = operations.Actor(reg.operator_id)
        if self.editing:
            return operations.edit_person(
                reg,
                actor,
                self.context["record_id"],
                values,
                base_rev=self.context.get("base_rev"),
                nik_confirmed=confirmed,
            )
        household_id = self.context["household_id"]
        return operations.register_person(
            reg, actor, household_id=household_id, nik_confirmed=confirmed, **values
        )
