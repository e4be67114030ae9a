"""Unit kerja (a tree), pegawai and their roles."""

import json

import peewee as pw
from flask_login import UserMixin

from portal.db import BaseModel, json_rows, kept

UNIT_TYPES = [
    "Sekretariat Daerah",
    "Sekretariat DPRD",
    "Inspektorat",
    "Dinas",
    "Badan",
    "Kecamatan",
    "Kelurahan",
    "UPT",
]

STATUSES = ["CPNS", "PNS", "PPPK"]

GOLONGAN = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}

# PPPK have a golongan without ruang, I .. XVII (Perpres 98/2020).
PPPK_NUMERALS = "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII"
PPPK_GOLONGAN = {numeral: f"Golongan {numeral} (PPPK)" for numeral in PPPK_NUMERALS.split()}
ALL_GOLONGAN = {**GOLONGAN, **PPPK_GOLONGAN}


def golongan_error(golongan: str, status: str) -> bool:
    """True when `golongan` does not fit `status` (PPPK: I..XVII; CPNS/PNS: I/a..IV/e)."""
    return golongan not in (PPPK_GOLONGAN if status == "PPPK" else GOLONGAN)


JENIS_JABATAN = [
    "JPT",
    "Administrator",
    "Pengawas",
    "Pelaksana",
    "Fungsional Keahlian",
    "Fungsional Keterampilan",
]

ROLE_ADMIN = "admin"
ROLE_ADMIN_OPD = "admin_opd"
ROLE_PENYELENGGARA = "penyelenggara"
ROLE_PIMPINAN = (
    "pimpinan"  # read-only leader (Wali Kota, Sekda, Kepala OPD): reports of the unit tree
)
ROLES = [ROLE_ADMIN, ROLE_ADMIN_OPD, ROLE_PENYELENGGARA, ROLE_PIMPINAN]


class Unit(BaseModel):
    """A unit kerja (OPD or a part of one); `path` ('/1/4/9/') makes subtree queries one LIKE."""

    id = pw.AutoField()  # what peewee adds anyway; declared so the type checker knows it
    parent_id: int | None  # the foreign keys' id accessors (peewee's), typed
    kode = pw.CharField(max_length=32, unique=True)
    nama = pw.CharField(max_length=200)
    jenis = pw.CharField(max_length=32)
    parent = pw.ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    path = pw.CharField(max_length=255, index=True, default="/")
    work_days = pw.SmallIntegerField(default=5)  # 5- or 6-day work week
    active = pw.BooleanField(default=True)

    def __str__(self):
        return self.nama

    def subtree(self):
        return Unit.select().where(Unit.path.startswith(self.path))

    @classmethod
    def path_within(cls, roots, field=None):
        """The condition "`field` (a unit path column, Unit.path by default) lies in the subtree
        of any of `roots`" (Units or paths); False for no roots. One OR of prefix LIKEs."""
        field = field if field is not None else cls.path
        condition = None
        for root in roots:
            path = root if isinstance(root, str) else root.path
            clause = field.startswith(path)
            condition = clause if condition is None else (condition | clause)
        return condition if condition is not None else pw.Value(False)

    @classmethod
    def within(cls, roots):
        """The units in the subtrees of `roots` (Units or paths), ordered by path."""
        return cls.select().where(cls.path_within(roots)).order_by(cls.path)

    def contains(self, other):
        """True when `other` (a Unit) is this unit or lies below it."""
        return other is not None and other.path.startswith(self.path)


