#!/usr/bin/env python3
"""Developer aid for catalogs: list untranslated messages, or fill them from a JSON file.

python scripts/po_fill.py portal/auth/translations/id/LC_MESSAGES/messages.po
    prints a JSON object {msgid: ""} of every untranslated or fuzzy message
python scripts/po_fill.py PO --apply translations.json
    sets msgstr from the JSON ({msgid: "text"}, or {msgid: ["singular", "plural"]})
"""

import json
import sys

from babel.messages.pofile import read_po, write_po


def main(argv):
    path = argv[1]
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    if len(argv) > 3 and argv[2] == "--apply":
        with open(argv[3], encoding="utf-8") as handle:
            wanted = json.load(handle)
        for message in catalog:
            key = message.id if isinstance(message.id, str) else message.id[0]
            if key in wanted:
                value = wanted[key]
                message.string = tuple(value) if isinstance(message.id, tuple) else value
                message.flags.discard("fuzzy")
        with open(path, "wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False)
        return
    todo = {}
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            key = message.id if isinstance(message.id, str) else message.id[0]
            todo[key] = ["", ""] if isinstance(message.id, tuple) else ""
    print(json.dumps(todo, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv)
