"""Reference data: office values win over defaults, and malformed values are caught."""

from __future__ import annotations

import pytest

from muba_desk.domain.programs import PROGRAMS
from muba_desk.domain.reference import DEFAULTS, reference_value, validate_reference


def test_default_used_when_the_office_sent_nothing():
    assert reference_value({}, "BANTU_UMAK.amount_per_person_month") == 325_000
    assert reference_value(None, "BERTANI.min_area_per_person") == 7.2


def test_office_value_wins():
    reference = {"BANTU_UMAK.amount_per_person_month": 350_000}
    assert reference_value(reference, "BANTU_UMAK.amount_per_person_month") == 350_000
    assert reference_value(reference, "PKM.max_grant") == DEFAULTS["PKM.max_grant"]


def test_unknown_key():
    with pytest.raises(KeyError, match="BANTU_UMAK.amount_per_month"):
        reference_value({}, "BANTU_UMAK.amount_per_month")


def test_keys_belong_to_programs_and_pairs_name_programs():
    for key in DEFAULTS:
        prefix = key.split(".")[0]
        assert prefix in PROGRAMS or prefix in ("forbidden_pairs", "receipt"), key
    for pair in DEFAULTS["forbidden_pairs"]:
        assert set(pair) <= set(PROGRAMS)
    assert ("BANTU_UMAK", "PEDAS_NIA") in DEFAULTS["forbidden_pairs"]


def test_defaults_pass_their_own_validation():
    assert validate_reference(DEFAULTS) == {}


def test_choice_lists_in_the_defaults_are_values_of_the_forms():
    """A list such as Bertani's poor floors must name values the form can produce."""
    lists = {
        "PAKE_KELAMBU.occupations": ("PAKE_KELAMBU", "occupation"),
        "BERTANI.fragile_roof": ("BERTANI", "roof_material"),
        "BERTANI.fragile_wall": ("BERTANI", "wall_material"),
        "BERTANI.poor_floor": ("BERTANI", "floor_material"),
        "BERTANI.damaged_conditions": ("BERTANI", "roof_condition"),
        "KUBE_UEP.excluded_occupations": ("PAKE_KELAMBU", "occupation"),
    }
    for key, (code, name) in lists.items():
        values = PROGRAMS[code].get_field(name).values
        assert set(DEFAULTS[key]) <= set(values), key


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("BANTU_UMAK.amount_per_person_month", "325000"),
        ("BANTU_UMAK.amount_per_person_month", -1),
        ("BANTU_UMAK.amount_per_person_month", True),
        ("BERTANI.min_area_per_person", "7,2"),
        ("PAKE_KELAMBU.occupations", "nelayan"),
        ("BANTU_UMAK.coverage", [[2, 1], [8, 3]]),
        ("BANTU_UMAK.coverage", [[1, 1], [8, 3], [2, 2]]),
        ("BANTU_UMAK.coverage", [[1, 1, 1]]),
        ("BANTU_UMAK.coverage", []),
        ("forbidden_pairs", [["BANTU_UMAK"]]),
        ("no_such_key", 1),
    ],
)
def test_malformed_values_are_caught(key, value):
    errors = validate_reference({key: value})
    assert list(errors) == [key]


def test_good_office_values():
    reference = {
        "BANTU_UMAK.amount_per_person_month": 350_000,
        "BERTANI.min_area_per_person": 8,
        "BANTU_UMAK.coverage": [[1, 1], [3, 2], [9, 4]],
        "forbidden_pairs": [["PKM", "KUBE_UEP"]],
    }
    assert validate_reference(reference) == {}