class Employee(UserMixin, BaseModel):
    """A pegawai (ASN) and their account. Never hard-deleted once they have history."""

    id = pw.AutoField()
    unit_id: int
    supervisor_id: int | None
    nip = pw.CharField(max_length=18, unique=True)
    nama = pw.CharField(max_length=150)
    email = pw.CharField(max_length=254, null=True, unique=True)
    status = pw.CharField(max_length=8, default="PNS")
    golongan = pw.CharField(max_length=5, null=True)
    jenis_jabatan = pw.CharField(max_length=32, default="Pelaksana")
    jabatan = pw.CharField(max_length=200, default="")
    unit = pw.ForeignKeyField(Unit, backref="employees", on_delete="RESTRICT")
    supervisor = pw.ForeignKeyField("self", null=True, backref="subordinates", on_delete="SET NULL")
    active = pw.BooleanField(default=True, index=True)
    password_hash = pw.CharField(max_length=255, default="")
    session_version = pw.IntegerField(default=1)
    must_change_password = pw.BooleanField(default=False)
    failed_logins = pw.IntegerField(default=0)
    locked_until = pw.DateTimeField(null=True)
    last_login_at = pw.DateTimeField(null=True)
    language = pw.CharField(max_length=5, default="id")

    class Meta:
        indexes = (
            (("unit", "active"), False),
            (("supervisor", "active"), False),
            (("active", "nama"), False),  # the admin list: active pegawai by name
        )

    def __str__(self):
        return self.nama

    # Flask-Login: the id carries the session version, so bumping it ends every session.
    @classmethod
    def in_units(cls, roots):
        """The pegawai whose unit lies in the subtree of any of `roots` (Units or paths)."""
        return cls.select().join(Unit, on=(cls.unit == Unit.id)).where(Unit.path_within(roots))

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self):
        return self.active

    @property
    def pangkat(self):
        return ALL_GOLONGAN.get(self.golongan or "", "")

    def role_rows(self):
        """This pegawai's role assignments, loaded once per object."""
        cached = self.__dict__.get("_role_rows")
        if cached is None:
            query = RoleAssignment.select().where(RoleAssignment.employee == self.id)
            cached = list(kept(query, "org.role_rows", self.id))
            self.__dict__["_role_rows"] = cached
        return cached

    def roles_query(self):
        """`role_rows` as one JSON column, [[id, role, unit id], ...] (a navigation fact: the
        page's first statement carries them; `know_roles` takes the answer)."""
        columns = (RoleAssignment.id, RoleAssignment.role, RoleAssignment.unit)
        return RoleAssignment.select(json_rows(*columns)).where(RoleAssignment.employee == self.id)

    @staticmethod
    def read_roles(answer):
        """The rows of `roles_query`'s answer (NULL on MariaDB when there are none)."""
        return [tuple(row) for row in json.loads(answer)] if answer else []

    def know_roles(self, rows):
        """What `roles_query` answered (`read_roles`): `role_rows` needs no query of its own."""
        self.__dict__["_role_rows"] = [
            RoleAssignment(id=pk, employee=self.id, role=role, unit=unit) for pk, role, unit in rows
        ]

    def has_role(self, role):
        return any(row.role == role for row in self.role_rows())

    @property
    def is_admin(self):
        return self.has_role(ROLE_ADMIN)

    def role_units(self, role):
        """The units (ids) where this pegawai holds `role`."""
        return [row.unit_id for row in self.role_rows() if row.role == role]

    @property
    def is_atasan(self):
        """Anyone with active subordinates (acting Plt/Plh is added by the reviews domain)."""
        cached = self.__dict__.get("_is_atasan")
        if cached is None:
            cached = self.subordinates_query().exists()
            self.__dict__["_is_atasan"] = cached
        return cached

    def subordinates_query(self):
        """This pegawai's active direct subordinates (ids): `is_atasan` is its EXISTS."""
        return Employee.select(Employee.id).where(
            Employee.supervisor == self.id,
            Employee.active == True,  # noqa: E712
        )

    def know_is_atasan(self, value):
        """What an EXISTS of `subordinates_query` answered (the navigation facts read it)."""
        self.__dict__.setdefault("_is_atasan", bool(value))


class RoleAssignment(BaseModel):
    """A role held by a pegawai: admin (whole pemda), admin_opd, penyelenggara or pimpinan (a
    read-only leader) of a unit."""

    id = pw.AutoField()
    employee_id: int
    unit_id: int | None
    employee = pw.ForeignKeyField(Employee, backref="roles", on_delete="CASCADE")
    role = pw.CharField(max_length=20)
    unit = pw.ForeignKeyField(Unit, null=True, on_delete="CASCADE")

    class Meta:
        indexes = ((("employee", "role", "unit"), True),)


MODELS = [Unit, Employee, RoleAssignment]
