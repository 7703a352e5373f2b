"""Compile locale/*/LC_MESSAGES/django.po to .mo without GNU gettext (a fresh machine lacks it).

A small, dependency-free msgfmt: enough for the catalogs this project writes (msgid,
msgid_plural, msgstr[n], msgctxt, multi-line strings). Fuzzy entries are skipped as msgfmt does.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse(po_text: str) -> dict[str, str]:
    messages: dict[str, str] = {}
    entry: dict[str, list[str]] = {}
    key: str | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal entry, fuzzy
        if "msgid" in entry and not fuzzy:
            msgid = "".join(entry["msgid"])
            if "msgctxt" in entry:
                msgid = "".join(entry["msgctxt"]) + "\x04" + msgid
            if "msgid_plural" in entry:
                msgid += "\x00" + "".join(entry["msgid_plural"])
                plurals = sorted(k for k in entry if k.startswith("msgstr["))
                msgstr = "\x00".join("".join(entry[k]) for k in plurals)
            else:
                msgstr = "".join(entry.get("msgstr", []))
            if msgstr.replace("\x00", "") or msgid == "":
                messages[msgid] = msgstr
        entry, fuzzy = {}, False

    for raw in po_text.splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            flush() if "msgstr" in entry else None
            fuzzy = True
            continue
        if not line or line.startswith("#"):
            if not line and entry:
                flush()
            continue
        if line.startswith('"'):
            if key is not None:
                entry[key].append(ast.literal_eval(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in {"msgctxt", "msgid"} and "msgstr" in "".join(entry.keys()):
            keep_fuzzy = fuzzy
            flush()
            fuzzy = keep_fuzzy
        key = keyword
        entry[key] = [ast.literal_eval(rest)]
    flush()
    return messages


def write_mo(messages: dict[str, str], path: Path) -> None:
    keys = sorted(messages)
    ids = [k.encode() for k in keys]
    strs = [messages[k].encode() for k in keys]
    count = len(keys)
    key_start = 7 * 4 + 16 * count
    offsets, data = [], b""
    for item in ids:
        offsets.append((len(item), key_start + len(data)))
        data += item + b"\x00"
    value_start = key_start + len(data)
    value_offsets, values = [], b""
    for item in strs:
        value_offsets.append((len(item), value_start + len(values)))
        values += item + b"\x00"
    header = struct.pack("Iiiiiii", 0x950412DE, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, 0)
    table = b"".join(struct.pack("ii", *o) for o in offsets) + b"".join(struct.pack("ii", *o) for o in value_offsets)
    path.write_bytes(header + table + data + values)


def main() -> int:
    for po in sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
        write_mo(parse(po.read_text(encoding="utf-8")), po.with_suffix(".mo"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
