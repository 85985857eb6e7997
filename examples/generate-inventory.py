#!/usr/bin/env python3
"""Write the example organisation's device inventories (examples/inventory/).

Every supported export format, built from the formats' documented field
names, with the mess real exports have: case variants, null and empty
fields, personal and company devices, unknown models, an unresolved
manufacturer, a duplicate, a stale and a retired record, a VIN whose check
digit fails. Every person, identifier, serial, IMEI, MAC, phone number,
e-mail address and VIN here is invented. Deterministic: run it again and
nothing changes.
"""
import csv
import filecmp
import json
import os
import sys
import tempfile

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "inventory")

VALUES = {c: v for c, v in zip("ABCDEFGH", range(1, 9))}
VALUES.update({c: v for c, v in zip("JKLMN", range(1, 6))})
VALUES.update({"P": 7, "R": 9})
VALUES.update({c: v for c, v in zip("STUVWXYZ", range(2, 10))})
VALUES.update({str(d): d for d in range(10)})
WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]


def vin(body, good=True):
    """A 17-character VIN from 16 characters (position 9 filled in)."""
    v = body[:8] + "0" + body[8:]
    s = sum(VALUES[c] * w for c, w in zip(v, WEIGHTS)) % 11
    d = "X" if s == 10 else str(s)
    if not good:
        d = "1" if d != "1" else "2"
    return v[:8] + d + v[9:]


def graph_device(i, name, user, owner, os_, ver, make, model, sync, agent="mdm", patch=""):
    return {
        "id": f"6f3c2a1e-0b7d-4c1e-9f5a-{i:012x}",
        "userId": f"0f9e8d7c-1111-4a2b-8c3d-{i * 7919:012x}",
        "deviceName": name,
        "managedDeviceOwnerType": owner,
        "enrolledDateTime": "2026-03-02T08:14:09Z",
        "lastSyncDateTime": sync,
        "operatingSystem": os_,
        "osVersion": ver,
        "complianceState": "compliant",
        "jailBroken": "False",
        "managementAgent": agent,
        "manufacturer": make,
        "model": model,
        "serialNumber": f"SN{i:04d}X{i * 31:05d}",
        "imei": f"35209900{i:06d}1" if os_ in ("Android", "iOS") else "",
        "userPrincipalName": f"{user}@example.org",
        "emailAddress": f"{user}@example.org",
        "androidSecurityPatchLevel": patch,
        "isSupervised": False,
        "isEncrypted": True,
        "wiFiMacAddress": f"02:00:5e:10:{i:02x}:{i * 3 % 256:02x}",
        "phoneNumber": f"+3519123{i:05d}" if os_ == "Android" else None,
    }


def intune():
    d = os.path.join(HERE, "intune")
    os.makedirs(d, exist_ok=True)
    rows1 = [
        graph_device(1, "ANA-XIAOMI15S", "ana.silva", "personal", "Android", "15.0", "Xiaomi", "25042PN24C", "2026-11-30T17:41:55Z", patch="2026-10-01"),
        graph_device(2, "BRUNO-PHONE", "bruno.costa", "personal", "Android", "15", "XIAOMI", "Xiaomi 15S Pro", "2026-11-29T09:02:11.1234567Z", patch="2026-09-01"),
        graph_device(3, "Redmi Note 13 de Carla", "carla.mendes", "personal", "Android", "14", "Xiaomi", "2312DRA50G", "2026-11-28T20:10:00Z", patch="2026-06-01"),
        graph_device(4, "POCO-F6-DIOGO", "diogo.ferreira", "Personal", "Android", "14", "POCO", "24069PC21G", "2026-11-27T07:45:00Z", patch="2026-08-01"),
        graph_device(5, "Pixel de Elisa", "elisa.rocha", "company", "Android", "15", "Google", "Pixel 9 Pro", "2026-11-30T12:00:00Z", patch="2026-11-05"),
        graph_device(6, "FILIPE-PIXEL8", "filipe.nunes", "personal", "Android", "15", "Google", "Pixel 8", "2026-11-20T18:30:00Z", patch="2026-10-05"),
        graph_device(7, "LAPTOP-GABRIELA", "gabriela.pinto", "company", "Windows", "10.0.26100.2314", "Dell Inc.", "Latitude 7450", "2026-11-30T08:00:00Z"),
        graph_device(8, "LAPTOP-HUGO", "hugo.sousa", "company", "Windows", "10.0.22631.4460", "LENOVO", "21HD", "2026-11-29T16:20:00Z"),
    ]
    rows1[3]["managementAgent"] = "mdm"
    rows1[7]["phoneNumber"] = ""
    page1 = {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices",
        "@odata.nextLink": "https://graph.microsoft.com/v1.0/deviceManagement/managedDevices?$skiptoken=page2",
        "value": rows1,
    }
    rows2 = [
        graph_device(9, "Ines iPhone", "ines.lopes", "personal", "iOS", "18.1", "Apple", "iPhone 16", "2026-11-30T10:11:12Z"),
        graph_device(10, "JOAO-HUAWEI", "joao.ramos", "personal", "Android", "12", "HUAWEI", "ELS-NX9", "2026-11-26T11:00:00Z", patch="2024-03-05"),
        graph_device(11, "FP5 Kevin", "kevin.almeida", "company", "Android", "14", "Fairphone", "FP5", "2026-11-30T09:30:00Z", patch="2026-10-01"),
        graph_device(12, "LUISA-S24", "luisa.martins", "unknown", "Android", "15", "samsung", "SM-S928B", "2026-11-25T14:00:00Z", agent="easMdm", patch="2026-10-01"),
        graph_device(13, "OLD-XIAOMI-MARTA", "marta.vieira", "personal", "Android", "13", "Xiaomi", "2201123G", "2026-05-14T10:00:00Z", patch="2025-01-01"),
        graph_device(14, "", "nuno.teixeira", "company", "Android", "15", "", "", "2026-11-30T07:00:00Z"),
        # The first device again, on the next page (exports repeat devices
        # that synced while the pages were fetched).
        graph_device(1, "ANA-XIAOMI15S", "ana.silva", "personal", "Android", "15.0", "Xiaomi", "25042PN24C", "2026-11-30T17:41:55Z", patch="2026-10-01"),
    ]
    rows2[5]["manufacturer"] = None
    rows2[5]["model"] = None
    rows2[5]["managedDeviceOwnerType"] = None
    page2 = {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices",
        "value": rows2,
    }
    for name, page in (("page-1.json", page1), ("page-2.json", page2)):
        with open(os.path.join(d, name), "w") as f:
            json.dump(page, f, indent=2, ensure_ascii=False)
            f.write("\n")


