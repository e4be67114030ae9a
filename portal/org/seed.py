"""Demo data: a fictional Pemerintah Kota with realistic units and pegawai.

Units: Sekretariat Daerah, Sekretariat DPRD, Inspektorat, Bappeda, BKPSDM, Dinas Pendidikan,
Dinas Kesehatan, DPMPTSP, Dinas Lingkungan Hidup, Disdukcapil and two Kecamatan with their
Kelurahan, plus UPT. Each OPD has a chain four levels deep (kepala -> kabid/sekretaris ->
kasi/kasubag -> staf); kelurahan and UPT heads report to the camat or kepala dinas. One shared
demo password (hashed once), never in production. Bulk inserts in chunks inside transactions.
"""

from datetime import date

from portal.db import db
from portal.org.models import (
    ROLE_ADMIN,
    ROLE_ADMIN_OPD,
    ROLE_PENYELENGGARA,
    ROLE_PIMPINAN,
    Employee,
    RoleAssignment,
    Unit,
)
from portal.org.seed_data import (
    DEGREES,
    FAMILY_ANY,
    FAMILY_FEMALE,
    FAMILY_MALE,
    FEMALE,
    KASI,
    MALE,
    UNITS,
)

CHUNK = 1000

# The demo accounts: fixed, so `flask demo-logins` can find them again.
DEMO_ACCOUNTS = {
    "admin": ("Rudi Hartono, S.Kom.", "rudi.hartono", "BKPSDM", "Pranata Komputer Ahli Muda"),
    "admin_opd": ("Dewi Anggraini, S.E.", "dewi.anggraini", "DISDIK", "Analis Kepegawaian"),
    "penyelenggara": ("Fajar Nugroho, S.Sos.", "fajar.nugroho", "BKPSDM", "Widyaiswara Ahli Muda"),
    "atasan": (
        "Hendra Siregar, S.Pd., M.Pd.",
        "hendra.siregar",
        "DISDIK",
        "Kepala Seksi Kurikulum Sekolah Dasar",
    ),
    "pegawai": ("Siti Rahmawati, S.Pd.", "siti.rahmawati", "DISDIK", "Guru Ahli Pertama"),
}
DEMO_ORDER = ["admin", "admin_opd", "penyelenggara", "atasan", "pegawai"]


def email_domain(pemda_short):
    return f"{''.join(ch for ch in pemda_short.lower() if ch.isalnum())}.go.id"


class NipMaker:
    """Valid, unique NIPs: PNS birth+TMT+sex+serial, PPPK birth+TMT year+'2'+digit+sex+serial."""

    def __init__(self, rng, today):
        self.rng = rng
        self.today = today
        self.used = set()

    def make(self, sex, status="PNS", age_range=(24, 58), service=2):
        rng = self.rng
        while True:
            year = self.today.year - rng.randint(*age_range)
            birth = date(year, rng.randint(1, 12), rng.randint(1, 28))
            if status == "PPPK":
                tmt = f"{rng.randint(max(2019, year + 20), min(2024, self.today.year)):04d}"
                middle = f"{tmt}2{rng.randint(0, 9)}"
            elif status == "CPNS":
                middle = f"{self.today.year - rng.randint(0, 1):04d}{rng.choice([1, 3, 4]):02d}"
            else:
                tmt_year = min(self.today.year - service, year + rng.randint(22, 30))
                if tmt_year < year + 19:
                    continue  # too young for that many years of service: draw again
                middle = f"{tmt_year:04d}{rng.randint(1, 12):02d}"
            nip = f"{birth:%Y%m%d}{middle}{sex}{rng.randint(1, 999):03d}"
            if nip not in self.used:
                self.used.add(nip)
                return nip


