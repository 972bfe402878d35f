"""Bertani: renovation of an uninhabitable house (RTLH), once per household, in three stages."""

from __future__ import annotations

from collections.abc import Mapping

from muba_desk.domain.programs.base import (
    EligibilityContext,
    Field,
    Program,
    Reason,
    choices,
    dates_in_order,
    fmt_num,
    number,
    required_when,
)

ROOFS = choices(
    ("genteng", "Genteng", "Roof tiles"),
    ("seng", "Seng", "Corrugated iron"),
    ("asbes", "Asbes", "Asbestos sheet"),
    ("beton", "Beton", "Concrete"),
    ("rumbia_daun", "Rumbia / daun", "Thatch / leaves"),
    ("terpal_plastik", "Terpal / plastik", "Tarpaulin / plastic"),
    ("lainnya", "Lainnya", "Other"),
)
WALLS = choices(
    ("tembok", "Tembok (bata, batako)", "Masonry"),
    ("papan_kayu", "Papan kayu", "Wooden boards"),
    ("bambu", "Bambu / anyaman bambu", "Bamboo / woven bamboo"),
    ("triplek", "Triplek", "Plywood"),
    ("seng", "Seng", "Corrugated iron"),
    ("terpal_plastik", "Terpal / plastik", "Tarpaulin / plastic"),
    ("lainnya", "Lainnya", "Other"),
)
FLOORS = choices(
    ("keramik", "Keramik / ubin", "Ceramic tiles"),
    ("semen", "Semen / plester", "Cement screed"),
    ("papan_kayu", "Papan kayu", "Wooden boards"),
    ("bambu", "Bambu", "Bamboo"),
    ("tanah", "Tanah", "Earth"),
    ("lainnya", "Lainnya", "Other"),
)
CONDITIONS = choices(
    ("baik", "Baik", "Good"),
    ("rusak_ringan", "Rusak ringan", "Slightly damaged"),
    ("rusak_sedang", "Rusak sedang", "Moderately damaged"),
    ("rusak_berat", "Rusak berat", "Badly damaged"),
)
WATER = choices(
    ("ledeng", "Ledeng / PDAM", "Piped water"),
    ("sumur_bor", "Sumur bor", "Drilled well"),
    ("sumur_gali", "Sumur gali", "Dug well"),
    ("sungai", "Sungai / rawa", "River / swamp"),
    ("air_hujan", "Air hujan", "Rainwater"),
    ("air_kemasan", "Air kemasan / isi ulang", "Bottled / refill water"),
    ("lainnya", "Lainnya", "Other"),
)
TOILETS = choices(
    ("sendiri", "Jamban sendiri", "Own toilet"),
    ("bersama", "Jamban bersama", "Shared toilet"),
    ("umum", "Jamban umum", "Public toilet"),
    ("tidak_ada", "Tidak ada (sungai, kebun)", "None (river, field)"),
)
LIGHTING = choices(
    ("pln_meter", "Listrik PLN dengan meteran sendiri", "Mains electricity, own meter"),
    ("pln_menumpang", "Listrik PLN menumpang", "Mains electricity, shared"),
    ("non_pln", "Listrik non-PLN (genset, surya)", "Other electricity (generator, solar)"),
    ("pelita", "Pelita / lampu minyak", "Oil lamp"),
    ("tidak_ada", "Tidak ada", "None"),
)
LAND_EVIDENCE = choices(
    ("shm", "Sertifikat Hak Milik (SHM)", "Freehold certificate (SHM)"),
    ("ajb", "Akta Jual Beli (AJB)", "Deed of sale (AJB)"),
    ("girik_sporadik", "Girik / SPORADIK", "Girik / SPORADIK statement"),
    ("sk_desa", "Surat keterangan desa", "Village statement"),
    ("tidak_ada", "Tidak ada", "None"),
)
STAGES = choices(
    ("0", "0 % (belum dikerjakan)", "0 % (not started)"),
    ("50", "50 % (sedang dikerjakan)", "50 % (in progress)"),
    ("100", "100 % (selesai)", "100 % (finished)"),
)

