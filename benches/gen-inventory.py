#!/usr/bin/env python3
"""Generate inventories for benches/inventory.sh: Microsoft Graph
managedDevice pages (Intune), a vehicle list as CSV keyed by VIN, and a
fleet whose catalog has CATALOG model entries.

Layout:

    OUT/fleet/vendors.yaml            the example vendors + synthetic OEMs
    OUT/fleet/designations.yaml       the example's list snapshots
    OUT/fleet/approved-devices.yaml   about a third of the catalogued stacks
    OUT/fleet/catalog.yaml            CATALOG model entries (the example's five
                                      among them), manufacturer aliases, WMIs
    OUT/intune/page-NNNNN.json        INTUNE devices, PAGE per page, each page
                                      a Graph response with @odata.context and
                                      @odata.nextLink (absent on the last one)
    OUT/vehicles.csv                  VEHICLES rows: VIN, Make, Model, Model
                                      year, Registration, Cost centre, Driver,
                                      Ownership, Last seen

Every record carries every field Graph returns for a managedDevice (names,
UPNs, e-mail, IMEI, serial, MAC, phone numbers: all invented), so the reader
parses and drops realistic pages, not skeletons. The mix (deterministic for a
seed): about 72% catalogued models written in the spellings devices report
(case variants, hyphens, extra spaces), 15% models the catalog does not know
from known manufacturers, 3% manufacturers nothing resolves (some of them
restricted-list names), 10% with empty or null manufacturer, model or OS
fields; ownership about 55% company, 35% personal, 10% unknown; 4% of
records stale, 0.5% repeat a device seen on an earlier page (Graph paging
during changes does that). Vehicles: Chinese, European and US WMIs, 2% of
VINs with a wrong check digit, 5% unknown models.

Usage: gen-inventory.py --out DIR [--intune 1000000] [--vehicles 100000]
                        [--catalog 500] [--page 1000] [--seed 15]
"""

import argparse
import importlib.util
import json
import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "examples")

# ISO 3779 check digits: the example inventory generator's `vin`.
_spec = importlib.util.spec_from_file_location(
    "example_inventory", os.path.join(EXAMPLES, "generate-inventory.py"))
_example = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_example)
VIN_ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"

# The example catalog's five models stay (the example vendors resolve them).
EXAMPLE_MODELS = [
    ("dell", "laptop", "laptop", ["Latitude 7450"], ["Windows"]),
    ("fairphone", "mixed-phone", "phone", ["FP5"], ["Android"]),
    ("google", "pixel-9-pro", "phone", ["Pixel 9 Pro"], ["Android"]),
    ("xiaomi", "xiaomi-15s-pro-cn", "phone", ["25042PN24C", "Xiaomi 15S Pro"], ["Android"]),
    ("xiaomi-ev", "xiaomi-su7", "vehicle", ["SU7"], []),
]
EXAMPLE_MAKERS = {
    "dell": ["Dell Inc."],
    "fairphone": ["Fairphone"],
    "google": ["Google"],
    "xiaomi": ["POCO", "Redmi", "Xiaomi"],
}
# OS families and the class of device that runs them.
PLATFORMS = [
    ("phone", "Android", ["13", "14", "15", "15.0"]),
    ("phone", "iOS", ["17.6.1", "18.1", "18.2"]),
    ("tablet", "iPadOS", ["17.7", "18.1"]),
    ("laptop", "Windows", ["10.0.22631.4460", "10.0.26100.2314"]),
    ("laptop", "macOS", ["14.7.1", "15.1"]),
]
SUFFIXES = ["Co., Ltd.", "Inc.", "Corporation", "GmbH", "S.A.", "Technology Co., Ltd."]
UNRESOLVED = ["HUAWEI", "ZTE", "Hytera", "Acme Handhelds", "Zebra Technologies", "Honeywell",
              "Unitech", "Point Mobile", "CipherLab", "Datalogic"]
FIRST = ["ana", "bruno", "carla", "diogo", "elisa", "filipe", "gabriela", "hugo", "ines", "joao",
         "luisa", "marco", "nuno", "olga", "pedro", "rita", "sofia", "tiago", "vera", "xavier"]
LAST = ["silva", "costa", "mendes", "ferreira", "rocha", "nunes", "pinto", "sousa", "barros",
        "moreira", "carvalho", "lopes", "gomes", "martins", "ribeiro"]


def vin(rng, wmi, year, good=True):
    """A 17-character VIN with WMI, model year code and check digit."""
    body = wmi + "".join(rng.choice(VIN_ALPHABET) for _ in range(5)) + "0" + year
    body += "".join(rng.choice(VIN_ALPHABET) for _ in range(1)) + f"{rng.randrange(10**6):06d}"
    return _example.vin(body[:8] + body[9:], good)


def spelled(rng, name):
    """A name as a device may report it."""
    r = rng.random()
    if r < 0.6:
        return name
    if r < 0.75:
        return name.upper()
    if r < 0.85:
        return name.lower()
    if r < 0.95:
        return name.replace(" ", "-")
    return " " + name.replace(" ", "  ") + " "


