#!/usr/bin/env python3
"""Fail when Microsoft's SARIF multitool found errors in a SARIF file.

Usage: check-sarif.py MULTITOOL FILE...

Runs `MULTITOOL validate --rule-kind "Gh;Sarif"` (GitHub's ingestion rules
and the SARIF specification's) on each FILE and reads its result log: the
multitool exits 0 whatever it finds, so the verdict is taken from the log.
Errors fail; warnings and notes are printed.
"""
import json
import os
import subprocess
import sys
import tempfile


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    tool, files = sys.argv[1], sys.argv[2:]
    env = dict(os.environ, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="1", DOTNET_CLI_TELEMETRY_OPTOUT="1")
    errors = 0
    for path in files:
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "validation.sarif")
            proc = subprocess.run(
                [tool, "validate", "--rule-kind", "Gh;Sarif", path, "--output", log],
                env=env, capture_output=True, text=True, timeout=300,
            )
            if not os.path.exists(log):
                print(proc.stdout + proc.stderr, file=sys.stderr)
                print(f"{path}: the multitool wrote no result log (exit {proc.returncode})", file=sys.stderr)
                return 2
            with open(log, encoding="utf-8") as f:
                results = json.load(f)["runs"][0].get("results", [])
        for r in results:
            level = r.get("level", "warning")
            text = r.get("message", {}).get("text") or ", ".join(r.get("message", {}).get("arguments", []))
            print(f"{path}: {level} {r.get('ruleId')}: {text}")
            if level == "error":
                errors += 1
        print(f"{path}: {len(results)} findings, {sum(r.get('level', 'warning') == 'error' for r in results)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