class Seeder:
    def __init__(self, rng, today, password_hash, pemda_short="Sukamaju"):
        self.rng = rng
        self.today = today
        self.password_hash = password_hash
        self.domain = email_domain(pemda_short)
        self.nips = NipMaker(rng, today)
        self.emails = set()
        self.names = 0

    def person(self, senior=False):
        rng = self.rng
        degree_chance = 0.9 if senior else 0.6
        sex = rng.choice((1, 2))
        first = rng.choice(MALE if sex == 1 else FEMALE)
        family = rng.choice(FAMILY_ANY + (FAMILY_MALE if sex == 1 else FAMILY_FEMALE))
        nama = f"{first} {family}"
        if rng.random() < degree_chance:
            nama += f", {rng.choice(DEGREES[:-1] if senior else DEGREES)}"
        base = f"{first}.{family}".lower()
        email = f"{base}@{self.domain}"
        number = 2
        while email in self.emails:
            email = f"{base}{number}@{self.domain}"
            number += 1
        self.emails.add(email)
        return sex, nama, email

    def row(self, unit, supervisor_id, jabatan, jenis, golongan, status="PNS", fixed=None):
        if fixed:
            nama, handle = fixed[0], fixed[1]
            sex = 2 if nama.split()[0] in FEMALE else 1
            email = f"{handle}@{self.domain}"
            self.emails.add(email)
        else:
            sex, nama, email = self.person(senior=jenis in ("JPT", "Administrator", "Pengawas"))
        age = {"JPT": (48, 58), "Administrator": (42, 57), "Pengawas": (34, 55)}.get(
            jenis, (23, 56)
        )
        return {
            "nip": self.nips.make(
                sex, status, age, {"JPT": 20, "Administrator": 15, "Pengawas": 8}.get(jenis, 1)
            ),
            "nama": nama,
            "email": email,
            "status": status,
            "golongan": None if status == "PPPK" else golongan,
            "jenis_jabatan": jenis,
            "jabatan": jabatan,
            "unit": unit.id,
            "supervisor": supervisor_id,
            "password_hash": self.password_hash,
            "active": True,
        }


def _create_units():
    units = {}
    for kode, nama, jenis, parent_kode, *_rest in UNITS:
        parent = units.get(parent_kode)
        work_days = 6 if jenis in ("UPT", "Kelurahan") and "Puskesmas" in nama else 5
        unit = Unit.create(kode=kode, nama=nama, jenis=jenis, parent=parent, work_days=work_days)
        unit.path = f"{parent.path if parent else '/'}{unit.id}/"
        unit.save()
        units[kode] = unit
    return units


def _insert(row):
    return Employee.insert(**row).execute()


def _staff_golongan(rng, jabatan):
    if "Terampil" in jabatan or "Pengemudi" in jabatan or "Operator" in jabatan:
        return rng.choice(["II/a", "II/b", "II/c", "II/d", "III/a"])
    if "Pengadministrasi" in jabatan:
        return rng.choice(["II/c", "II/d", "III/a", "III/b"])
    return rng.choice(["III/a", "III/b", "III/c", "III/d"])


def _staff_status(rng, jabatan):
    roll = rng.random()
    if ("Guru" in jabatan or "Perawat" in jabatan or "Bidan" in jabatan) and roll < 0.35:
        return "PPPK"
    if roll < 0.05:
        return "CPNS"
    if roll < 0.12:
        return "PPPK"
    return "PNS"


