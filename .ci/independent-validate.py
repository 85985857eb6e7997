#!/usr/bin/env python3
"""Validate CycloneDX JSON files with an implementation independent of strata.

Uses cyclonedx-python-lib's strict JSON validator (Python `jsonschema` with the
schemas that library ships), so a bug in strata's own validator cannot hide a
bad BOM. Usage: independent-validate.py FILE... ; exit 0 when all are valid.
"""
import json
import sys

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

failed = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    version = json.loads(text).get("specVersion", "")
    schema = SchemaVersion.from_version(version)
    error = JsonStrictValidator(schema).validate_str(text)
    if error is None:
        print(f"ok    {path} (CycloneDX {version})")
    else:
        failed += 1
        print(f"FAIL  {path}: {error}")
sys.exit(1 if failed else 0)
