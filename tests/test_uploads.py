"""Uploads are checked by content, stored under random names, served as attachments."""

import io

import pytest
from werkzeug.datastructures import FileStorage

from portal.web import uploads

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _file(data, name):
    return FileStorage(stream=io.BytesIO(data), filename=name)


@pytest.fixture
def ctx(app):
    with app.test_request_context("/"):
        yield


def test_pdf_is_stored_under_a_random_name(ctx, app):
    stored = uploads.save(_file(PDF, "laporan.pdf"))
    assert stored.kind == "pdf"
    assert stored.original_name == "laporan.pdf"
    assert "laporan" not in stored.stored_name
    assert (uploads.upload_dir() / stored.stored_name).read_bytes() == PDF


def test_pdf_renamed_png_is_refused(ctx):
    with pytest.raises(uploads.UploadError, match="tidak sesuai"):
        uploads.save(_file(PDF, "foto.png"))


def test_html_renamed_pdf_is_refused_and_not_kept(ctx):
    with pytest.raises(uploads.UploadError):
        uploads.save(_file(b"<html><script>alert(1)</script></html>", "x.pdf"))
    assert list(uploads.upload_dir().iterdir()) == []


def test_path_in_the_name_is_dropped(ctx):
    stored = uploads.save(_file(PDF, "../../x.pdf"))
    assert stored.original_name == "x.pdf"
    assert list(uploads.upload_dir().iterdir()) == [uploads.upload_dir() / stored.stored_name]


def test_oversize_and_unknown_types_are_refused(ctx):
    with pytest.raises(uploads.UploadError, match="lebih besar"):
        uploads.save(_file(PDF + b"0" * 2000, "a.pdf"), max_bytes=1000)
    with pytest.raises(uploads.UploadError, match="tidak diterima"):
        uploads.save(_file(b"<svg/>", "a.svg"))


def test_download_is_an_attachment_with_nosniff(ctx):
    stored = uploads.save(_file(PNG, "bukti kegiatan.png"))
    response = uploads.send(stored.stored_name, stored.original_name, stored.kind)
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "image/png"
    response.close()
