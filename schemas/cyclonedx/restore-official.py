#!/usr/bin/env python3
"""Restore the official CycloneDX JSON schemas from the npm package
@cyclonedx/cyclonedx-library's res/schema/*.SNAPSHOT.schema.json copies.

That package's downloader edits the official files (its res/schema/README.md
lists the edits); this script undoes the ones that change validation results,
so the files here validate exactly as the specification's own do:

  * `*.SNAPSHOT.schema.json` references are renamed back to the official
    `spdx.schema.json`, `jsf-0.82.schema.json`, `cryptography-defs.schema.json`;
  * bom-1.4 and bom-1.5: the `$schema` property's `enum` (the schema's own id)
    is put back;
  * bom-1.4: `version` is required again.

Usage: restore-official.py PATH/TO/package/res/schema  (writes into this dir)
"""
import json
import pathlib
import sys

SRC = pathlib.Path(sys.argv[1])
DST = pathlib.Path(__file__).resolve().parent
NAMES = ["bom-1.4", "bom-1.5", "bom-1.6", "bom-1.7", "spdx", "jsf-0.82", "cryptography-defs"]


def replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        sys.exit(f"expected exactly one {old!r}")
    return text.replace(old, new)


for name in NAMES:
    text = (SRC / f"{name}.SNAPSHOT.schema.json").read_text(encoding="utf-8")
    for dep in ["spdx", "jsf-0.82", "cryptography-defs"]:
        text = text.replace(f"{dep}.SNAPSHOT.schema.json", f"{dep}.schema.json")
    if name in ("bom-1.4", "bom-1.5"):
        text = replace_once(
            text,
            '"$schema": {\n      "type": "string"\n    },',
            '"$schema": {\n      "type": "string",\n      "enum": [\n'
            f'        "http://cyclonedx.org/schema/{name}.schema.json"\n      ]\n    }},',
        )
    if name == "bom-1.4":
        text = replace_once(
            text,
            '"required": [\n    "bomFormat",\n    "specVersion"\n  ],',
            '"required": [\n    "bomFormat",\n    "specVersion",\n    "version"\n  ],',
        )
    assert "SNAPSHOT" not in text, name
    doc = json.loads(text)
    if name.startswith("bom-"):
        assert doc["$id"] == f"http://cyclonedx.org/schema/{name}.schema.json"
    (DST / f"{name}.schema.json").write_text(text, encoding="utf-8")
    print(f"wrote {name}.schema.json")