def build_catalog(rng, size):
    """Synthetic OEMs (vendor id, legal name, reported names) and CATALOG
    models: (vendor, stack, class, names, os, reported manufacturer)."""
    oems = []
    for i in range(1, 61):
        vid = f"oem-{i:02d}"
        base = f"Oem{i:02d}"
        oems.append((vid, f"{base} {SUFFIXES[i % len(SUFFIXES)]}", [base, f"{base} Mobile"]))
    models = [m + (EXAMPLE_MAKERS.get(m[0], ["Xiaomi"])[0],) for m in EXAMPLE_MODELS]
    for i in range(size - len(models)):
        vid, _, names = oems[i % len(oems)]
        cls, os_, _ = PLATFORMS[i % len(PLATFORMS)]
        code = f"{rng.randrange(16**6):06X}{i:03d}"
        marketing = f"{names[0]} {cls.title()} {i}"
        models.append((vid, f"{vid}-m{i:03d}", cls, [code, marketing], [os_], names[0]))
    return oems, models


def fleet_files(out, oems, models):
    fleet = os.path.join(out, "fleet")
    os.makedirs(fleet, exist_ok=True)
    with open(os.path.join(EXAMPLES, "vendors.yaml"), encoding="utf-8") as f:
        vendors = f.read().rstrip("\n") + "\n"
    for vid, legal, _ in oems:
        vendors += f"  {vid}:\n    name: {json.dumps(legal)}\n    jurisdiction: CN\n"
    write(os.path.join(fleet, "vendors.yaml"), vendors)
    shutil.copyfile(os.path.join(EXAMPLES, "designations.yaml"),
                    os.path.join(fleet, "designations.yaml"))
    cat = ["version: 1", "manufacturers:"]
    makers = dict(EXAMPLE_MAKERS)
    for vid, _, names in oems:
        makers[vid] = names
    makers["xiaomi-ev"] = []
    for vid in sorted(makers):
        cat.append(f"  {vid}:")
        if makers[vid]:
            cat.append(f"    names: {json.dumps(makers[vid])}")
        if vid == "xiaomi-ev":
            cat.append('    wmi: ["LXM"]')
    cat.append("models:")
    for vid, stack, cls, names, os_, _ in models:
        cat.append(f"  - vendor: {vid}\n    stack: {stack}\n    class: {cls}")
        cat.append(f"    names: {json.dumps(names)}")
        if os_:
            cat.append(f"    os: {json.dumps(os_)}")
    write(os.path.join(fleet, "catalog.yaml"), "\n".join(cat) + "\n")
    approved = ["version: 1", "devices:"]
    for n, (_, stack, *_rest) in enumerate(models):
        if n % 3 == 0:
            approved.append(f"  - id: {stack}\n    stack: stacks/{stack}.yaml\n    units: 10")
    write(os.path.join(fleet, "approved-devices.yaml"), "\n".join(approved) + "\n")


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def device(rng, i, models, oems):
    """One Graph managedDevice with every field, personal data included."""
    r = rng.random()
    patch = ""
    if r < 0.72:
        vid, _, cls, names, os_, maker = models[rng.randrange(len(models))]
        model = spelled(rng, rng.choice(names))
        manufacturer = spelled(rng, maker)
        osname = os_[0] if os_ else "Android"
        version = rng.choice(next(p[2] for p in PLATFORMS if p[1] == osname))
    elif r < 0.87:
        vid, _, names = oems[rng.randrange(len(oems))]
        cls, osname, versions = rng.choice(PLATFORMS)
        manufacturer = spelled(rng, rng.choice(names))
        model = f"X{rng.randrange(10**5):05d}{rng.choice('ABCDEFG')}"
        version = rng.choice(versions)
    elif r < 0.90:
        manufacturer = spelled(rng, rng.choice(UNRESOLVED))
        model = f"{rng.choice('KLMNP')}{rng.randrange(1000):03d}"
        cls, osname, versions = PLATFORMS[0]
        version = rng.choice(versions)
    else:
        manufacturer, model = rng.choice([("", ""), (None, None), ("Xiaomi", ""), ("", "FP5")])
        cls, osname, versions = PLATFORMS[0]
        version = rng.choice(versions + [""])
    if osname == "Android":
        patch = f"2026-{rng.randrange(1, 12):02d}-01"
    o = rng.random()
    owner = "company" if o < 0.55 else "personal" if o < 0.90 else rng.choice(["unknown", "", None])
    first, last = rng.choice(FIRST), rng.choice(LAST)
    upn = f"{first}.{last}{i % 97}@example.org"
    stale = rng.random() < 0.04
    month, day = (rng.randrange(1, 9), rng.randrange(1, 28)) if stale else (11, rng.randrange(5, 30))
    mobile = osname in ("Android", "iOS")
    return {
        "id": f"6f3c2a1e-0b7d-4c1e-9f5a-{i:012x}",
        "userId": f"0f9e8d7c-{rng.randrange(16**4):04x}-4a2b-8c3d-{rng.randrange(16**12):012x}",
        "deviceName": f"{first.upper()}-{cls.upper()}-{i % 1000}",
        "managedDeviceOwnerType": owner,
        "enrolledDateTime": f"2026-0{rng.randrange(1, 10)}-0{rng.randrange(1, 10)}T08:14:09Z",
        "lastSyncDateTime": f"2026-{month:02d}-{day:02d}T{rng.randrange(24):02d}:41:55Z",
        "operatingSystem": osname,
        "osVersion": version,
        "complianceState": rng.choice(["compliant", "compliant", "noncompliant", "inGracePeriod"]),
        "jailBroken": "False",
        "managementAgent": rng.choice(["mdm", "mdm", "easMdm", "configurationManagerClientMdm"]),
        "manufacturer": manufacturer,
        "model": model,
        "serialNumber": f"SN{rng.randrange(10**10):010d}",
        "imei": f"35{rng.randrange(10**13):013d}" if mobile else "",
        "userPrincipalName": upn,
        "emailAddress": upn,
        "androidSecurityPatchLevel": patch,
        "isSupervised": False,
        "isEncrypted": rng.random() < 0.95,
        "wiFiMacAddress": ":".join(f"{rng.randrange(256):02x}" for _ in range(6)),
        "phoneNumber": f"+3519{rng.randrange(10**8):08d}" if mobile else None,
    }


