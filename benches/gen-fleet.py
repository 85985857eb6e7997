#!/usr/bin/env python3
"""Generate a fleet for benches/gate.sh: DEVICES devices with all five
layers (silicon, os, model, vehicle, services), real CycloneDX attestations
and real Sigstore bundles made by the strata binary itself, and a reviews
file, so that every rule of the example policy does real work.

Layout, mirroring the repository (examples/ beside attestations/):

    OUT/fleet/vendors.yaml          example vendors + 48 synthetic groups with
                                    subsidiaries + two restricted-list vendors
    OUT/fleet/designations.yaml     the example's list snapshots
    OUT/fleet/policy.yaml           the example policy (same rules and key),
                                    with live, expired and unused exceptions
    OUT/fleet/keys/demo-signing-key.pub
    OUT/fleet/approved-devices.yaml one entry per device
    OUT/fleet/stacks/dev-NNNNN.yaml one stack manifest per device
    OUT/fleet/evidence/pool/*.bin   64 small firmware stand-ins the stacks share
    OUT/attestations/<id>/bom.cdx.json, bom.sigstore.json
    OUT/attestations/<device>/reviews.yaml   approvals, rejections, expired approvals

The mix (deterministic for a given seed), per device:
  ~15% single-group stacks (one group has every layer: full-vertical,
  data-path-single-vendor), ~20% with one group on OS, model and services,
  the rest mixed; ~3% with a vendor on an active restricted list (as a
  supplier, or an upstream of the silicon); ~25% whose embedded background
  agent acts on personal data and ~20% deployed in 100 units or more (either
  makes a DPIA required), about half of those with a DPIA recorded in the
  list; ~20% with two-part silicon; classes phone, laptop, tablet, iot and
  vehicle. Reviews: ~88% approved for both criteria, ~5% for one only, ~3%
  rejected, ~2% approvals expired, the rest unreviewed. Signatures: ~0.5% of bundles deleted and ~0.5% of BOMs changed
  after signing (the bundle no longer verifies).

Assembly and signing run `STRATA assemble STACKS --out-dir ... --sign KEY`;
this is setup and is not what the bench measures.

Usage: gen-fleet.py --strata BIN --out DIR [--devices 1000] [--seed 6]
"""

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
EXAMPLES = os.path.join(REPO, "examples")
KEY_PEM = os.path.join(EXAMPLES, "keys", "demo-signing-key.pem")
KEY_PUB = os.path.join(EXAMPLES, "keys", "demo-signing-key.pub")

# Real vendors of the example fleet, by the layers they plausibly supply.
REAL = {
    "silicon": ["qualcomm", "intel", "nvidia", "samsung", "google", "tsmc"],
    "os": ["google", "microsoft", "murena", "xiaomi", "samsung"],
    "model": ["openai", "mistral", "google", "microsoft", "xiaomi"],
    "vehicle": ["xiaomi", "nvidia", "qualcomm"],
    "services": ["aws", "google", "microsoft", "murena", "xiaomi"],
}
LAYERS = ["silicon", "os", "model", "vehicle", "services"]
RESTRICTED = ["huawei", "hikvision"]
GROUPS = 48
SUBS = 3  # subsidiaries per synthetic group
POOL = 64  # shared evidence files
CLASSES = [("phone", 40), ("laptop", 25), ("tablet", 10), ("iot", 15), ("vehicle", 10)]
REGIONS = ["EU", "US", "CN", "global", "KR"]
PERMS = ["location", "communications", "calendar", "contacts", "browser",
         "notifications", "files", "camera-microphone"]
DATA = ["location", "contacts", "calendar", "communications", "telemetry"]
ORDINARY = ["backup", "settings", "crash-reports", "licences"]
CRITERIA = ["security-reviewed", "dpo-approved"]


def vendors_yaml():
    with open(os.path.join(EXAMPLES, "vendors.yaml"), encoding="utf-8") as f:
        text = f.read().rstrip("\n") + "\n"
    out = [text]
    out.append("  huawei:\n    name: Huawei Technologies Company\n"
               "    aliases: [\"Huawei Technologies Co., Ltd.\"]\n    jurisdiction: CN\n")
    out.append("  hikvision:\n    name: Hangzhou Hikvision Digital Technology Company\n"
               "    jurisdiction: CN\n")
    for g in range(GROUPS):
        out.append(f"  grp{g:02d}:\n    name: Synthetic Group {g:02d} Holdings plc\n"
                   f"    jurisdiction: {['DE', 'FR', 'US', 'JP', 'KR', 'NL'][g % 6]}\n")
        for s in range(SUBS):
            out.append(f"  grp{g:02d}-sub{s}:\n    name: Synthetic Group {g:02d} Unit {s} GmbH\n"
                       f"    aliases: [\"SG{g:02d} Unit {s}\"]\n    parent: grp{g:02d}\n"
                       f"    jurisdiction: DE\n")
    return "".join(out)


