"""Complete program data for tests that move an enrolment past Draf: from Diajukan on, the
data must be whole (`muba_desk.core.rules.check_program_data`)."""

DATA = {
    "PAKE_KELAMBU": {
        "occupation": "petani",
        "monthly_income": 1_500_000,
        "cover": ["jkk", "jkm"],
        "heir_name": "Siti Aminah",
        "heir_relation": "anak",
    },
    "BANTU_UMAK": {"decile_source": "dtsen", "household_size": 3, "payment_channel": "tunai"},
    "PEDAS_NIA": {"aid_form": "tunai"},
    "PKM": {"business_type": "ternak", "amount_asked": 3_000_000},
    "BAKUL_NASI": {"meals_per_day": 2, "delivery_period": "mingguan", "days_per_period": 7},
    "BERTANI": {
        "roof_material": "rumbia_daun",
        "roof_condition": "rusak_berat",
        "wall_material": "papan_kayu",
        "wall_condition": "rusak_sedang",
        "floor_material": "tanah",
        "floor_condition": "rusak_berat",
        "floor_area": 24.0,
        "occupants": 5,
        "toilet": "tidak_ada",
        "land_evidence": "sk_desa",
        "land_disputed": False,
        "had_housing_aid": False,
    },
}


def kube(group_name: str, members) -> dict:
    """KUBE data for a group of (person_id, role) members."""
    return {
        "group_name": group_name,
        "business_type": "ternak",
        "members": [{"person_id": pid, "role": role} for pid, role in members],
    }
