import pytest

from muba_desk.domain.names import name_key, similarity, tokens


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        ("Muhammad Yusuf", "M. Yusuf", "'M.' dibaca 'Muhammad'"),
        ("MOH. YUSUF", "Muhamad Yusuf", "'Moh.' dibaca 'Muhammad'"),
        ("Mohammad Yusuf", "Muhammad Yusuf", "'Mohammad' dibaca 'Muhammad'"),
        ("Noor Aini", "Nur Aini", "'Noor' dibaca 'Nur'"),
        ("St. Aminah", "Siti Aminah", "'St.' dibaca 'Siti'"),
        ("Nurhayati", "Nur Hayati", "beda spasi antarkata"),
        ("Soekarno", "Sukarno", "ejaan lama (oe/dj/tj/ch) disamakan dengan ejaan baru"),
        ("Rahmawaty", "Rahmawati", "ejaan berbeda, bunyinya sama"),
    ],
)
def test_spelling_variants_score_high_with_the_reason(a, b, reason):
    match = similarity(a, b)
    assert match.score >= 0.95
    assert reason in match.reasons
    assert name_key(a) == name_key(b)


def test_case_spacing_and_diacritics_do_not_matter():
    assert similarity("siti  aminah", "SITI AMINAH").score == 1.0
    assert similarity("José Rizal", "Jose Rizal").score == 1.0
    assert tokens("H. Muh. Ali bin Umar") == ["muhamad", "ali", "umar"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Muhammad Yusuf", "Muhammad Yunus"),
        ("Dewi Lestari", "Dewi Sartika"),
        ("Hasan", "Husain"),
        ("Budi Santoso", "Siti Aminah"),
    ],
)
def test_different_names_stay_apart(a, b):
    assert similarity(a, b).score < 0.85


def test_initials_and_longer_names_are_likely_but_not_certain():
    assert 0.85 <= similarity("A. Rahman", "Ahmad Rahman").score < 0.95
    match = similarity("Siti Aminah", "Siti Aminah Hasan")
    assert match.score == 0.9 and "satu nama lebih lengkap" in match.reasons
    assert similarity("", "Siti").score == 0.0


def test_one_word_inside_a_longer_name_is_not_enough():
    assert similarity("Cahaya", "Nur Cahaya").score < 0.85
