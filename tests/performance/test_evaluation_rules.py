"""The national rules with the regulation's own vectors: the 3x3 predikat matrix, the five
distribution curves at their edges, angka kredit (PerBKN 3/2023)."""

from decimal import Decimal

import pytest

from portal.performance.evaluation.rules import (
    ISTIMEWA,
    angka_kredit,
    distribution_problems,
    jenjang_of,
    predikat_of,
)
from portal.performance.models import (
    BAIK,
    BUTUH_PERBAIKAN,
    DI_ATAS,
    DI_BAWAH,
    KURANG,
    SANGAT_BAIK,
    SANGAT_KURANG,
    SESUAI,
)


@pytest.mark.parametrize(
    ("hasil", "perilaku", "predikat"),
    [
        (DI_ATAS, DI_BAWAH, KURANG),
        (DI_ATAS, SESUAI, BAIK),
        (DI_ATAS, DI_ATAS, SANGAT_BAIK),
        (SESUAI, DI_BAWAH, KURANG),
        (SESUAI, SESUAI, BAIK),
        (SESUAI, DI_ATAS, BAIK),
        (DI_BAWAH, DI_BAWAH, SANGAT_KURANG),
        (DI_BAWAH, SESUAI, BUTUH_PERBAIKAN),
        (DI_BAWAH, DI_ATAS, BUTUH_PERBAIKAN),
    ],
)
def test_the_matrix_gives_the_predikat_of_each_of_its_nine_cells(hasil, perilaku, predikat):
    assert predikat_of(hasil, perilaku) == predikat


def test_no_predikat_while_a_rating_is_missing_or_unknown():
    assert predikat_of(DI_ATAS, None) is None
    assert predikat_of(None, SESUAI) is None
    assert predikat_of("luar_biasa", SESUAI) is None


def _counts(**numbers):
    return dict(numbers.items())


def test_istimewa_allows_70_percent_sangat_baik_not_71(app):
    assert distribution_problems(_counts(sangat_baik=70, baik=30), ISTIMEWA) == []
    problems = distribution_problems(_counts(sangat_baik=71, baik=29), ISTIMEWA)
    assert len(problems) == 1 and "70%" in problems[0] and "Sangat Baik" in problems[0]


def test_baik_allows_70_percent_baik_not_71_and_needs_at_least_one_low(app):
    assert distribution_problems(_counts(baik=70, sangat_baik=29, butuh_perbaikan=1), BAIK) == []
    assert distribution_problems(_counts(baik=69, sangat_baik=30, kurang=1), BAIK) == []
    over = distribution_problems(_counts(baik=71, sangat_baik=28, butuh_perbaikan=1), BAIK)
    assert len(over) == 1 and "70%" in over[0]
    none_low = distribution_problems(_counts(baik=70, sangat_baik=30), BAIK)
    assert len(none_low) == 1 and "Butuh Perbaikan" in none_low[0]


def test_butuh_perbaikan_needs_60_percent_and_at_most_10_percent_sangat_baik(app):
    ok = _counts(butuh_perbaikan=60, sangat_baik=10, baik=30)
    assert distribution_problems(ok, BUTUH_PERBAIKAN) == []
    few = distribution_problems(
        _counts(butuh_perbaikan=59, sangat_baik=10, baik=31), BUTUH_PERBAIKAN
    )
    assert len(few) == 1 and "60%" in few[0] and "59" in few[0]
    many_sb = distribution_problems(
        _counts(butuh_perbaikan=60, sangat_baik=11, baik=29), BUTUH_PERBAIKAN
    )
    assert len(many_sb) == 1 and "10%" in many_sb[0] and "11" in many_sb[0]


def test_kurang_needs_60_percent_kurang_10_percent_butuh_perbaikan_at_most_10_sangat_baik(app):
    assert (
        distribution_problems(
            _counts(kurang=60, butuh_perbaikan=10, sangat_baik=10, baik=20), KURANG
        )
        == []
    )
    assert (
        len(
            distribution_problems(
                _counts(kurang=59, butuh_perbaikan=10, sangat_baik=10, baik=21), KURANG
            )
        )
        == 1
    )
    assert (
        len(
            distribution_problems(
                _counts(kurang=60, butuh_perbaikan=9, sangat_baik=10, baik=21), KURANG
            )
        )
        == 1
    )
    assert (
        len(
            distribution_problems(
                _counts(kurang=60, butuh_perbaikan=10, sangat_baik=11, baik=19), KURANG
            )
        )
        == 1
    )


def test_sangat_kurang_needs_60_percent_10_percent_kurang_or_bp_and_no_sangat_baik(app):
    ok = _counts(sangat_kurang=60, kurang=5, butuh_perbaikan=5, baik=30)
    assert distribution_problems(ok, SANGAT_KURANG) == []
    assert (
        len(distribution_problems(_counts(sangat_kurang=59, kurang=10, baik=31), SANGAT_KURANG))
        == 1
    )
    assert (
        len(distribution_problems(_counts(sangat_kurang=60, kurang=9, baik=31), SANGAT_KURANG)) == 1
    )
    one_sb = distribution_problems(
        _counts(sangat_kurang=60, kurang=10, baik=29, sangat_baik=1), SANGAT_KURANG
    )
    assert len(one_sb) == 1 and "Sangat Baik" in one_sb[0]


def test_an_unrated_unit_or_one_without_organisation_predikat_breaks_nothing(app):
    assert distribution_problems({}, BAIK) == []
    assert distribution_problems(_counts(baik=10), None) == []


def test_angka_kredit_follows_perbkn_3_2023():
    assert angka_kredit(SANGAT_BAIK, "Ahli Pertama", 12) == Decimal("18.75")
    assert angka_kredit(BAIK, "Ahli Pertama", 2) == Decimal("2.08")
    assert angka_kredit(BUTUH_PERBAIKAN, "Ahli Muda", 12) == Decimal("18.75")
    assert angka_kredit(SANGAT_KURANG, "Pemula", 6) == Decimal("0.47")
    assert angka_kredit(BAIK, None, 12) is None
    assert angka_kredit(None, "Ahli Madya", 12) is None


def test_the_jenjang_is_read_from_the_jabatan_fungsional():
    assert jenjang_of("Analis Kebijakan Ahli Muda") == "Ahli Muda"
    assert jenjang_of("Pranata Komputer Terampil") == "Terampil"
    assert jenjang_of("Kepala Bidang") is None
