"""The Indonesian catalogs are complete: every message in code and templates is translated."""

from babel.messages.pofile import read_po

from portal import i18n


def _catalog(path):
    with open(path, "rb") as handle:
        return read_po(handle)


def test_every_indonesian_message_is_translated_and_not_fuzzy():
    problems = []
    files = i18n.po_files("id")
    assert files, "no Indonesian catalog found"
    for path in files:
        for message in _catalog(path):
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                problems.append(f"{path.parent.parent.parent.parent.name}: {message.id!r}")
    assert problems == [], "untranslated or fuzzy:\n" + "\n".join(problems)


def test_catalogs_contain_every_message_of_the_code(tmp_path):
    missing = []
    for name, (directory, _sources) in i18n.catalog_dirs().items():
        pot = tmp_path / f"{name}.pot"
        i18n.extract(name, pot)
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(pot) if m.id}
        po = directory / "id" / "LC_MESSAGES" / "messages.po"
        have = set()
        if po.exists():
            have = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(po) if m.id}
        missing += [f"{name}: {text!r}" for text in sorted(wanted - have)]
    assert missing == [], "run `flask --app portal translate update`:\n" + "\n".join(missing)


def test_no_msgid_is_translated_differently_in_two_catalogs():
    """The catalogs are merged into one at run time, so a msgid translated two ways in two
    domains shows one of them everywhere: each msgid has one Indonesian text."""
    translations: dict[tuple, dict[str, str]] = {}
    for path in i18n.po_files("id"):
        domain = path.parent.parent.parent.parent.name
        for message in _catalog(path):
            if not message.id or message.fuzzy:
                continue
            key = (message.context, message.id)
            translations.setdefault(key, {})[domain] = repr(message.string)
    clashes = [
        f"{key[1]!r}: " + ", ".join(f"{domain}={text}" for domain, text in sorted(seen.items()))
        for key, seen in sorted(translations.items(), key=lambda item: str(item[0]))
        if len(set(seen.values())) > 1
    ]
    assert clashes == [], "msgid translated differently:\n" + "\n".join(clashes)


def test_templates_translate_per_request_and_locale_and_escape_variables(app):
    from flask import render_template_string
    from flask_babel import force_locale

    source = (
        "{{ _('Sign out') }}|{{ _('Unit %(nama)s saved.', nama=name) }}|"
        "{{ ngettext('%(num)d hour', '%(num)d hours', 2) }}|"
        "{% trans %}Sign out{% endtrans %}"
    )
    with app.test_request_context("/"):
        indonesian = render_template_string(source, name="<b>Dinas</b>")
        with force_locale("en"):
            english = render_template_string(source, name="<b>Dinas</b>")
        again = render_template_string(source, name="<b>Dinas</b>")
    assert (
        indonesian == again == ("Keluar|Unit kerja &lt;b&gt;Dinas&lt;/b&gt; disimpan.|2 jam|Keluar")
    )
    assert english == "Sign out|Unit &lt;b&gt;Dinas&lt;/b&gt; saved.|2 hours|Sign out"


def test_the_python_code_translates_per_request_locale_and_forced_locale(app):
    """`gettext`, lazy strings and the formatting filters read the catalog and the locale once
    per request, and still follow `force_locale` (a notification in the recipient's language)
    and a user's own language."""
    from flask_babel import force_locale, gettext, lazy_gettext

    from portal.web.formatting import angka, durasi

    sign_out = lazy_gettext("Sign out")
    with app.test_request_context("/"):
        before = (gettext("Sign out"), str(sign_out), angka(1234567), durasi(135))
        with force_locale("en"):
            forced = (gettext("Sign out"), str(sign_out), angka(1234567), durasi(135))
        after = (gettext("Sign out"), str(sign_out), angka(1234567), durasi(135))
    assert before == after == ("Keluar", "Keluar", "1.234.567", "2 jam 15 menit")
    assert forced == ("Sign out", "Sign out", "1,234,567", "2 hours 15 minutes")
    with app.test_request_context("/"), force_locale("en"):
        assert gettext("Sign out") == "Sign out"  # a request that starts in English
    with app.test_request_context("/"):
        assert gettext("Sign out") == "Keluar"  # and the next request is its own