def synthetic(rng, group=None):
    g = rng.randrange(GROUPS) if group is None else group
    s = rng.randrange(SUBS + 1)
    return f"grp{g:02d}" if s == SUBS else f"grp{g:02d}-sub{s}"


def evidence(rng, indent):
    pad = " " * indent
    n = rng.randrange(POOL)
    return (f"{pad}evidence:\n{pad}  - kind: file\n"
            f"{pad}    path: evidence/pool/fw-{n:02d}.bin\n"
            f"{pad}    description: Firmware image (synthetic stand-in)\n")


def pick(rng, layer):
    if rng.random() < 0.35:
        return rng.choice(REAL[layer])
    return synthetic(rng)


def stack(i, rng):
    dev = f"dev-{i:05d}"
    cls = rng.choices([c for c, _ in CLASSES], [w for _, w in CLASSES])[0]
    shape = rng.random()
    if shape < 0.15:  # one group on every layer
        g = rng.randrange(GROUPS)
        sup = {l: synthetic(rng, g) for l in LAYERS}
    elif shape < 0.35:  # one group on the data path
        g = rng.randrange(GROUPS)
        sup = {l: pick(rng, l) for l in LAYERS}
        for l in ("os", "model", "services"):
            sup[l] = synthetic(rng, g)
    else:
        sup = {l: pick(rng, l) for l in LAYERS}
    upstream = []
    if rng.random() < 0.03:
        who = rng.choice(RESTRICTED)
        if rng.random() < 0.5:
            sup[rng.choice(LAYERS)] = who
        else:
            upstream.append(who)
    privileged = rng.random() < 0.25
    region = rng.choice(REGIONS)
    where = "US" if region == "global" else region  # data routes name a country

    y = [f"# Generated by benches/gen-fleet.py (device {i}).\n", "version: 1\n",
         "device:\n", f"  id: {dev}\n", f"  name: Synthetic {cls} {i}\n",
         f"  class: {cls}\n", f"  manufacturer: {sup['os']}\n", f"  region: {region}\n",
         "layers:\n"]
    # silicon
    y.append("  silicon:\n")
    if rng.random() < 0.2:
        other = pick(rng, "silicon")
        y.append("    parts:\n"
                 f"      - supplier: {sup['silicon']}\n        product: SoC {i}\n"
                 "        fraction: 0.7\n        role: application processor\n"
                 f"      - supplier: {other}\n        product: Modem {i}\n"
                 "        fraction: 0.3\n        role: modem\n")
    else:
        y.append(f"    supplier: {sup['silicon']}\n    product: SoC {i}\n")
    if upstream:
        y.append(f"    upstream: [{', '.join(upstream)}]\n")
    y.append(evidence(rng, 4))
    # os
    y.append(f"  os:\n    supplier: {sup['os']}\n    product: OS {i % 17}\n"
             f"    version: \"{rng.randrange(10, 17)}.{rng.randrange(10)}\"\n")
    y.append(evidence(rng, 4))
    # model
    perms = rng.sample(PERMS, rng.randrange(3, 6)) if privileged else ["files"]
    y.append(f"  model:\n    supplier: {sup['model']}\n    product: Assistant {i % 29}\n"
             "    agent:\n      name: assistant\n"
             f"      embedded: {'true' if privileged else 'false'}\n"
             f"      background: {'true' if privileged else 'false'}\n"
             f"      actions: {'true' if privileged else 'false'}\n"
             "      can-disable: true\n"
             f"      permissions: [{', '.join(perms)}]\n"
             "      data-routing:\n        - to: vendor-cloud\n"
             f"          operator: {sup['model']}\n          region: {where}\n"
             "          purpose: assistant inference\n")
    # vehicle (telematics / fleet-management unit on every class)
    y.append(f"  vehicle:\n    supplier: {sup['vehicle']}\n    product: Telematics unit {i % 11}\n"
             f"    version: \"{rng.randrange(1, 4)}.{rng.randrange(10)}\"\n")
    y.append(evidence(rng, 4))
    # services
    data = rng.sample(DATA if privileged else ORDINARY, rng.randrange(1, 4))
    y.append(f"  services:\n    supplier: {sup['services']}\n    product: Cloud {i % 13}\n"
             "    endpoints:\n"
             f"      - host: svc-{i}.example-cloud.invalid\n        region: {where}\n"
             f"        purpose: sync and telemetry\n        data: [{', '.join(data)}]\n")
    return dev, "".join(y), privileged


