"""The SKP document: one template (templates/performance/document.html) serves the print-ready
page and, through WeasyPrint, the PDF download. WeasyPrint fetches nothing: the stylesheet is
read from static/css/skp-print.css and every other URL is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app, render_template
from weasyprint import CSS, HTML

from portal.clock import local_today
from portal.org.models import Employee
from portal.performance.models import Skp
from portal.performance.pages import skp_page

STYLESHEET = "css/skp-print.css"


def document_context(actor: Employee, skp: Skp, pdf: bool = False) -> dict[str, Any]:
    """What the document shows: the SKP page's read-model, the place and the date."""
    return {
        "page": skp_page(actor, skp),
        "skp": skp,
        "place": current_app.config.get("PEMDA_SHORT", ""),
        "today": local_today(),
        "pdf": pdf,
    }


def render_html(actor: Employee, skp: Skp, pdf: bool = False) -> str:
    return render_template("performance/document.html", **document_context(actor, skp, pdf))


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"the SKP document fetches nothing ({url[:60]})")


def render_pdf(actor: Employee, skp: Skp) -> bytes:
    """The same template as the print page, as PDF bytes."""
    html = render_html(actor, skp, pdf=True)
    static = Path(current_app.static_folder or "static") / STYLESHEET
    document = HTML(string=html, url_fetcher=_refuse)
    return document.write_pdf(stylesheets=[CSS(filename=str(static))]) or b""


def file_name(skp: Skp) -> str:
    owner = skp.employee
    return f"SKP-{skp.tahun}-{owner.nip}-v{skp.version_no}.pdf"
