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
}
