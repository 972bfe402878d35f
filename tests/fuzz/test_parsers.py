"""NIK, KK and rupiah parsers: any text gives a value or the parser's own error, never
another exception, and what they accept is well-formed."""

from hypothesis import given, settings
from hypothesis import strategies as st

from muba_desk.domain.money import format_rupiah, parse_rupiah
from muba_desk.domain.nik import InvalidKk, InvalidNik, parse_kk, parse_nik
from tests.fuzz.conftest import PROFILE

digits_and_noise = st.text(alphabet="0123456789 .-\t\u00a0\u0661O", max_size=24)
anything = st.one_of(st.text(max_size=40), digits_and_noise)


@settings.get_profile(PROFILE)
@given(anything)
def test_parse_nik_accepts_only_sixteen_digits(text):
    try:
        nik = parse_nik(text)
    except InvalidNik:
        return
    assert len(nik.number) == 16 and nik.number.isascii() and nik.number.isdigit()


@settings.get_profile(PROFILE)
@given(anything)
def test_parse_kk_accepts_only_sixteen_digits(text):
    try:
        kk = parse_kk(text)
    except InvalidKk:
        return
    assert len(kk.number) == 16 and kk.number.isascii() and kk.number.isdigit()


@settings.get_profile(PROFILE)
@given(st.one_of(st.text(max_size=40), st.text(alphabet="Rp0123456789.,- ", max_size=30)))
def test_parse_rupiah_gives_a_whole_amount_or_value_error(text):
    try:
        amount = parse_rupiah(text)
    except ValueError:
        return
    assert isinstance(amount, int)


@settings.get_profile(PROFILE)
@given(st.integers(min_value=0, max_value=10**13))
def test_formatted_rupiah_reads_back(amount):
    assert parse_rupiah(format_rupiah(amount)) == amount
