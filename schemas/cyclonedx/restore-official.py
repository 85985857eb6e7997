#!/usr/bin/env python3
"""Restore the official CycloneDX schemas from the copies that the npm package
@cyclonedx/cyclonedx-library ships in res/schema/*.SNAPSHOT.*.

That package's downloader edits the official files (its res/schema/README.md
lists the edits); this script undoes the ones that change validation results
or where a referenced schema is found, so the files here validate exactly as
the specification's own do:

  * `*.SNAPSHOT.schema.json` references are renamed back to the official
    `spdx.schema.json`, `jsf-0.82.schema.json`, `cryptography-defs.schema.json`;
  * bom-1.4 and bom-1.5: the `$schema` property's `enum` (the schema's own id)
    is put back; bom-1.3-strict: its `enum` is put back as
    `http://cyclonedx.org/schema/bom-1.3.schema.json`, the value the earlier
    revision of that file carries in cyclonedx-python-lib 1.0.0 (bom-1.2-strict
    keeps the package's enum-less `$schema`: no reachable copy shows its value);
  * bom-1.2 to bom-1.4 (and the strict variants): `version` is required again;
  * bom-1.2 and bom-1.2-strict: the `"format": "string"` keywords the npm
    package dropped are put back from the copies in the PyPI package
    cyclonedx-python-lib (which dropped `"pattern": "^(.*)$"` instead, kept
    here from the npm copy), so both edits are undone;
  * the XSDs import the SPDX schema from `spdx.SNAPSHOT.xsd`; the official
    location `http://cyclonedx.org/schema/spdx` is put back (strata resolves
    it to the embedded `spdx.xsd`, never over the network).

Usage:
  restore-official.py NPM/package/res/schema PYPI/cyclonedx/schema/_res
(writes into this directory)
"""
import difflib
import json
import pathlib
import sys

SRC = pathlib.Path(sys.argv[1])
PYPI = pathlib.Path(sys.argv[2])
DST = pathlib.Path(__file__).resolve().parent
JSON_NAMES = [
    "bom-1.2", "bom-1.2-strict", "bom-1.3", "bom-1.3-strict",
    "bom-1.4", "bom-1.5", "bom-1.6", "bom-1.7",
    "spdx", "jsf-0.82", "cryptography-defs",
]
XSD_NAMES = ["bom-1.2", "bom-1.3", "bom-1.4", "bom-1.5", "bom-1.6", "bom-1.7", "spdx"]
IDS = {
    "bom-1.2": "bom-1.2b", "bom-1.2-strict": "bom-1.2b",
    "bom-1.3": "bom-1.3a", "bom-1.3-strict": "bom-1.3a",
}


def replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        sys.exit(f"expected exactly one {old!r}")
    return text.replace(old, new)


def put_back_format_string(npm: str, pypi: str) -> str:
    """Lines that only the PyPI copy has must all be `"format": "string",`;
    insert them into the npm copy at the same place."""
    a, b = npm.split("\n"), pypi.split("\n")
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "insert":
            assert all(line.strip() == '"format": "string",' for line in b[j1:j2]), b[j1:j2]
            out.extend(b[j1:j2])
        elif tag == "replace":
            # npm kept `"pattern": "^(.*)$"` (and the comma before it).
            assert a[i2 - 1].strip() == '"pattern": "^(.*)$"', a[i1:i2]
            out.extend(a[i1:i2])
        else:
            out.extend(a[i1:i2])
    return "\n".join(out)


for name in JSON_NAMES:
    text = (SRC / f"{name}.SNAPSHOT.schema.json").read_text(encoding="utf-8")
    if name.startswith("bom-1.2"):
        pypi = (PYPI / f"{name}.SNAPSHOT.schema.json").read_text(encoding="utf-8")
        text = put_back_format_string(text, pypi)
    for dep in ["spdx", "jsf-0.82", "cryptography-defs"]:
        text = text.replace(f"{dep}.SNAPSHOT.schema.json", f"{dep}.schema.json")
    if name in ("bom-1.4", "bom-1.5", "bom-1.3-strict"):
        url = "bom-1.3" if name == "bom-1.3-strict" else name
        text = replace_once(
            text,
            '"$schema": {\n      "type": "string"\n    },',
            '"$schema": {\n      "type": "string",\n      "enum": [\n'
            f'        "http://cyclonedx.org/schema/{url}.schema.json"\n      ]\n    }},',
        )
    if name in ("bom-1.2", "bom-1.2-strict", "bom-1.3", "bom-1.3-strict", "bom-1.4"):
        text = replace_once(
            text,
            '"required": [\n    "bomFormat",\n    "specVersion"\n  ],',
            '"required": [\n    "bomFormat",\n    "specVersion",\n    "version"\n  ],',
        )
    assert "SNAPSHOT" not in text, name
    doc = json.loads(text)
    if name.startswith("bom-"):
        expected = IDS.get(name, name)
        assert doc["$id"] == f"http://cyclonedx.org/schema/{expected}.schema.json", name
    (DST / f"{name}.schema.json").write_text(text, encoding="utf-8")
    print(f"wrote {name}.schema.json")

for name in XSD_NAMES:
    text = (SRC / f"{name}.SNAPSHOT.xsd").read_text(encoding="utf-8")
    if name != "spdx":
        text = replace_once(
            text,
            'schemaLocation="spdx.SNAPSHOT.xsd"',
            'schemaLocation="http://cyclonedx.org/schema/spdx"',
        )
    assert "SNAPSHOT" not in text, name
    (DST / f"{name}.xsd").write_text(text, encoding="utf-8")
    print(f"wrote {name}.xsd")
