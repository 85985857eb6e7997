#!/usr/bin/env python3
"""Compare strata's verdicts on CycloneDX documents with cyclonedx-python-lib's.

For each file, cyclonedx-python-lib judges it with its (non-strict) JSON
validator (Python `jsonschema`) or its XML validator (lxml, i.e. libxml2), for
the version the document declares (`specVersion`, or the XML namespace), and
strata judges it with `strata validate --format json`. Files on which the
two disagree are printed; the run fails on any disagreement not listed in
KNOWN below (each with the reason), and on a listed one that no longer
occurs.

Usage: cross-check-sboms.py STRATA_BINARY FILE...
"""
import json
import re
import subprocess
import sys
from pathlib import Path

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonValidator
from cyclonedx.validation.xml import XmlValidator

# file name -> why strata's verdict differs from cyclonedx-python-lib's.
KNOWN = {
}


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