FIELDS = (
    Field("roof_material", "choice", "Bahan atap", "Roof material", required=True, choices=ROOFS),
    Field(
        "roof_condition",
        "choice",
        "Kondisi atap",
        "Roof condition",
        required=True,
        choices=CONDITIONS,
    ),
    Field(
        "wall_material", "choice", "Bahan dinding", "Wall material", required=True, choices=WALLS
    ),
    Field(
        "wall_condition",
        "choice",
        "Kondisi dinding",
        "Wall condition",
        required=True,
        choices=CONDITIONS,
    ),
    Field(
        "floor_material", "choice", "Bahan lantai", "Floor material", required=True, choices=FLOORS
    ),
    Field(
        "floor_condition",
        "choice",
        "Kondisi lantai",
        "Floor condition",
        required=True,
        choices=CONDITIONS,
    ),
    Field(
        "floor_area",
        "decimal",
        "Luas lantai (m²)",
        "Floor area (m²)",
        required=True,
        min=1,
        max=1000,
    ),
    Field(
        "occupants",
        "int",
        "Jumlah penghuni",
        "Occupants",
        required=True,
        min=1,
        max=50,
    ),
    Field("water_source", "choice", "Sumber air minum", "Drinking water", choices=WATER),
    Field("toilet", "choice", "Jamban", "Toilet", required=True, choices=TOILETS),
    Field("lighting", "choice", "Penerangan", "Lighting", choices=LIGHTING),
    Field(
        "land_evidence",
        "choice",
        "Bukti kepemilikan tanah",
        "Land ownership evidence",
        required=True,
        choices=LAND_EVIDENCE,
    ),
    Field(
        "land_disputed",
        "bool",
        "Tanah dalam sengketa",
        "Land under dispute",
        required=True,
    ),
    Field(
        "had_housing_aid",
        "bool",
        "Pernah menerima bantuan rumah",
        "Had housing aid before",
        required=True,
    ),
    Field(
        "housing_aid_year",
        "int",
        "Tahun bantuan rumah terakhir",
        "Year of the last housing aid",
        min=1945,
        max=2100,
    ),
    Field("gps_lat", "decimal", "Lintang (GPS)", "Latitude (GPS)", min=-90, max=90),
    Field("gps_lon", "decimal", "Bujur (GPS)", "Longitude (GPS)", min=-180, max=180),
    Field("budget", "money", "Anggaran", "Budget", min=0, max=1_000_000_000),
    Field("progress", "choice", "Tahap pekerjaan", "Progress stage", choices=STAGES),
    Field("work_start", "date", "Mulai dikerjakan", "Work started"),
    Field("work_end", "date", "Selesai dikerjakan", "Work finished"),
)


def _field(name: str) -> Field:
    return next(f for f in FIELDS if f.name == name)


def area_per_person(data: Mapping[str, object]) -> float | None:
    """Floor area / occupants in m² per person; None when either is missing or not positive."""
    area, occupants = number(data, "floor_area"), number(data, "occupants")
    if not area or not occupants or area <= 0 or occupants <= 0:
        return None
    return area / occupants


def _land(ctx: EligibilityContext) -> Reason:
    evidence = ctx.data.get("land_evidence")
    if not evidence or evidence == "tidak_ada":
        return Reason(
            False,
            "Tidak ada bukti kepemilikan tanah.",
            "No evidence of land ownership.",
            "land",
        )
    field = _field("land_evidence")
    if ctx.data.get("land_disputed") is not False:
        # Unknown counts as not shown: the rule needs land that is known to be undisputed.
        state_id = "dalam sengketa" if ctx.data.get("land_disputed") else "belum jelas sengketanya"
        state_en = "under dispute" if ctx.data.get("land_disputed") else "dispute not checked"
        return Reason(False, f"Tanah {state_id}.", f"Land {state_en}.", "land")
    return Reason(
        True,
        f"Tanah dengan bukti {field.choice_label(evidence)}, tidak dalam sengketa.",
        f"Land held by {field.choice_label(evidence, 'en')}, not disputed.",
        "land",
    )


