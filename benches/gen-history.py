#!/usr/bin/env python3
"""Generate a git repository with a long attestation history, for
benches/history.sh: DEVICES devices under attestations/<id>/bom.cdx.json and
COMMITS commits (one initial commit adding every device, then one change per
commit: an OS version, an evidence digest, an agent permission or a data
route of one device, round-robin), with a review entry appended to
attestations/reviews.yaml in canonical form every REVIEW_EVERY commits.

The BOMs are the committed example attestation of the Xiaomi phone
(attestations/xiaomi-15s-pro-cn/bom.cdx.json, about 19 KB) with the device
id and the changed values substituted, so parsing costs what it costs on
real attestations. Deterministic: the same arguments give the same commit
ids.

Usage: gen-history.py --out DIR [--devices 100] [--commits 1000]
                      [--review-every 3]
"""

import argparse
import copy
import hashlib
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = os.path.join(HERE, "..", "attestations", "xiaomi-15s-pro-cn", "bom.cdx.json")
PERMS = ["location", "contacts", "calendar", "camera-microphone", "payments", "files"]
START = 1_790_000_000  # 2026-09-22


def bom(template, device, state):
    doc = copy.deepcopy(template)
    meta = doc["metadata"]["component"]
    meta["bom-ref"] = f"device:{device}"
    meta["name"] = device
    for p in meta["properties"]:
        if p["name"] == "strata:device:id":
            p["value"] = device
    for c in doc["components"]:
        if c["bom-ref"] == "layer:os":
            c["version"] = f"2.0.{state['os']}"
            for e in c.get("components", []):
                for h in e.get("hashes", []):
                    h["content"] = hashlib.sha256(f"{device}/{e['bom-ref']}/{state['image']}".encode()).hexdigest()
        if c["bom-ref"] == "layer:model":
            for p in c["properties"]:
                if p["name"] == "strata:agent:permissions":
                    p["value"] = ",".join(sorted(set(p["value"].split(",")) | set(state["perms"])))
            c["properties"] += [
                {"name": "strata:agent:data-routing", "value": f"to=third-party;operator=partner{i};region=US;purpose=inference"}
                for i in range(state["routes"])
            ]
            c["properties"].sort(key=lambda p: (p["name"], p["value"]))
    return (json.dumps(doc, indent=2) + "\n").encode()


def review(device, digest, n):
    who = ["Security Review Team <security@example.org>", "Data Protection Officer <dpo@example.org>"][n % 2]
    crit = ["security-reviewed", "dpo-approved"][n % 2]
    day = 1 + n % 28
    return (
        f"  - device: {device}\n"
        f"    digest: {digest}\n"
        f"    verdict: approve\n"
        f"    criteria: [{crit}]\n"
        f"    reviewer: {who}\n"
        f'    date: "2026-10-{day:02d}T{n % 24:02d}:00:00Z"\n'
        f"    note: benchmark review {n}\n"
    )


def reviews_file(entries):
    body = "\n".join(text for _, text in sorted(entries))
    return ("version: 1\nreviews:\n" + body).encode() if entries else b"version: 1\nreviews: []\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--devices", type=int, default=100)
    ap.add_argument("--commits", type=int, default=1000)
    ap.add_argument("--review-every", type=int, default=3)
    a = ap.parse_args()
    with open(TEMPLATE) as f:
        template = json.load(f)
    devices = [f"device-{i:03d}" for i in range(a.devices)]
    state = {d: {"os": 201, "image": 0, "perms": [], "routes": 0} for d in devices}
    subprocess.run(["git", "init", "-q", "-b", "main", a.out], check=True)
    fi = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=a.out, stdin=subprocess.PIPE)
    out = fi.stdin
    entries = []
    current = {}

    def commit(n, msg, files):
        t = START + n * 3600
        who = b"Ana Lima <ana@example.org>"
        out.write(b"commit refs/heads/main\n")
        out.write(b"author " + who + f" {t} +0000\n".encode())
        out.write(b"committer " + who + f" {t} +0000\n".encode())
        m = msg.encode()
        out.write(f"data {len(m)}\n".encode() + m + b"\n")
        for path, data in files:
            out.write(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")

    files = []
    for d in devices:
        current[d] = bom(template, d, state[d])
        files.append((f"attestations/{d}/bom.cdx.json", current[d]))
    files.append(("attestations/reviews.yaml", reviews_file(entries)))
    commit(0, f"{a.devices} devices", files)
    for n in range(1, a.commits):
        d = devices[n % a.devices]
        s = state[d]
        kind = (n // a.devices) % 4
        if kind == 0:
            s["os"] += 1
        elif kind == 1:
            s["image"] += 1
        elif kind == 2:
            s["perms"] = PERMS[: (len(s["perms"]) % len(PERMS)) + 1]
        else:
            s["routes"] += 1
        current[d] = bom(template, d, s)
        files = [(f"attestations/{d}/bom.cdx.json", current[d])]
        if n % a.review_every == 0:
            digest = "sha256:" + hashlib.sha256(current[d]).hexdigest()
            entries.append(((d, digest, n), review(d, digest, n)))
            files.append(("attestations/reviews.yaml", reviews_file(entries)))
        commit(n, f"{d}: change {n}", files)
    out.close()
    if fi.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "main"], cwd=a.out, check=True)
    print(f"{a.out}: {a.commits} commits, {a.devices} devices, {len(entries)} reviews")


if __name__ == "__main__":
    main()