def amapi(i, mode, owner, state, brand, make, model, report, ver="15", patch="2026-10-01", user=None):
    dev = {
        "name": f"enterprises/LC0abc123/devices/3f1e9a7b{i:04x}",
        "managementMode": mode,
        "ownership": owner,
        "state": state,
        "enrollmentTime": "2026-04-11T09:00:00Z",
        "lastStatusReportTime": report,
        "hardwareInfo": {"brand": brand, "manufacturer": make, "model": model,
                         "hardware": "qcom", "serialNumber": f"AE{i:06d}Q"},
        "softwareInfo": {"androidVersion": ver, "securityPatchLevel": patch,
                         "androidBuildNumber": f"AQ3A.{i}", "bootloaderVersion": "unknown"},
        "securityPosture": {"devicePosture": "SECURE"},
        "networkInfo": {"imei": f"86{i:013d}", "wifiMacAddress": f"a4:50:46:00:00:{i:02x}",
                        "telephonyInfos": [{"phoneNumber": f"+8613800{i:06d}", "carrierName": "CMCC"}]},
    }
    if user:
        dev["userName"] = f"enterprises/LC0abc123/users/{user}"
    return dev


def android():
    devices = [
        amapi(1, "PROFILE_OWNER", "PERSONALLY_OWNED", "ACTIVE", "Xiaomi", "Xiaomi", "25042PN24C", "2026-11-30T06:12:00Z", user="114477889900"),
        amapi(2, "PROFILE_OWNER", "PERSONALLY_OWNED", "ACTIVE", "Redmi", "Xiaomi", "23129RN51X", "2026-11-29T06:12:00Z", ver="14", patch="2026-05-01", user="114477889901"),
        amapi(3, "DEVICE_OWNER", "COMPANY_OWNED", "ACTIVE", "google", "Google", "Pixel 9 Pro", "2026-11-30T05:00:00Z", user="114477889902"),
        amapi(4, "DEVICE_OWNER", "COMPANY_OWNED", "ACTIVE", "Fairphone", "Fairphone", "FP5", "2026-11-28T05:00:00Z", ver="14"),
        amapi(5, "PROFILE_OWNER", "OWNERSHIP_UNSPECIFIED", "ACTIVE", "HONOR", "HONOR", "BVL-N49", "2026-11-27T05:00:00Z", ver="14", patch="2026-07-01"),
        amapi(6, "PROFILE_OWNER", "PERSONALLY_OWNED", "DELETED", "Xiaomi", "Xiaomi", "25042PN24C", "2026-09-01T05:00:00Z"),
        amapi(7, "PROFILE_OWNER", "PERSONALLY_OWNED", "ACTIVE", "POCO", "Xiaomi", "2311DRK48G", "", ver="14", patch="", user="114477889903"),
    ]
    devices[6]["lastStatusReportTime"] = None
    with open(os.path.join(HERE, "android-enterprise.json"), "w") as f:
        json.dump({"devices": devices, "nextPageToken": ""}, f, indent=2)
        f.write("\n")


