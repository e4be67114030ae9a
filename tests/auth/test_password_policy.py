"""The password policy: length, common passwords, NIP, name, pemda; argon2id parameters."""

import pytest

from portal.auth.passwords import hash_password
from portal.auth.policy import PasswordPolicyError, check_password, common_passwords

NIP = "198503122010011001"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("pendek", "minimal 12"),
        ("x" * 129, "paling panjang"),
        ("indonesia123", "terlalu umum"),
        ("bismillah12345", "terlalu umum"),
        ("Sayangku2024!", "terlalu umum"),
        ("password1234", "terlalu umum"),
        ("123456789012", "terlalu umum"),
        (f"aku-{NIP}", "NIP"),
        ("rahmawati-kopi-pagi", "nama"),
        ("hidup-sukamaju-jaya", "pemda"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password, reason):
    with pytest.raises(PasswordPolicyError) as error:
        check_password(password, nip=NIP, nama="Siti Rahmawati, S.Kom.")
    assert reason in str(error.value)


@pytest.mark.parametrize(
    "password",
    ["kopi pagi di taman kota", "Tiga-ekor-kuda-lari-ke-utara", "x" * 64, "ÄÖÜ ünïcödé pässwörd"],
)
def test_good_passphrases_are_accepted_without_composition_rules(password):
    assert check_password(password, nip=NIP, nama="Siti Rahmawati, S.Kom.") == password


def test_the_shipped_list_has_thousands_of_common_passwords_with_indonesian_ones():
    words = common_passwords()
    assert len(words) > 10_000
    assert {"indonesia123", "bismillah", "sayangku", "password"} <= words


def test_production_hash_parameters_meet_owasp_asvs(app):
    app.config["PASSWORD_HASH_MEMORY_KIB"] = 47104
    app.config["PASSWORD_HASH_TIME_COST"] = 1
    stored = hash_password("kopi pagi di taman kota")
    assert stored.startswith("$argon2id$")
    assert "m=47104,t=1" in stored
