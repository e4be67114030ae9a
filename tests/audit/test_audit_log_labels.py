"""The audit log reads in Indonesian: every action code the code base writes has a label, the
object is named humanly, only what changed is shown, values and times read like the rest of
the portal."""

import ast
import re
from pathlib import Path

from portal import settings
from portal.activities import lifecycle
from portal.audit import labels
from portal.audit.services import record
from portal.dialogs import moderation

PORTAL = Path(__file__).resolve().parents[2] / "portal"
SHAPE = re.compile(r"^[a-z_]+\.[a-z_]+$")


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _action_arg(node: ast.Call) -> ast.expr | None:
    for keyword in node.keywords:
        if keyword.arg == "action":
            return keyword.value
    return node.args[1] if len(node.args) >= 2 else None


def _activity_actions() -> set[str]:
    """What `f"activity.{action}"` becomes: the lifecycle's event names and touch()'s actions."""
    names = set(lifecycle.EVENT_ACTIONS.values())
    for path in (PORTAL / "activities").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and _call_name(node) == "touch"
                and len(node.args) > 2
                and isinstance(node.args[2], ast.Constant)
            ):
                names.add(node.args[2].value)
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "action" for t in node.targets
            ):
                names |= {
                    c.value
                    for c in ast.walk(node.value)
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)
                }
    return names


# the f-strings that build an action code, by their fixed start: what the variable part can be
EXPANSIONS = {
    "activity.": _activity_actions,
    "dialog.question_": lambda: set(moderation.AUDIT_ACTIONS.values()),
}


def written_action_codes(app) -> set[str]:
    """Every action code passed to record()/Entry() anywhere in portal/."""
    endpoints = set(app.view_functions)
    codes: set[str] = set()
    dynamic_modules = []
    for path in PORTAL.rglob("*.py"):
        if "audit" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _call_name(node) in ("record", "Entry")):
                continue
            arg = _action_arg(node)
            if arg is None:
                continue
            for part in ast.walk(arg):
                if isinstance(part, ast.JoinedStr):
                    start = part.values[0]
                    assert isinstance(start, ast.Constant), ast.unparse(part)
                    assert start.value in EXPANSIONS, f"{path.name}: add {ast.unparse(part)}"
                    codes |= {start.value + name for name in EXPANSIONS[start.value]()}
                    break
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    codes.add(part.value)
                if isinstance(part, ast.Name) and part is arg:
                    dynamic_modules.append(tree)  # the code is in a variable: its constants
    prefixes = {code.split(".")[0] for code in codes}
    for tree in dynamic_modules:
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and SHAPE.match(node.value)
                and node.value.split(".")[0] in prefixes
                and node.value not in endpoints
                and node.value not in settings.DEFINITIONS
            ):
                codes.add(node.value)
    return {code for code in codes if SHAPE.match(code)}


def test_every_action_code_the_code_base_writes_has_an_indonesian_label(app):
    codes = written_action_codes(app)
    assert len(codes) > 60  # the scan really finds the portal's actions
    assert {"dialog.question_approved", "activity.approved", "training.publish"} <= codes
    assert {"employee.import_create", "dialog.announced"} <= codes
    missing = sorted(code for code in codes if code not in labels.ACTIONS)
    assert missing == [], "add a label to portal/audit/labels.py ACTIONS: " + ", ".join(missing)
    assert labels.action_label("dialog.question_approved") == "Pertanyaan disetujui"


def test_only_what_changed_is_shown_with_indonesian_values(app):
    with app.test_request_context():
        _check_changes()


def _check_changes():
    rows = labels.changes(
        '{"judul": "Forum", "status": "menunggu", "publik": true, "catatan": null}',
        '{"judul": "Forum", "status": "disetujui", "publik": false, "catatan": "ok"}',
    )
    assert [(c.field, c.before, c.after) for c in rows] == [
        ("Status", "menunggu", "disetujui"),
        ("publik", "Ya", "Tidak"),
        ("catatan", "–", "ok"),
    ]
    created = labels.changes(None, '{"question": 34, "mulai": "2026-11-23T08:00:00"}')
    assert [(c.field, c.before, c.after) for c in created] == [
        ("Pertanyaan", "–", "34"),
        ("mulai", "–", "Senin, 23 November 2026 15.00 WIB"),
    ]
    assert labels.changes(None, None) == []


def test_the_audit_log_page_reads_in_indonesian(client, login_as, make_employee):
    admin = make_employee(nama="Admin Pemda", roles=[("admin", None)])
    record(
        admin,
        "dialog.question_approved",
        34,
        before={"status": "menunggu", "teks": "Kapan?", "publik": None},
        after={"status": "disetujui", "teks": "Kapan?", "publik": True},
        object_type="Question",
    )
    key = "trainings.target_jp"
    record(admin, "setting.update", key, before="20", after="24", object_type="Setting")
    login_as(admin)
    html = client.get("/admin/log-audit").get_data(as_text=True)
    assert "Pertanyaan disetujui" in html and "dialog.question_approved</td>" not in html
    assert "Pertanyaan #34" in html
    assert "Senin, 23 November 2026 15.00 WIB" in html
    assert "Kapan?" not in html  # unchanged
    assert "–</span> → Ya" in html and "None" not in html and "True" not in html
    assert "Target JP per pegawai per tahun" in html
    assert '<option value="dialog.question_approved">Pertanyaan disetujui</option>' in html
