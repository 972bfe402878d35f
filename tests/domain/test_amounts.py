from muba_desk.domain.programs.amounts import suggested_amount


def test_bantu_umak_pays_the_monthly_amount_for_the_households_size():
    one = suggested_amount("BANTU_UMAK", {"household_size": 1}, None)
    four = suggested_amount("BANTU_UMAK", {"household_size": 4}, None)
    nine = suggested_amount("BANTU_UMAK", {"household_size": 9}, None)
    assert (one.amount, four.amount, nine.amount) == (325_000, 650_000, 975_000)
    assert four.why() == "Aturan Bantu Umak: 2 jiwa × Rp 325.000 = Rp 650.000 per bulan."
    assert "2 people" in four.why("en")
    # The office's reference data wins over the defaults.
    raised = suggested_amount(
        "BANTU_UMAK", {"household_size": 4}, {"BANTU_UMAK.amount_per_person_month": 400_000}
    )
    assert raised.amount == 800_000


def test_grants_are_what_the_enrolment_holds_and_nothing_is_guessed():
    assert suggested_amount("KUBE_UEP", {"grant_amount": 20_000_000}, None).amount == 20_000_000
    assert suggested_amount("PKM", {"amount_granted": 3_000_000}, None).amount == 3_000_000
    assert suggested_amount("PKM", {"amount_asked": 5_000_000}, None) is None
    assert suggested_amount("BANTU_UMAK", {}, None) is None
    assert suggested_amount("BANTU_UMAK", {"household_size": "4"}, None) is None
    assert suggested_amount("PEDAS_NIA", {"aid_form": "tunai"}, None) is None
    assert suggested_amount("BERTANI", {"budget": 20_000_000}, None) is None
