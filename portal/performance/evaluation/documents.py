"""The Dokumen Evaluasi Kinerja Pegawai (period or annual): one template
(templates/performance/evaluation/document.html) serves the print-ready page and, through
WeasyPrint, the PDF. WeasyPrint fetches nothing: the SKP document's stylesheet is read from
static/css/skp-print.css and every other URL is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app, render_template
from weasyprint import CSS, HTML

from portal.clock import local_today, to_local
from portal.org.models import Employee
from portal.performance.evaluation import periods
from portal.performance.evaluation.pages import evaluation_page
from portal.performance.evaluation.rules import (
    angka_kredit,
    jenjang_of,
    predikat_labels,
    rating_labels,
    status_labels,
)
from portal.performance.models import EV_FINAL, Evaluation

STYLESHEET = "css/skp-print.css"


def document_context(actor: Employee, evaluation: Evaluation, pdf: bool = False) -> dict[str, Any]:
    page = evaluation_page(actor, evaluation)
    ev = page.evaluation
    jenjang = jenjang_of(page.skp.jabatan)
    penilai = Employee.get_or_none(Employee.id == ev.penilai_id) if ev.penilai_id else None
    return {
        "page": page,
        "ev": ev,
        "penilai": penilai,
        "period_label": periods.label(page.period),
        "rating_labels": rating_labels(),
        "status_labels": status_labels(),
        "predikat_labels": predikat_labels(),
        "angka_kredit": angka_kredit(ev.predikat, jenjang, page.period.months)
        if ev.status == EV_FINAL
        else None,
        "jenjang": jenjang,
        "place": current_app.config.get("PEMDA_SHORT", ""),
        "signed_on": to_local(ev.finalized_at).date() if ev.finalized_at else local_today(),
        "pdf": pdf,
    }


def render_html(actor: Employee, evaluation: Evaluation, pdf: bool = False) -> str:
    return render_template(
        "performance/evaluation/document.html", **document_context(actor, evaluation, pdf)
    )


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"the evaluation document fetches nothing ({url[:60]})")


def render_pdf(actor: Employee, evaluation: Evaluation) -> bytes:
    html = render_html(actor, evaluation, pdf=True)
    static = Path(current_app.static_folder or "static") / STYLESHEET
    document = HTML(string=html, url_fetcher=_refuse)
    return document.write_pdf(stylesheets=[CSS(filename=str(static))]) or b""


def file_name(evaluation: Evaluation) -> str:
    period = evaluation.period
    kind = "tahunan" if period.jenis == "tahunan" else f"p{period.nomor}"
    return f"Evaluasi-{period.tahun}-{kind}-{evaluation.employee.nip}.pdf"