def _rtlh(ctx: EligibilityContext) -> Reason:
    data = ctx.data
    damaged = tuple(ctx.ref("BERTANI.damaged_conditions"))  # type: ignore[arg-type]
    limit = float(ctx.ref("BERTANI.min_area_per_person"))  # type: ignore[arg-type]
    found: list[tuple[str, str]] = []
    for part, part_id, part_en, key in (
        ("roof", "atap", "roof", "BERTANI.fragile_roof"),
        ("wall", "dinding", "walls", "BERTANI.fragile_wall"),
    ):
        material, condition = data.get(f"{part}_material"), data.get(f"{part}_condition")
        if material in tuple(ctx.ref(key)):  # type: ignore[arg-type]
            found.append((f"{part_id} dari bahan tidak layak", f"{part_en} of a fragile material"))
        elif condition in damaged:
            found.append((f"{part_id} rusak", f"damaged {part_en}"))
    floor = data.get("floor_material")
    if floor in tuple(ctx.ref("BERTANI.poor_floor")):  # type: ignore[arg-type]
        f = _field("floor_material")
        found.append(
            (
                f"lantai {f.choice_label(floor).lower()}",
                f"{f.choice_label(floor, 'en').lower()} floor",
            )
        )
    if data.get("toilet") == "tidak_ada":
        found.append(("tidak ada jamban", "no toilet"))
    area = area_per_person(data)
    if area is not None and area < limit:
        found.append(
            (
                f"luas {fmt_num(area)} m² per orang (kurang dari {fmt_num(limit)} m²)",
                f"{fmt_num(area, 'en')} m² per person (under {fmt_num(limit, 'en')} m²)",
            )
        )
    if found:
        return Reason(
            True,
            "Rumah tidak layak huni: " + "; ".join(f[0] for f in found) + ".",
            "Uninhabitable house: " + "; ".join(f[1] for f in found) + ".",
            "rtlh",
        )
    area_id = f", luas {fmt_num(area)} m² per orang" if area is not None else ""
    area_en = f", {fmt_num(area, 'en')} m² per person" if area is not None else ""
    return Reason(
        False,
        f"Tidak memenuhi kriteria rumah tidak layak huni{area_id} "
        f"(batas {fmt_num(limit)} m² per orang).",
        f"Does not meet the uninhabitable-house criteria{area_en} "
        f"(limit {fmt_num(limit, 'en')} m² per person).",
        "rtlh",
    )


def _earlier_aid(ctx: EligibilityContext) -> Reason:
    gap = int(ctx.ref("BERTANI.aid_gap_years"))  # type: ignore[arg-type]
    had = ctx.data.get("had_housing_aid")
    year = ctx.data.get("housing_aid_year")
    if had is False:
        return Reason(
            True, "Belum pernah menerima bantuan rumah.", "No earlier housing aid.", "earlier_aid"
        )
    if had is None:
        return Reason(
            False,
            "Belum diisi apakah pernah menerima bantuan rumah.",
            "Earlier housing aid not answered.",
            "earlier_aid",
        )
    if not isinstance(year, int):
        return Reason(
            False,
            "Tahun bantuan rumah sebelumnya belum diisi.",
            "Year of the earlier housing aid missing.",
            "earlier_aid",
        )
    if ctx.today.year - year < gap:
        return Reason(
            False,
            f"Sudah menerima bantuan rumah tahun {year}, kurang dari {gap} tahun lalu.",
            f"Had housing aid in {year}, less than {gap} years ago.",
            "earlier_aid",
        )
    return Reason(
        True,
        f"Bantuan rumah terakhir tahun {year}, lebih dari {gap} tahun lalu.",
        f"Last housing aid in {year}, over {gap} years ago.",
        "earlier_aid",
    )


def _stage_dates(data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.get("progress") in ("50", "100") and not data.get("work_start"):
        errors["work_start"] = "Wajib diisi bila pekerjaan sudah dimulai."
    if data.get("progress") == "100" and not data.get("work_end"):
        errors["work_end"] = "Wajib diisi bila pekerjaan sudah selesai."
    return errors


PROGRAM = Program(
    code="BERTANI",
    name="Bertani",
    expansion="Bantuan Bedah Rumah Tidak Layak Huni",
    summary_id="Bedah rumah tidak layak huni, sekali untuk satu rumah tangga, dalam tiga tahap.",
    summary_en="Renovation of an uninhabitable house, once per household, in three stages.",
    target="person",
    # The largest one hand-over: one house's materials in up to two tranches (20 juta a house).
    max_handover=50_000_000,
    fields=FIELDS,
    rules=(_land, _rtlh, _earlier_aid),
    checks=(
        required_when(lambda d: d.get("had_housing_aid") is True, "housing_aid_year"),
        _stage_dates,
        dates_in_order(
            "work_start", "work_end", "Tanggal selesai tidak boleh sebelum tanggal mulai."
        ),
    ),
    once_per_household=True,
)
