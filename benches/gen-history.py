#!/usr/bin/env python3
"""Generate a git repository with a long attestation history, for
benches/history.sh.

DEVICES devices, each with attestations/<id>/bom.cdx.json and its Sigstore
bundle bom.sigstore.json, and COMMITS commits: one initial commit adding every
device, then one change per commit, round-robin over the devices. The change
cycles through five kinds, one round of the devices each: an OS version, an
evidence digest, an agent permission, a data route (each a new BOM and a new
bundle signing it), and a re-signature by the other signer (a new bundle
only). Every REVIEW_EVERY-th commit also appends a review of the changed
device's new attestation, in canonical form (`strata fmt --check` passes),
to the device's attestations/<id>/reviews.yaml (`--reviews device`, strata's
layout: each file grows to COMMITS / REVIEW_EVERY / DEVICES entries, 33 at
10,000 commits) or to the one shared attestations/reviews.yaml of the
earlier layout (`--reviews shared`: it grows to COMMITS / REVIEW_EVERY
entries, 3,333 at 10,000 commits, about 0.9 MB).

The BOMs are the committed example attestation of the Xiaomi phone
(attestations/xiaomi-15s-pro-cn/bom.cdx.json, about 19 KB) with the device
id and the changed values substituted, so parsing costs what it costs on
real attestations. The bundles have the shape `strata sign` writes (DSSE
envelope, in-toto statement with the BOM as predicate, keyless certificate:
the test signers alice and bob from cli/tests/fixtures/signers), but their
signatures are not valid: `strata log` and `strata diff` read the signer a
bundle claims and do not verify it.

Layouts (how git stores the objects, which decides what reading them costs):
  packed  `git repack -a -d -f` after the import: every version of a file is
          a delta against a neighbouring version, as a clone or `git gc`
          delivers a repository;
  whole   as `git fast-import` writes them: every version of a reviews file
          is a whole zlib-compressed object, as the loose objects of a
          repository that was never packed are.

Deterministic: the same arguments give the same commit ids.

Usage: gen-history.py --out DIR [--devices 100] [--commits 1000]
                      [--review-every 3] [--layout packed|whole]
                      [--reviews device|shared]
"""

import argparse
import base64
import bisect
import copy
import hashlib
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
TEMPLATE = os.path.join(ROOT, "attestations", "xiaomi-15s-pro-cn", "bom.cdx.json")
SIGNERS = os.path.join(ROOT, "cli", "tests", "fixtures", "signers")
# Not in the example's permissions, so each change is a real one.
PERMS = ["camera-microphone", "payments", "files", "health", "sms", "call-log"]
KINDS = 5  # os, image, permissions, routing, re-sign
START = 1_790_000_000  # 2026-09-22
AUTHOR = b"Ana Lima <ana@example.org>"


class Template:
    """The example BOM rendered once per device with markers in place of the
    values that change, so that each new version is a few string
    replacements instead of a JSON serialisation."""

    ROUTE = "@ROUTES@"

    def __init__(self, doc):
        self.doc = doc

    def for_device(self, device):
        doc = copy.deepcopy(self.doc)
        meta = doc["metadata"]["component"]
        meta["bom-ref"] = f"device:{device}"
        meta["name"] = device
        for p in meta["properties"]:
            if p["name"] == "strata:device:id":
                p["value"] = device
        hashes = []
        for c in doc["components"]:
            if c["bom-ref"] == "layer:os":
                c["version"] = "@OS@"
                for e in c.get("components", []):
                    for h in e.get("hashes", []):
                        h["content"] = f"@H{len(hashes)}@"
                        hashes.append(e["bom-ref"])
            if c["bom-ref"] == "layer:model":
                for p in c["properties"]:
                    if p["name"] == "strata:agent:permissions":
                        base = p["value"].split(",")
                        p["value"] = "@PERMS@"
                c["properties"].append({"name": "strata:agent:data-routing", "value": self.ROUTE})
        text = json.dumps(doc, indent=2) + "\n"
        # The route marker's property object spans four lines; it is
        # replaced by one such object per route (or removed).
        lines = text.split("\n")
        at = next(i for i, l in enumerate(lines) if self.ROUTE in l)
        indent = lines[at - 2][: len(lines[at - 2]) - len(lines[at - 2].lstrip())]
        before, after = "\n".join(lines[: at - 2]), "\n".join(lines[at + 2 :])
        assert lines[at + 1].strip() == "}", "the marker is the last property"
        # `before` ends with the previous property's "}," line.
        return dict(before=before, after=after, indent=indent, hashes=hashes, perms=base)

    @staticmethod
    def render(t, device, state):
        route = (
            ",\n{i}{{\n{i}  \"name\": \"strata:agent:data-routing\",\n"
            "{i}  \"value\": \"to=third-party;operator=partner{n};region=US;purpose=inference\"\n{i}}}"
        )
        before = t["before"]
        assert before.endswith(","), "the marker is not the first property"
        routes = "".join(route.format(i=t["indent"], n=n) for n in range(state["routes"]))
        text = before[:-1] + routes + "\n" + t["after"]
        perms = ",".join(sorted(set(t["perms"]) | set(state["perms"])))
        text = text.replace("@OS@", f"2.0.{state['os']}").replace("@PERMS@", perms)
        for i, ref in enumerate(t["hashes"]):
            h = hashlib.sha256(f"{device}/{ref}/{state['image']}".encode()).hexdigest()
            text = text.replace(f"@H{i}@", h)
        return text.encode()