def jamf():
    results = [
        {
            "id": "12", "udid": "0E2B7C1D-6A5F-4E3B-9C8D-7F6E5D4C3B2A",
            "general": {"name": "Paula's MacBook Pro", "lastContactTime": "2026-11-30T10:00:00Z",
                        "remoteManagement": {"managed": True}, "supervised": True,
                        "enrolledViaAutomatedDeviceEnrollment": True},
            "hardware": {"make": "Apple", "model": "MacBook Pro (14-inch, 2024)",
                         "modelIdentifier": "Mac16,1", "serialNumber": "C02XK1ABCD12",
                         "appleSilicon": True, "macAddress": "3c:22:fb:00:00:01"},
            "operatingSystem": {"name": "macOS", "version": "15.1", "build": "24B83"},
            "userAndLocation": {"username": "paula.reis", "realname": "Paula Reis",
                                "email": "paula.reis@example.org", "phone": "+351 210 000 001",
                                "department": "Finance"},
        },
        {
            "id": "13", "udid": "9A8B7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C5D",
            "general": {"name": "RUI-MBA", "lastContactTime": "2026-11-29T15:30:00Z",
                        "remoteManagement": {"managed": False}, "supervised": False},
            "hardware": {"make": "Apple", "model": "MacBook Air (13-inch, M3, 2024)",
                         "modelIdentifier": "Mac15,12", "serialNumber": "FVFXK2ABCD34"},
            "operatingSystem": {"name": "macOS", "version": "14.7.1", "build": "23H222"},
            "userAndLocation": None,
        },
    ]
    d = os.path.join(HERE, "jamf")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "computers-inventory.json"), "w") as f:
        json.dump({"totalCount": 2, "results": results}, f, indent=2, ensure_ascii=False)
        f.write("\n")


def vehicles():
    rows = [
        ["VIN", "Make", "Model", "Model year", "Registration", "Cost centre", "Driver", "Ownership", "Last seen"],
        [vin("LXMAB12C" + "TA000101"), "Xiaomi", "SU7", "2026", "AA-01-BC", "CC-4100", "Sofia Carvalho", "Leased", "2026-11-30"],
        [vin("LXMAB12C" + "TA000102"), "XIAOMI", "SU7 Max", "2026", "AA-02-BC", "CC-4100", "Tiago Barros", "leased", "2026-11-29T18:00:00Z"],
        [vin("LXMAB12C" + "TA000103", good=False), "Xiaomi", "SU7", "2026", "AA-03-BC", "CC-4100", "Vera Moreira", "Leased", "2026-11-28"],
        [vin("LXMYU72E" + "VA000104"), "Xiaomi", "YU7", "2027", "AA-04-BC", "CC-4200", "", "company", "2026-11-30"],
        ["WVWZZZ1JZ3W386752", "Volkswagen", "ID.4", "2023", "AA-05-BC", "CC-4300", "Xavier Dias", "Owned", ""],
        [vin("LGXCE4CB" + "RA000106"), "BYD", "Seal", "2024", "AA-06-BC", "CC-4300", "", "Leased", "2026-11-01"],
    ]
    with open(os.path.join(HERE, "vehicles.csv"), "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def generic():
    # An asset register from a spreadsheet: semicolons, its own column names.
    rows = [
        ["Asset Tag", "Holder", "Holder e-mail", "Vendor", "Model", "Platform", "Owner type", "Last inventory"],
        ["A-1001", "Yara Gomes", "yara.gomes@example.org", "Dell Inc.", "Latitude 7450", "Windows 11", "Corporate", "2026-11-25"],
        ["A-1002", "Zeca Faria", "zeca.faria@example.org", "DELL", "Latitude 5550", "Windows 11", "corporate", "2026-11-24"],
        ["A-1003", "Alice Matos", "alice.matos@example.org", "Xiaomi", "Xiaomi 15S Pro", "Android", "BYOD", "2026-11-26"],
    ]
    with open(os.path.join(HERE, "asset-register.csv"), "w", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\n").writerows(rows)


def write_all():
    os.makedirs(HERE, exist_ok=True)
    intune()
    android()
    jamf()
    vehicles()
    generic()


def check():
    """Exit 1 when examples/inventory/ is not what this script writes."""
    global HERE
    committed = HERE
    with tempfile.TemporaryDirectory() as tmp:
        HERE = tmp
        write_all()
        HERE = committed
        bad = []
        for dirpath, _, files in os.walk(tmp):
            for name in files:
                fresh = os.path.join(dirpath, name)
                rel = os.path.relpath(fresh, tmp)
                old = os.path.join(committed, rel)
                if not os.path.exists(old) or not filecmp.cmp(fresh, old, shallow=False):
                    bad.append(rel)
    if bad:
        print("examples/inventory differs from generate-inventory.py: " + ", ".join(sorted(bad)))
        sys.exit(1)
    print("examples/inventory is reproducible")


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        check()
    else:
        write_all()
