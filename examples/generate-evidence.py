#!/usr/bin/env python3
"""Generate the example fleet's synthetic evidence files, deterministically.

The files stand in for firmware images, OS images, model weights and vendor
SBOMs. Their bytes are derived from SHA-256 counters over a fixed seed, so every
run writes identical files and the attestations in ../attestations/ stay
byte-identical. Real public samples (Android key attestation chains, AVB
vbmeta, TCG platform certificates, Uptane metadata) are NOT generated: they are
copied verbatim under evidence/real/ with their licences (see SOURCES.md there).

Usage: python3 examples/generate-evidence.py [--check]
  --check   regenerate into a temporary directory and fail if anything differs
"""
import hashlib
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def blob(label: str, size: int) -> bytes:
    """Deterministic pseudo-random bytes for `label`."""
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"strata-example:{label}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:size])


def sbom(name, version, supplier, components):
    """A small vendor CycloneDX 1.6 SBOM (JSON)."""
    comps = [
        {
            "type": t,
            "bom-ref": f"{n}@{v}",
            "name": n,
            "version": v,
            "supplier": {"name": s},
        }
        for (t, n, v, s) in components
    ]
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:" + str(uuid_from(name + version)),
        "version": 1,
        "metadata": {
            "component": {
                "type": "operating-system",
                "bom-ref": "root",
                "name": name,
                "version": version,
                "supplier": {"name": supplier},
            },
            "supplier": {"name": supplier},
        },
        "components": comps,
        "dependencies": [{"ref": "root", "dependsOn": [c["bom-ref"] for c in comps]}]
        + [{"ref": c["bom-ref"], "dependsOn": []} for c in comps],
    }
    return (json.dumps(doc, indent=2, sort_keys=False) + "\n").encode()


def uuid_from(text):
    h = bytearray(hashlib.sha256(text.encode()).digest()[:16])
    h[6] = (h[6] & 0x0F) | 0x50
    h[8] = (h[8] & 0x3F) | 0x80
    x = h.hex()
    return f"{x[0:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:32]}"


FILES = {
    # Xiaomi 15S Pro (China build): XRing O1 + HyperOS + MiMo/miclaw + Xiaomi Cloud
    "evidence/xiaomi-15s-pro-cn/xring-o1-npu-firmware.bin": lambda: blob("xring-npu", 48 * 1024),
    "evidence/xiaomi-15s-pro-cn/xring-o1-bootloader.img": lambda: blob("xring-boot", 32 * 1024),
    "evidence/xiaomi-15s-pro-cn/hyperos-2.0.201-system.img": lambda: blob("hyperos-system", 96 * 1024),
    "evidence/xiaomi-15s-pro-cn/hyperos-2.0.201.sbom.cdx.json": lambda: sbom(
        "HyperOS", "2.0.201", "Xiaomi Communications Co., Ltd.",
        [("operating-system", "AOSP", "15", "Google LLC"),
         ("application", "Vela", "4.0", "Xiaomi Communications Co., Ltd."),
         ("library", "linux-kernel", "6.6", "The Linux Foundation")]),
    "evidence/xiaomi-15s-pro-cn/mimo/config.json": lambda: (json.dumps(
        {"architectures": ["MiMoForCausalLM"], "num_hidden_layers": 70, "num_experts": 384,
         "num_experts_per_tok": 8, "note": "synthetic stand-in for the published config"}, indent=2) + "\n").encode(),
    "evidence/xiaomi-15s-pro-cn/mimo/model-00001-of-00002.safetensors": lambda: blob("mimo-1", 64 * 1024),
    "evidence/xiaomi-15s-pro-cn/mimo/model-00002-of-00002.safetensors": lambda: blob("mimo-2", 40 * 1024),
    "evidence/xiaomi-15s-pro-cn/mimo/tokenizer.json": lambda: b'{"version": "1.0", "synthetic": true}\n',
    "evidence/xiaomi-15s-pro-cn/mimo/tokenizer/vocab.txt": lambda: b"".join(f"tok{i}\n".encode() for i in range(512)),
    # Xiaomi SU7: Qualcomm + NVIDIA silicon, HyperOS cockpit, Xiaomi assistant, ADAS/OTA
    "evidence/xiaomi-su7/snapdragon-8295-cockpit-firmware.bin": lambda: blob("su7-8295", 40 * 1024),
    "evidence/xiaomi-su7/drive-orin-adas-firmware.bin": lambda: blob("su7-orin", 40 * 1024),
    "evidence/xiaomi-su7/hyperos-cockpit-1.5.img": lambda: blob("su7-hyperos", 64 * 1024),
    "evidence/xiaomi-su7/xiaomi-pilot-adas-2.1.bin": lambda: blob("su7-adas", 56 * 1024),
    "evidence/xiaomi-su7/telematics-tcu-1.8.bin": lambda: blob("su7-tcu", 24 * 1024),
    # Pixel 9 Pro: Tensor G4 + Android + Gemini Nano + Google cloud
    "evidence/pixel-9-pro/tensor-g4-tpu-firmware.bin": lambda: blob("tensor-g4", 48 * 1024),
    "evidence/pixel-9-pro/android-16-system.img": lambda: blob("pixel-android", 96 * 1024),
    "evidence/pixel-9-pro/gemini-nano/weights.bin": lambda: blob("gemini-nano", 80 * 1024),
    "evidence/pixel-9-pro/gemini-nano/manifest.json": lambda: b'{"model": "gemini-nano", "synthetic": true}\n',
    # Mixed-vendor phone
    "evidence/mixed-phone/qcm6490-firmware.bin": lambda: blob("qcm6490", 40 * 1024),
    "evidence/mixed-phone/eos-2.6-system.img": lambda: blob("eos", 80 * 1024),
    "evidence/mixed-phone/eos-2.6.sbom.cdx.json": lambda: sbom(
        "/e/OS", "2.6", "Murena SAS",
        [("operating-system", "LineageOS", "21", "LineageOS"),
         ("application", "microG", "0.3", "microG")]),
    # Laptop: Intel + Microsoft + OpenAI + AWS
    "evidence/laptop/intel-me-firmware.bin": lambda: blob("intel-me", 40 * 1024),
    "evidence/laptop/windows-11-24h2-install.wim": lambda: blob("win11", 96 * 1024),
}


def generate(root: str) -> None:
    for rel, make in sorted(FILES.items()):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = make()
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)


def main() -> int:
    if "--check" in sys.argv[1:]:
        with tempfile.TemporaryDirectory() as tmp:
            generate(tmp)
            bad = []
            for rel in sorted(FILES):
                with open(os.path.join(tmp, rel), "rb") as a:
                    want = a.read()
                try:
                    with open(os.path.join(HERE, rel), "rb") as b:
                        have = b.read()
                except FileNotFoundError:
                    have = None
                if want != have:
                    bad.append(rel)
            for rel in bad:
                print(f"differs: examples/{rel}", file=sys.stderr)
            return 1 if bad else 0
    generate(HERE)
    print(f"wrote {len(FILES)} evidence files under {HERE}/evidence", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
