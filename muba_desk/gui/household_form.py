"""The household form: KK number, district and village from official codes, RT/RW, address, GPS."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from muba_desk.core import operations, rules
from muba_desk.domain.areas import areas
from muba_desk.domain.nik import InvalidKk, parse_kk
from muba_desk.domain.programs.base import DECILE_SOURCES
from muba_desk.gui.fields import ChoiceBox, choice_items
from muba_desk.gui.record_form import RecordForm
from muba_desk.i18n import _, localized
from muba_desk.store import duplicates

# A generous box around Indonesia: Sabang to Merauke, Miangas to Rote.
LAT_RANGE = (-11.5, 6.5)
LON_RANGE = (94.5, 141.5)


def parse_decile(text: str) -> int | None:
    """A typed welfare decile; None when empty; ValueError unless a whole number 1 to 10."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 10:
        raise ValueError(text)
    return int(text)


def parse_coordinate(text: str) -> float | None:
    """A typed decimal degree (comma or dot); None when empty; ValueError when not a number."""
    text = text.strip().replace(",", ".")
    return float(text) if text else None


def kk_elsewhere(kk_district: str, chosen: str | None) -> list[str]:
    """A warning when the KK was issued in another district than the one chosen (or outside
    Musi Banyuasin while none is chosen yet): a typing slip, or a family that moved, so the
    form says it and still saves."""
    name = areas().district_name(kk_district)
    if name is None:
        return []  # an unknown code already has parse_kk's own warning
    if chosen:
        if kk_district == chosen.replace(".", ""):
            return []
        text = _(
            "Nomor KK ini terbit di Kec. {kk_district} ({code}), bukan di Kec. {district} yang "
            "dipilih. Periksa nomor dan kecamatannya; bila keluarga sudah pindah, boleh disimpan."
        )
        return [
            text.format(kk_district=name, code=kk_district, district=areas().district_name(chosen))
        ]
    if kk_district.startswith(areas().MUBA_REGENCY.replace(".", "")):
        return []
    text = _(
        "Nomor KK ini terbit di luar Musi Banyuasin (Kec. {kk_district}, kode {code}). Periksa "
        "kembali; bila keluarga sudah pindah, boleh disimpan."
    )
    return [text.format(kk_district=name, code=kk_district)]


