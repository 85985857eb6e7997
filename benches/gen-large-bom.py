#!/usr/bin/env python3
"""Generate a large, valid CycloneDX 1.6 JSON BOM for benchmarking
`strata validate` (see benches/validate.sh).

Deterministic: the same arguments always give byte-identical output (no
clock, no unseeded randomness). Every component carries what real SBOMs do
(purl, hashes, licenses, external references, supplier, properties), a few
are nested, and the dependency graph references every component, so both
the schema pass and the semantic pass have real work to do.

With --xml the same BOM is written as CycloneDX 1.6 XML (every field of
the JSON that the XML format has, in the XSD's order), for benchmarking the
XSD path.

Usage: gen-large-bom.py [--components N] [--xml] [--out FILE]   (default 20000, stdout)
"""
import argparse
import hashlib
import json
import random
import sys
import uuid
from xml.sax.saxutils import escape, quoteattr

LICENSES = ["Apache-2.0", "MIT", "BSD-3-Clause", "BSD-2-Clause", "ISC", "MPL-2.0", "LGPL-2.1-only", "Zlib"]
ECOSYSTEMS = ["npm", "pypi", "maven", "cargo", "golang", "deb"]
SUPPLIERS = ["Acme Corp", "Globex", "Initech", "Umbrella", "Hooli", "Vehement Capital"]


def component(i: int, rng: random.Random) -> dict:
    eco = ECOSYSTEMS[i % len(ECOSYSTEMS)]
    name = f"pkg-{i:05d}"
    version = f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}"
    purl = f"pkg:{eco}/{name}@{version}"
    digest = hashlib.sha256(purl.encode()).hexdigest()
    c = {
        "type": "library",
        "bom-ref": purl,
        "supplier": {"name": SUPPLIERS[i % len(SUPPLIERS)], "url": [f"https://supplier{i % 6}.example.com"]},
        "group": f"group{i % 50}",
        "name": name,
        "version": version,
        "description": f"Synthetic component number {i} for benchmarking.",
        "scope": "required",
        "hashes": [
            {"alg": "SHA-256", "content": digest},
            {"alg": "SHA-1", "content": hashlib.sha1(purl.encode()).hexdigest()},
        ],
        "licenses": [{"license": {"id": LICENSES[i % len(LICENSES)]}}]
        if i % 5
        else [{"expression": "Apache-2.0 OR MIT"}],
        "purl": purl,
        "externalReferences": [
            {"type": "vcs", "url": f"https://git.example.com/{eco}/{name}.git"},
            {"type": "website", "url": f"https://{name}.example.org/"},
        ],
        "properties": [
            {"name": "strata:bench:index", "value": str(i)},
            {"name": "strata:bench:ecosystem", "value": eco},
        ],
    }
    return c


def xml_component(c: dict, out: list) -> None:
    """Append the XML of component `c` (and its nested components) to `out`."""
    out.append(f'<component type="{c["type"]}" bom-ref={quoteattr(c["bom-ref"])}>')
    s = c["supplier"]
    out.append(f"<supplier><name>{escape(s['name'])}</name><url>{escape(s['url'][0])}</url></supplier>")
    for key in ("group", "name", "version", "description", "scope"):
        out.append(f"<{key}>{escape(c[key])}</{key}>")
    out.append("<hashes>" + "".join(
        f'<hash alg="{h["alg"]}">{h["content"]}</hash>' for h in c["hashes"]) + "</hashes>")
    lic = c["licenses"][0]
    if "expression" in lic:
        out.append(f"<licenses><expression>{escape(lic['expression'])}</expression></licenses>")
    else:
        out.append(f"<licenses><license><id>{lic['license']['id']}</id></license></licenses>")
    out.append(f"<purl>{escape(c['purl'])}</purl>")
    out.append("<externalReferences>" + "".join(
        f'<reference type="{r["type"]}"><url>{escape(r["url"])}</url></reference>'
        for r in c["externalReferences"]) + "</externalReferences>")
    out.append("<properties>" + "".join(
        f"<property name={quoteattr(p['name'])}>{escape(p['value'])}</property>"
        for p in c["properties"]) + "</properties>")
    if "components" in c:
        out.append("<components>")
        for sub in c["components"]:
            xml_component(sub, out)
        out.append("</components>")
    out.append("</component>")


def to_xml(bom: dict) -> str:
    m = bom["metadata"]
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="{bom["serialNumber"]}" version="1">',
           f"<metadata><timestamp>{m['timestamp']}</timestamp>",
           '<tools><components><component type="application"><name>gen-large-bom.py</name>'
           "<version>1</version></component></components></tools>",
           '<component type="application" bom-ref="root-app"><supplier><name>Acme Corp</name></supplier>'
           "<name>bench-app</name><version>1.0.0</version></component></metadata>",
           "<components>"]
    for c in bom["components"]:
        xml_component(c, out)
    out.append("</components><dependencies>")
    for d in bom["dependencies"]:
        out.append(f"<dependency ref={quoteattr(d['ref'])}>" + "".join(
            f"<dependency ref={quoteattr(t)}/>" for t in d["dependsOn"]) + "</dependency>")
    out.append("</dependencies><compositions><composition><aggregate>complete</aggregate>"
               '<assemblies><assembly ref="root-app"/></assemblies>'
               '<dependencies><dependency ref="root-app"/></dependencies></composition></compositions></bom>')
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--components", type=int, default=20000)
    ap.add_argument("--xml", action="store_true", help="write CycloneDX 1.6 XML instead of JSON")
    ap.add_argument("--out", default="-")
    args = ap.parse_args()
    n = args.components
    rng = random.Random(20260601)
    comps = [component(i, rng) for i in range(n)]
    # Every 50th component carries its next two as nested sub-components.
    top = []
    i = 0
    while i < n:
        c = comps[i]
        if i % 50 == 0 and i + 2 < n:
            c["components"] = [comps[i + 1], comps[i + 2]]
            i += 3
        else:
            i += 1
        top.append(c)
    refs = [c["bom-ref"] for c in comps]
    deps = [{"ref": "root-app", "dependsOn": refs[:50]}]
    for j, r in enumerate(refs):
        targets = sorted({refs[(j * 7 + k * 13 + 1) % n] for k in range(3)} - {r})
        deps.append({"ref": r, "dependsOn": targets})
    bom = {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}",
        "version": 1,
        "metadata": {
            "timestamp": "2026-06-01T00:00:00Z",
            "tools": {"components": [{"type": "application", "name": "gen-large-bom.py", "version": "1"}]},
            "component": {"type": "application", "bom-ref": "root-app", "name": "bench-app", "version": "1.0.0",
                          "supplier": {"name": "Acme Corp"}},
        },
        "components": top,
        "dependencies": deps,
        "compositions": [{"aggregate": "complete", "assemblies": ["root-app"], "dependencies": ["root-app"]}],
    }
    text = to_xml(bom) if args.xml else json.dumps(bom, indent=2) + "\n"
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
