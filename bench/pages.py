"""The pages the benchmark drives: (name, path, who); a new page is one line. `who` is an
account picked by run.py (three different people): None (anonymous), "pegawai", "atasan",
"admin". Signed-in pages are reported as a ratio to the signed-in floor, anonymous ones to the
anonymous floor (bench/floor_app.py), and all to the bare page. "{key}" in a path is found in
the data by run.py (discover_paths). A path that does not answer 200 (a domain not built yet)
is reported as skipped."""

PAGES = [
    ("login", "/masuk", None),
    ("dashboard", "/", "pegawai"),
    ("kegiatan-hari", "/kegiatan", "pegawai"),
    ("kegiatan-minggu", "/kegiatan?tampilan=minggu", "pegawai"),
    ("kegiatan-bulan", "/kegiatan/bulan", "pegawai"),
    ("verifikasi", "/verifikasi", "atasan"),
    ("pelatihan", "/pelatihan", "pegawai"),
    ("skp", "/kinerja/skp", "pegawai"),
    ("pohon", "/kinerja/pohon", "admin"),
    ("skp-monitoring", "/kinerja/monitoring", "admin"),
    ("evaluasi-tim", "/kinerja/evaluasi", "atasan"),
    ("evaluasi-distribusi", "/kinerja/evaluasi/distribusi", "admin"),
    ("dialog-daftar", "/dialog-publik", None),
    ("dialog-detail", "{dialog_detail}", None),
    ("layanan", "/layanan", None),
    ("layanan-unit", "{service_unit}", None),
    ("pengaduan-lacak", "{complaint_track}", None),
    ("admin-pegawai", "/admin/pegawai", "admin"),
    ("laporan-rekap", "/laporan/", "admin"),
    ("laporan-dasbor", "/laporan/dasbor", "admin"),
]