class HouseholdForm(RecordForm):
    """Context: district_code (the laptop's, as default); record_id and base_rev when editing."""

    kind = "household"

    def build(self) -> None:
        self._kk_key: str | None = None
        self.kk = QLineEdit()
        self.kk.setMaxLength(22)
        self.kk.setPlaceholderText(_("16 angka dari Kartu Keluarga"))
        self.district = ChoiceBox((d.code, d.name) for d in areas().muba_districts())
        self.village = ChoiceBox([])
        self.district.currentIndexChanged.connect(self._fill_villages)
        self.address = QLineEdit()
        self.address.setPlaceholderText(_("Jalan, dusun, atau patokan"))
        self.rt, self.rw = QLineEdit(), QLineEdit()
        for part in (self.rt, self.rw):
            part.setMaxLength(3)
            part.setMaximumWidth(60)
        rt_rw = QWidget()
        row = QHBoxLayout(rt_rw)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.rt)
        row.addWidget(QLabel("/"))
        row.addWidget(self.rw)
        row.addStretch()
        rt_rw.setFocusProxy(self.rt)  # Alt+R goes to the RT
        self.gps_lat, self.gps_lon = QLineEdit(), QLineEdit()
        self.gps_lat.setPlaceholderText(_("Lintang, mis. -2,8833"))
        self.gps_lon.setPlaceholderText(_("Bujur, mis. 103,8500"))
        gps = QWidget()
        row = QHBoxLayout(gps)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.gps_lat)
        row.addWidget(self.gps_lon)
        gps.setFocusProxy(self.gps_lat)
        self.decile = QLineEdit()
        self.decile.setMaxLength(2)
        self.decile.setMaximumWidth(60)
        self.decile.setPlaceholderText("1–10")
        self.decile_source = ChoiceBox(choice_items(DECILE_SOURCES))
        self.decile_year = QLineEdit()
        self.decile_year.setMaxLength(4)
        self.decile_year.setMaximumWidth(80)
        self.decile_year.setPlaceholderText(_("mis. 2025"))
        self.notes = QLineEdit()
        self.add_row("kk_number", _("Nomor &KK"), self.kk)
        self.add_row("district", _("Ke&camatan"), self.district)
        self.add_row("village", _("&Desa/kelurahan"), self.village)
        self.add_row("address", _("&Alamat"), self.address)
        self.add_row("rt", _("&RT / RW"), rt_rw)
        self.inputs["rt"] = self.rt
        self.inputs["rw"] = self.rw
        self.add_row("gps", _("&GPS (lintang, bujur)"), gps)
        self.inputs.pop("gps")
        self.inputs["gps_lat"], self.inputs["gps_lon"] = self.gps_lat, self.gps_lon
        self.add_row("welfare_decile", _("Desi&l kesejahteraan"), self.decile)
        self.add_row("decile_source", _("Su&mber desil"), self.decile_source)
        self.add_row("decile_year", _("Ta&hun desil"), self.decile_year)
        self.add_row("notes", _("Ca&tatan"), self.notes)
        self.setTabOrder(self.rt, self.rw)
        self.setTabOrder(self.gps_lat, self.gps_lon)
        self.district.set_value(self.context.get("district_code"))
        self._fill_villages()
        self.title.setText(self.heading())
        self.setWindowTitle(self.heading())

    def heading(self) -> str:
        return _("Ubah data rumah tangga") if self.editing else _("Rumah tangga baru")

    def fill_from(self, household: dict) -> None:
        village = household.get("village_code") or ""
        self.kk.setText(household.get("kk_number") or "")
        self.district.set_value(village.rsplit(".", 1)[0] if village else None)
        self.village.set_value(village)
        self.address.setText(household.get("address") or "")
        self.rt.setText(household.get("rt") or "")
        self.rw.setText(household.get("rw") or "")
        for edit, value in (
            (self.gps_lat, household.get("gps_lat")),
            (self.gps_lon, household.get("gps_lon")),
        ):
            edit.setText("" if value is None else f"{value:.6f}".rstrip("0").rstrip("."))
        decile = household.get("welfare_decile")
        self.decile.setText("" if decile is None else str(decile))
        self.decile_source.set_value(household.get("decile_source"))
        year = household.get("decile_year")
        self.decile_year.setText("" if year is None else str(year))
        self.notes.setText(household.get("notes") or "")
        self._initial = self.typed()
        self.check()

    def _fill_villages(self) -> None:
        district = self.district.value()
        villages = areas().villages(district) if district else []
        self.village.set_items((v.code, v.name) for v in villages)

    # -- checking --------------------------------------------------------------------------
    def check(self) -> bool:
        for name in self.fields:
            self.say(name)
        ok = self._check_kk()
        if not self.village.value():
            ok = False
            if self.tried_save:
                self.say("village", "error", _("Pilih kecamatan, lalu desa/kelurahan."))
        for edit in (self.rt, self.rw):
            if edit.text().strip() and not edit.text().strip().isdigit():
                self.say("rt", "error", _("RT dan RW hanya angka, mis. 003 / 001."))
                ok = False
        return self._check_gps() and self._check_decile() and ok

    def _check_decile(self) -> bool:
        try:
            decile = parse_decile(self.decile.text())
        except ValueError:
            self.say(
                "welfare_decile",
                "error",
                _("Desil kesejahteraan adalah angka 1 sampai 10 (1 = paling miskin)."),
            )
            return False
        if decile is not None and not self.decile_source.value():
            level = "error" if self.tried_save else "hint"
            self.say("decile_source", level, _("Pilih dari mana desil ini diketahui."))
            return False
        if decile is None and self.decile_source.value():
            self.say("welfare_decile", "error", _("Isi desilnya, atau kosongkan sumbernya."))
            return False
        return self._check_decile_year(decile)

    def _check_decile_year(self, decile) -> bool:
        """The year of the list the decile came from: the core's rule (2000 to next year)."""
        text = self.decile_year.text().strip()
        if not text:
            return True
        if decile is None:
            self.say("decile_year", "error", _("Isi desilnya, atau kosongkan tahunnya."))
            return False
        try:
            rules.check_decile_year(int(text) if text.isdigit() else text)
        except rules.RuleError as exc:
            self.say("decile_year", "error", exc.message)
            return False
        return True

    def _check_kk(self) -> bool:
        text = self.kk.text()
        key = None
        ok = True
        if text.strip():
            try:
                kk = parse_kk(text)
            except InvalidKk as exc:
                digits = re.sub(r"[ .\-]", "", text)
                typing = digits.isdigit() and len(digits) < 16 and not self.tried_save
                self.say("kk_number", "hint" if typing else "error", localized(exc))
                ok = False
            else:
                key = kk.number
                notes = [
                    *map(localized, kk.warnings),
                    *kk_elsewhere(kk.district_code, self.district.value()),
                ]
                if notes:
                    self.say("kk_number", "warning", "\n".join(notes))
        self._look_for_kk(key)
        return ok

    def _check_gps(self) -> bool:
        try:
            lat, lon = parse_coordinate(self.gps_lat.text()), parse_coordinate(self.gps_lon.text())
        except ValueError:
            self.say("gps", "error", _("Koordinat ditulis sebagai angka desimal, mis. -2,8833."))
            return False
        if (lat is None) != (lon is None):
            self.say("gps", "error", _("Isi lintang dan bujur, atau kosongkan keduanya."))
            return False
        if lat is not None and not LAT_RANGE[0] <= lat <= LAT_RANGE[1]:
            self.say("gps", "error", _("Lintang harus antara -11 dan 6 (wilayah Indonesia)."))
            return False
        if lon is not None and not LON_RANGE[0] <= lon <= LON_RANGE[1]:
            self.say("gps", "error", _("Bujur harus antara 95 dan 141 (wilayah Indonesia)."))
            return False
        if lat is None:
            self.say("gps", "hint", _("Boleh dikosongkan; dapat diambil dari foto rumah nanti."))
        return True

    def _look_for_kk(self, kk_number: str | None) -> None:
        if kk_number == self._kk_key:
            return
        self._kk_key = kk_number
        self.banner.hide()
        if kk_number is None or self.main.reader is None:
            return
        exclude = self.context.get("record_id")

        def found(households: list[dict]) -> None:
            if households and self._kk_key == kk_number:
                text = _("Nomor KK ini sudah terdaftar (desa {village}).").format(
                    village=households[0]["village"] or "–"
                )
                self.banner.show_found(text, households[0]["id"])

        self.main.reader.submit(
            f"duplicates-kk:{self.draft_id}",
            lambda db: duplicates.households_with_kk(db, kk_number, exclude_id=exclude),
            found,
        )

    # -- saving ----------------------------------------------------------------------------
    def values(self) -> dict:
        kk = parse_kk(self.kk.text()).number if self.kk.text().strip() else None
        return {
            "kk_number": kk,
            "village_code": self.village.value(),
            "address": self.address.text().strip() or None,
            "rt": self.rt.text().strip().zfill(3) if self.rt.text().strip() else None,
            "rw": self.rw.text().strip().zfill(3) if self.rw.text().strip() else None,
            "gps_lat": parse_coordinate(self.gps_lat.text()),
            "gps_lon": parse_coordinate(self.gps_lon.text()),
            "welfare_decile": parse_decile(self.decile.text()),
            "decile_source": self.decile_source.value(),
            "decile_year": _year(self.decile_year.text()),
            "notes": self.notes.text().strip() or None,
        }

    def label(self) -> str:
        """How the household is named in the person form's title."""
        village = self.village.currentText() if self.village.value() else ""
        return " · ".join(p for p in (self.kk.text().strip(), village) if p)

    def save(self) -> None:
        self._pending = self.values() if self.check() else None
        super().save()

    def write(self, reg) -> operations.Changes:
        values = self._pending
        actor = operations.Actor(reg.operator_id)
        if self.editing:
            return operations.edit_household(
                reg, actor, self.context["record_id"], values, base_rev=self.context.get("base_rev")
            )
        return operations.register_household(reg, actor, **values)


def _year(text: str) -> int | None:
    """The decile's year as typed: a whole number, or None when empty (the check said why)."""
    text = text.strip()
    return int(text) if text.isdigit() else None
