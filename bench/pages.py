"""The pages the benchmark drives: (name, path, who). `who` is an account picked by run.py:
None (anonymous), "pegawai", "atasan", "admin". A path that answers 404 (a domain not built)
is reported as skipped."""

PAGES = [
    ("login", "/masuk", None),
    ("dashboard", "/", "pegawai"),
    ("kegiatan-hari", "/kegiatan", "pegawai"),
    ("kegiatan-minggu", "/kegiatan?tampilan=minggu", "pegawai"),
    ("verifikasi", "/verifikasi", "atasan"),
    ("pelatihan", "/pelatihan", "pegawai"),
    ("dialog-daftar", "/dialog-publik", None),
    ("dialog-detail", "{dialog_detail}", None),
    ("admin-pegawai", "/admin/pegawai", "admin"),
]