def policy_yaml(exceptions):
    with open(os.path.join(EXAMPLES, "policy.yaml"), encoding="utf-8") as f:
        text = f.read()
    head = text[: text.index("exceptions:")]
    out = [head, "exceptions:\n"]
    for dev, rule, expires in exceptions:
        out.append(f"  - device: {dev}\n    rule: {rule}\n"
                   f"    reason: Generated bench exception for {dev}\n"
                   f"    expires: \"{expires}\"\n    approved-by: Bench\n")
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--strata", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--devices", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=6)
    a = ap.parse_args()
    rng = random.Random(a.seed)

    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    fleet = os.path.join(a.out, "fleet")
    atts = os.path.join(a.out, "attestations")
    for d in ("stacks", "keys", "evidence/pool"):
        os.makedirs(os.path.join(fleet, d))
    os.makedirs(atts)
    shutil.copy(KEY_PUB, os.path.join(fleet, "keys"))
    shutil.copy(os.path.join(EXAMPLES, "designations.yaml"), fleet)
    with open(os.path.join(fleet, "vendors.yaml"), "w", encoding="utf-8") as f:
        f.write(vendors_yaml())
    for n in range(POOL):
        with open(os.path.join(fleet, "evidence", "pool", f"fw-{n:02d}.bin"), "wb") as f:
            f.write(random.Random(n).randbytes(4096))

    devices = []
    no_dpia = []  # privileged agent, no DPIA recorded: a dpia-required finding
    unreviewed = []  # not approved for both criteria: a stale-review finding
    listing = ["# Generated by benches/gen-fleet.py.\nversion: 1\ndevices:\n"]
    for i in range(1, a.devices + 1):
        dev, text, privileged = stack(i, rng)
        with open(os.path.join(fleet, "stacks", f"{dev}.yaml"), "w", encoding="utf-8") as f:
            f.write(text)
        devices.append(dev)
        units = rng.randrange(100, 500) if rng.random() < 0.2 else rng.randrange(5, 100)
        listing.append(f"  - id: {dev}\n    stack: stacks/{dev}.yaml\n"
                       f"    attestation: ../attestations/{dev}/bom.cdx.json\n"
                       f"    units: {units}\n"
                       f"    owner: Team {i % 23}\n"
                       f"    deployment: {rng.choice(['cope', 'byod', 'fleet-vehicle'])}\n")
        if (privileged or units >= 100) and rng.random() < 0.5:
            listing.append(f"    dpia: DPIA-2026-{i:05d}\n")
        elif privileged:
            no_dpia.append(dev)
    with open(os.path.join(fleet, "approved-devices.yaml"), "w", encoding="utf-8") as f:
        f.write("".join(listing))

    subprocess.run([a.strata, "assemble", os.path.join(fleet, "stacks"), "--fleet", fleet,
                    "--out-dir", atts, "--sign", KEY_PEM], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    for dev in devices:
        reviews = ["# Generated by benches/gen-fleet.py.\nversion: 1\nreviews:\n"]
        with open(os.path.join(atts, dev, "bom.cdx.json"), "rb") as f:
            digest = "sha256:" + hashlib.sha256(f.read()).hexdigest()
        r = rng.random()
        if r < 0.88:
            entries = [("approve", c, None) for c in CRITERIA]
        elif r < 0.93:
            entries = [("approve", rng.choice(CRITERIA), None)]
        elif r < 0.96:
            entries = [("approve", CRITERIA[0], None), ("reject", CRITERIA[1], None)]
        elif r < 0.98:
            entries = [("approve", c, "2026-06-30") for c in CRITERIA]
        else:
            entries = []
        if r >= 0.88:
            unreviewed.append(dev)
        for n, (verdict, crit, expires) in enumerate(entries):
            reviews.append(f"  - device: {dev}\n    digest: {digest}\n    verdict: {verdict}\n"
                           f"    criteria: [{crit}]\n    reviewer: Bench Reviewer <r@example.invalid>\n"
                           f"    date: \"2026-0{3 + n}-1{n}T09:00:00Z\"\n")
            if expires:
                reviews.append(f"    expires: \"{expires}\"\n")
        if entries:
            with open(os.path.join(atts, dev, "reviews.yaml"), "w", encoding="utf-8") as f:
                f.write("".join(reviews))

    # Exceptions, per 1000 devices: 10 live ones on findings, 2 live ones
    # that match no finding, 1 expired one.
    k = max(1, len(devices) // 200)
    exc = [(d, "dpia-required", "2027-06-30") for d in rng.sample(no_dpia, min(k, len(no_dpia)))]
    exc += [(d, "stale-review", "2027-06-30") for d in rng.sample(unreviewed, min(k, len(unreviewed)))]
    exc += [(d, "restricted-entity", "2027-06-30")
            for d in rng.sample(devices, max(1, len(devices) // 500))]
    exc += [(d, "stale-review", "2026-01-31")
            for d in rng.sample(unreviewed, min(max(1, len(devices) // 1000), len(unreviewed)))]
    with open(os.path.join(fleet, "policy.yaml"), "w", encoding="utf-8") as f:
        f.write(policy_yaml(exc))

    # Break a few signatures: delete the bundle, or change the BOM after
    # signing (after the review digests, so the review goes stale too).
    for dev in devices:
        r = rng.random()
        if r < 0.005:
            os.remove(os.path.join(atts, dev, "bom.sigstore.json"))
        elif r < 0.01:
            with open(os.path.join(atts, dev, "bom.cdx.json"), "ab") as f:
                f.write(b"\n")
    print(f"generated {len(devices)} devices in {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