def seed(rng, today, password_hash, pegawai=150, pemda_short="Sukamaju", progress=None):
    """Create units, pegawai and the demo accounts; return the context for domain demos."""
    seeder = Seeder(rng, today, password_hash, pemda_short)
    with db.atomic():
        units = _create_units()
        heads = {}  # unit kode -> employee id of its head
        slots = []  # (unit, supervisor id, staff jabatan list): where staff go
        demo = {}
        # Level 1 and 2 and 3: kepala, kabid/sekretaris, kasi/kasubag.
        for kode, _nama, jenis, parent_kode, kepala, bidang, staff in UNITS:
            unit = units[kode]
            top = parent_kode is None
            head_boss = None if top else heads[parent_kode]
            head_jenis = "JPT" if top else ("Pengawas" if jenis == "Kelurahan" else "Administrator")
            head_gol = rng.choice(["IV/c", "IV/d"]) if top else rng.choice(["III/d", "IV/a"])
            heads[kode] = _insert(seeder.row(unit, head_boss, kepala, head_jenis, head_gol))
            if not bidang:
                slots.append((unit, heads[kode], staff))
                continue
            for name in bidang:
                kabid = _insert(
                    seeder.row(
                        unit, heads[kode], name, "Administrator", rng.choice(["IV/a", "IV/b"])
                    )
                )
                sekretariat = name.startswith(("Sekretaris", "Kepala Bagian", "Asisten"))
                kasi_names = KASI["Sekretaris" if sekretariat else "default"]
                for kasi_name in kasi_names[: 1 if pegawai < 400 else 2]:
                    if (
                        kode == "DISDIK"
                        and not name.startswith("Sekretaris")
                        and "atasan" not in demo
                    ):
                        row = seeder.row(
                            unit,
                            kabid,
                            DEMO_ACCOUNTS["atasan"][3],
                            "Pengawas",
                            "III/d",
                            fixed=DEMO_ACCOUNTS["atasan"],
                        )
                        demo["atasan"] = _insert(row)
                        continue
                    kasi = _insert(
                        seeder.row(
                            unit, kabid, kasi_name, "Pengawas", rng.choice(["III/c", "III/d"])
                        )
                    )
                    slots.append((unit, kasi, staff))
        # The demo accounts that are staff.
        atasan_unit = units["DISDIK"]
        for key in ("pegawai", "admin_opd", "admin", "penyelenggara"):
            _name, _handle, unit_kode, jabatan = DEMO_ACCOUNTS[key]
            unit = units[unit_kode]
            if key == "pegawai":
                boss = demo["atasan"]
            else:
                boss = next(s for u, s, _j in slots if u.id == unit.id)
            jenis = "Fungsional Keahlian" if "Ahli" in jabatan or "Guru" in jabatan else "Pelaksana"
            demo[key] = _insert(
                seeder.row(unit, boss, jabatan, jenis, "III/b", fixed=DEMO_ACCOUNTS[key])
            )
        # Seven more subordinates for the demo atasan (eight in all).
        rows = []
        for _ in range(7):
            jabatan = rng.choice(
                ["Guru Ahli Pertama", "Guru Ahli Muda", "Pengelola Data Pendidikan"]
            )
            rows.append(
                seeder.row(
                    atasan_unit,
                    demo["atasan"],
                    jabatan,
                    "Fungsional Keahlian",
                    _staff_golongan(rng, jabatan),
                    _staff_status(rng, jabatan),
                )
            )
        Employee.insert_many(rows).execute()
        made = Employee.select().count()
    # The rest: staff spread over the slots, inserted in chunks.
    remaining = max(0, pegawai - made)
    index = 0
    while remaining > 0:
        size = min(CHUNK, remaining)
        rows = []
        for _ in range(size):
            unit, boss, staff = slots[index % len(slots)]
            index += 1
            jabatan = rng.choice(staff)
            jenis = (
                "Fungsional Keahlian"
                if "Ahli" in jabatan or "Guru" in jabatan
                else "Fungsional Keterampilan"
                if "Terampil" in jabatan
                else "Pelaksana"
            )
            rows.append(
                seeder.row(
                    unit,
                    boss,
                    jabatan,
                    jenis,
                    _staff_golongan(rng, jabatan),
                    _staff_status(rng, jabatan),
                )
            )
        with db.atomic():
            for start in range(0, len(rows), 250):
                Employee.insert_many(rows[start : start + 250]).execute()
        remaining -= size
        if progress:
            progress(size)
    with db.atomic():
        RoleAssignment.create(employee=demo["admin"], role=ROLE_ADMIN, unit=None)
        RoleAssignment.create(employee=demo["admin_opd"], role=ROLE_ADMIN_OPD, unit=units["DISDIK"])
        RoleAssignment.create(
            employee=demo["penyelenggara"], role=ROLE_PENYELENGGARA, unit=units["BKPSDM"]
        )
    accounts = {key: Employee.get_by_id(pk) for key, pk in demo.items()}
    return {
        "units": list(Unit.select().order_by(Unit.path)),
        "employees": list(Employee.select().order_by(Employee.id)),
        "today": today,
        **accounts,
    }


def demo_accounts(pemda_short="Sukamaju"):
    """[(role key, Employee)] of the demo accounts that exist."""
    domain = email_domain(pemda_short)
    found = []
    for key in DEMO_ORDER:
        employee = Employee.get_or_none(Employee.email == f"{DEMO_ACCOUNTS[key][1]}@{domain}")
        if employee is not None:
            found.append((key, employee))
    # The pimpinan (granted by the reports demo to a unit head, whose e-mail is not fixed).
    pimpinan = (
        Employee.select()
        .join(RoleAssignment, on=(RoleAssignment.employee == Employee.id))
        .where(RoleAssignment.role == ROLE_PIMPINAN)
        .order_by(RoleAssignment.id)
        .first()
    )
    if pimpinan is not None:
        found.insert(3, ("pimpinan", pimpinan))
    return found