def bundle(device, bom, signer_cert):
    digest = hashlib.sha256(bom).hexdigest()
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": f"device:{device}", "digest": {"sha256": digest}}],
        "predicateType": "https://cyclonedx.org/bom",
        "predicate": json.loads(bom),
    }
    payload = json.dumps(statement, separators=(",", ":"), sort_keys=False).encode()
    doc = {
        "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
        "verificationMaterial": {
            "certificate": {"rawBytes": signer_cert},
            "tlogEntries": [],
            "timestampVerificationData": {},
        },
        "dsseEnvelope": {
            "payloadType": "application/vnd.in-toto+json",
            "payload": base64.b64encode(payload).decode(),
            # Not a signature: 71 bytes derived from the payload, so every
            # bundle differs the way real ones do.
            "signatures": [{"sig": base64.b64encode(hashlib.sha512(payload).digest()[:71]).decode()}],
        },
    }
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
    if not entries:
        return b"version: 1\nreviews: []\n"
    return ("version: 1\nreviews:\n" + "\n".join(text for _, text in entries)).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--devices", type=int, default=100)
    ap.add_argument("--commits", type=int, default=1000)
    ap.add_argument("--review-every", type=int, default=3)
    ap.add_argument("--layout", choices=["packed", "whole"], default="packed")
    ap.add_argument("--reviews", choices=["device", "shared"], default="device")
    a = ap.parse_args()
    if a.devices < 1 or a.commits < 1 or a.review_every < 1:
        sys.exit("--devices, --commits and --review-every must be positive")
    if os.path.exists(a.out):
        sys.exit(f"{a.out} exists; remove it first")
    with open(TEMPLATE) as f:
        template = Template(json.load(f))
    certs = []
    for name in ("alice", "bob"):
        with open(os.path.join(SIGNERS, f"{name}.cert.b64")) as f:
            certs.append(f.read().strip())
    devices = [f"device-{i:03d}" for i in range(a.devices)]
    shapes = {d: template.for_device(d) for d in devices}
    state = {d: {"os": 201, "image": 0, "perms": [], "routes": 0, "signer": 0} for d in devices}
    subprocess.run(["git", "init", "-q", "-b", "main", a.out], check=True)
    fi = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=a.out, stdin=subprocess.PIPE)
    out = fi.stdin
    entries = []  # sorted (key, text)
    boms = {}

    def commit(n, msg, files):
        t = START + n * 3600
        out.write(b"commit refs/heads/main\n")
        out.write(b"author " + AUTHOR + f" {t} +0000\n".encode())
        out.write(b"committer " + AUTHOR + f" {t} +0000\n".encode())
        m = msg.encode()
        out.write(f"data {len(m)}\n".encode() + m + b"\n")
        for path, data in files:
            out.write(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")

    def device_files(d, new_bom):
        s = state[d]
        files = []
        if new_bom:
            boms[d] = Template.render(shapes[d], d, s)
            files.append((f"attestations/{d}/bom.cdx.json", boms[d]))
        files.append((f"attestations/{d}/bom.sigstore.json", bundle(d, boms[d], certs[s["signer"]])))
        return files

    files = []
    for d in devices:
        files += device_files(d, True)
    if a.reviews == "shared":
        files.append(("attestations/reviews.yaml", reviews_file(entries)))
    commit(0, f"{a.devices} devices", files)
    for n in range(1, a.commits):
        d = devices[n % a.devices]
        s = state[d]
        kind = (n // a.devices) % KINDS
        if kind == 0:
            s["os"] += 1
        elif kind == 1:
            s["image"] += 1
        elif kind == 2:
            s["perms"] = PERMS[: (len(s["perms"]) % len(PERMS)) + 1]
        elif kind == 3:
            s["routes"] += 1
        else:
            s["signer"] = 1 - s["signer"]
        files = device_files(d, kind != 4)
        if n % a.review_every == 0:
            digest = "sha256:" + hashlib.sha256(boms[d]).hexdigest()
            bisect.insort(entries, ((d, digest, n), review(d, digest, n)))
            if a.reviews == "shared":
                files.append(("attestations/reviews.yaml", reviews_file(entries)))
            else:
                mine = [e for e in entries if e[0][0] == d]
                files.append((f"attestations/{d}/reviews.yaml", reviews_file(mine)))
        what = ["OS update", "new evidence", "agent permission", "data route", "re-signed"][kind]
        commit(n, f"{d}: {what} ({n})", files)
    out.close()
    if fi.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "main"], cwd=a.out, check=True)
    if a.layout == "packed":
        subprocess.run(["git", "repack", "-a", "-d", "-f", "-q"], cwd=a.out, check=True)
    print(f"{a.out}: {a.commits} commits, {a.devices} devices, {len(entries)} reviews ({a.reviews}), {a.layout} objects")


if __name__ == "__main__":
    main()
