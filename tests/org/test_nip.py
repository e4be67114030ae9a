"""NIP vectors exactly per the design (PNS and PPPK patterns, real dates, sex digit)."""

import pytest

from portal.org.nip import NipError, validate_nip

SEX = "Digit jenis kelamin pada NIP harus 1 (laki-laki) atau 2 (perempuan)."


@pytest.mark.parametrize(
    ("nip", "status"),
    [
        ("198503122010011001", "PNS"),  # born 12 Mar 1985, TMT Jan 2010, male, 001
        ("199012252019032004", "PNS"),  # female
        ("19850312 201001 1 001", "PNS"),  # spaces as printed on documents
        ("199004152021211003", "PPPK"),  # TMT 2021, '2', digit, male
        ("198811302022212017", "PPPK"),  # female
    ],
)
def test_valid_nips_are_accepted(nip, status):
    assert validate_nip(nip, status) == nip.replace(" ", "")


@pytest.mark.parametrize(
    ("nip", "status", "message"),
    [
        ("19850312201001100", "PNS", "NIP harus 18 digit (sekarang 17)."),
        ("1985031220100110011", "PNS", "NIP harus 18 digit (sekarang 19)."),
        ("19850312201001100A", "PNS", "NIP hanya boleh berisi angka."),
        ("", "PNS", "NIP wajib diisi."),
        ("198502302010011001", "PNS", "Tanggal lahir pada NIP tidak valid."),  # 30 February
        ("198513122010011001", "PNS", "Tanggal lahir pada NIP tidak valid."),  # month 13
        ("198503122010131001", "PNS", "TMT CPNS pada NIP tidak valid."),  # TMT month 13
        ("198503122010013001", "PNS", SEX),
        ("199004152021111003", "PPPK", "Digit ke-13 NIP PPPK harus 2."),
        ("199004152021213003", "PPPK", SEX),
        ("199004151990211003", "PPPK", "Tahun TMT pada NIP tidak valid."),
    ],
)
def test_invalid_nips_get_a_clear_indonesian_message(nip, status, message):
    with pytest.raises(NipError) as error:
        validate_nip(nip, status)
    assert str(error.value) == message


def test_a_pppk_nip_is_recognised_from_its_digits_without_a_status():
    for status in ("PNS", "CPNS", "PPPK"):
        assert validate_nip("200012312024211001", status) == "200012312024211001"
