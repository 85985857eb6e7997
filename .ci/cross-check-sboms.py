#!/usr/bin/env python3
"""Compare strata's verdicts on CycloneDX documents with cyclonedx-python-lib's.

For each file, cyclonedx-python-lib judges it with its (non-strict) JSON
validator (Python `jsonschema`) or its XML validator (lxml, i.e. libxml2), for
the version the document declares (`specVersion`, or the XML namespace), and
strata judges it with `strata validate --format json`. Files on which the
two disagree are printed; the run fails on any disagreement not listed in
KNOWN below (each with the reason), and on a listed one that no longer
occurs.

Besides the FILEs, documents built from the formats are judged: for each
version 1.2-1.7, in JSON and XML, a minimal valid BOM and BOMs with a
component missing its name, a value of the wrong type, a top-level
`version` missing, a multi-line description, and (XML) an unknown component
type and content in another version's namespace.

Usage: cross-check-sboms.py STRATA_BINARY FILE...
"""
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonValidator
from cyclonedx.validation.xml import XmlValidator

VERSIONS = ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"]
MISSING_VERSION = (
    "the official schemas require the top-level `version` up to 1.4; "
    "cyclonedx-python-lib's copies drop that rule (its edit 5), strata's do not"
)
# file name -> why strata's verdict differs from cyclonedx-python-lib's.
KNOWN = {
    "built-no-bom-version-1.2.json": MISSING_VERSION,
    "built-no-bom-version-1.3.json": MISSING_VERSION,
    "built-no-bom-version-1.4.json": MISSING_VERSION,
    "built-multiline-1.2.json": (
        "the official 1.2 schema constrains most strings to `^(.*)$`, which a line "
        "break fails; cyclonedx-python-lib's copy drops those patterns (its edit 6)"
    ),
}


def built_documents(directory: Path) -> list:
    """Valid and invalid documents per version and format, built here."""
    out = []

    def write(name: str, text: str) -> None:
        path = directory / name
        path.write_text(text, encoding="utf-8")
        out.append(path)

    for v in VERSIONS:
        component = {"type": "library", "name": "zlib", "version": "1.3.1"}
        bom = {"bomFormat": "CycloneDX", "specVersion": v, "version": 1, "components": [component]}
        write(f"built-valid-{v}.json", json.dumps(bom))
        write(f"built-no-name-{v}.json", json.dumps({**bom, "components": [{"type": "library", "version": "1"}]}))
        write(f"built-version-string-{v}.json", json.dumps({**bom, "version": "one"}))
        write(f"built-no-bom-version-{v}.json", json.dumps({k: x for k, x in bom.items() if k != "version"}))
        write(f"built-multiline-{v}.json",
              json.dumps({**bom, "components": [{**component, "description": "line one\nline two"}]}))
        ns = f"http://cyclonedx.org/schema/bom/{v}"
        xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<bom xmlns="{ns}" version="1"><components>'
               '<component type="library"><name>zlib</name><version>1.3.1</version></component>'
               "</components></bom>\n")
        write(f"built-valid-{v}.xml", xml)
        write(f"built-no-name-{v}.xml", xml.replace("<name>zlib</name>", ""))
        write(f"built-version-string-{v}.xml", xml.replace('version="1"', 'version="one"'))
        write(f"built-bad-type-{v}.xml", xml.replace('type="library"', 'type="gadget"'))
        if v != "1.2":
            # 1.3+ content (a component `properties` list) under the 1.2 namespace.
            props = '<properties><property name="a">b</property></properties>'
            write(f"built-wrong-namespace-{v}.xml",
                  xml.replace(ns, "http://cyclonedx.org/schema/bom/1.2")
                  .replace("</version></component>", f"</version>{props}</component>"))
    return out


def python_verdict(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("<"):
        m = re.search(r'xmlns(?::\w+)?="http://cyclonedx.org/schema/bom/(\d\.\d)"', text)
        if not m:
            return "unsupported"
        validator = XmlValidator(SchemaVersion.from_version(m.group(1)))
    else:
        try:
            version = json.loads(text).get("specVersion", "")
            validator = JsonValidator(SchemaVersion.from_version(version))
        except (ValueError, AttributeError):
            return "unsupported"
    return "valid" if validator.validate_str(text) is None else "invalid"


def strata_verdicts(binary: str, files: list) -> dict:
    out = subprocess.run(
        [binary, "validate", "--format", "json", *map(str, files)],
        capture_output=True, check=False, text=True,
    )
    if out.returncode not in (0, 1, 2):
        sys.exit(f"strata validate failed ({out.returncode}): {out.stderr}")
    doc = json.loads(out.stdout)
    return {f["file"]: f["status"] for f in doc["files"]}


def main() -> int:
    binary, files = sys.argv[1], [Path(f) for f in sys.argv[2:]]
    with tempfile.TemporaryDirectory() as tmp:
        return compare(binary, files + built_documents(Path(tmp)))


def compare(binary: str, files: list) -> int:
    strata = strata_verdicts(binary, files)
    agree = 0
    seen_known = set()
    unexpected = []
    for path in files:
        ours, theirs = strata[str(path)], python_verdict(path)
        if (ours == "valid") == (theirs == "valid"):
            agree += 1
            continue
        reason = KNOWN.get(path.name)
        if reason:
            seen_known.add(path.name)
            print(f"known  {path}: strata {ours}, cyclonedx-python-lib {theirs} ({reason})")
        else:
            unexpected.append(path)
            print(f"DIFFER {path}: strata {ours}, cyclonedx-python-lib {theirs}")
    names = {p.name for p in files}
    stale = sorted(n for n in KNOWN if n in names and n not in seen_known)
    for name in stale:
        print(f"STALE  {name}: listed as a known difference but the verdicts agree")
    print(f"{agree} of {len(files)} verdicts agree, {len(seen_known)} known differences")
    return 1 if unexpected or stale else 0


if __name__ == "__main__":
    sys.exit(main())