def intune(out, rng, count, page_size, models, oems):
    d = os.path.join(out, "intune")
    os.makedirs(d, exist_ok=True)
    pages = (count + page_size - 1) // page_size
    ids = []
    for p in range(pages):
        value = []
        for k in range(min(page_size, count - p * page_size)):
            i = p * page_size + k + 1
            if ids and rng.random() < 0.005:
                dev = device(rng, rng.choice(ids), models, oems)
            else:
                dev = device(rng, i, models, oems)
                if len(ids) < 10000:
                    ids.append(i)
            value.append(dev)
        page = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices"}
        if p + 1 < pages:
            page["@odata.nextLink"] = ("https://graph.microsoft.com/v1.0/deviceManagement/managedDevices"
                                       f"?$skiptoken=Q{p + 1:07d}")
        page["value"] = value
        write(os.path.join(d, f"page-{p + 1:05d}.json"), json.dumps(page, separators=(",", ":")) + "\n")


def vehicles(out, rng, count):
    makes = [("LXM", "Xiaomi", ["SU7", "SU7 Max", "YU7"]), ("LRW", "Tesla", ["Model 3", "Model Y"]),
             ("WVW", "Volkswagen", ["ID.3", "ID.4"]), ("WBA", "BMW", ["i4", "iX1"]),
             ("LFV", "FAW-Volkswagen", ["ID.4 CROZZ"]), ("LGX", "BYD", ["Seal", "Atto 3", "Dolphin"])]
    lines = ["VIN,Make,Model,Model year,Registration,Cost centre,Driver,Ownership,Last seen"]
    for i in range(count):
        wmi, make, ms = makes[0] if rng.random() < 0.4 else rng.choice(makes)
        model = ms[0] if make == "Xiaomi" and rng.random() < 0.95 else rng.choice(ms)
        year = rng.choice("RSTV")
        good = rng.random() >= 0.02
        driver = "" if rng.random() < 0.2 else f"{rng.choice(FIRST).title()} {rng.choice(LAST).title()}"
        owner = rng.choice(["Leased", "leased", "company", "Company", "personal", ""])
        seen = f"2026-{rng.choice(['11', '11', '11', '06']):s}-{rng.randrange(1, 29):02d}"
        reg = f"{rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}-{i % 100:02d}-{rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}"
        lines.append(f"{vin(rng, wmi, year, good)},{spelled(rng, make).strip()},{model},"
                     f"20{'RSTV'.index(year) + 24},{reg},CC-{4100 + i % 7 * 100},{driver},{owner},{seen}")
    write(os.path.join(out, "vehicles.csv"), "\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--intune", type=int, default=1_000_000)
    ap.add_argument("--vehicles", type=int, default=100_000)
    ap.add_argument("--catalog", type=int, default=500)
    ap.add_argument("--page", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=15)
    a = ap.parse_args()
    if a.intune < 0 or a.vehicles < 0 or a.page < 1 or a.catalog < len(EXAMPLE_MODELS):
        sys.exit(f"gen-inventory.py: bad sizes (catalog must be at least {len(EXAMPLE_MODELS)})")
    rng = random.Random(a.seed)
    oems, models = build_catalog(rng, a.catalog)
    os.makedirs(a.out, exist_ok=True)
    fleet_files(a.out, oems, models)
    handheld = [m for m in models if m[2] != "vehicle"]
    intune(a.out, random.Random(a.seed + 1), a.intune, a.page, handheld, oems)
    vehicles(a.out, random.Random(a.seed + 2), a.vehicles)


if __name__ == "__main__":
    main()
