#!/usr/bin/env bash
# benches/hash.sh: the evidence-hashing benchmark, strata against model_signing.
#
# Usage:
#   benches/hash.sh                      # full run: 4 x 1 GiB, 3 runs per tool
#   RUNS=5 benches/hash.sh               # more runs
#   FILES=2 SIZE_MIB=256 benches/hash.sh # smaller data set (its own directory)
#   ENFORCE=1 benches/hash.sh            # also exit 3 when a target is missed
#
# What it does, in order:
#   1. builds strata in release (`cargo build --release --locked`, honouring
#      CARGO_TARGET_DIR; skipped with STRATA=/path/to/strata);
#   2. creates, once, FILES files of SIZE_MIB MiB of deterministic
#      pseudo-random bytes (AES-128-CTR keystream from `openssl enc`, one fixed
#      key per file; a seeded Python generator when openssl is missing) and
#      reuses them while they have the right shape;
#   3. creates, once, a venv with model-signing==1.1.1 from PyPI;
#   4. warms the page cache, then runs `strata hash --format json DIR` and
#      model_signing's files-mode SHA-256 hashing (its Python API) RUNS times
#      each, interleaved, recording wall time and peak RSS with GNU time, and
#      checks every time that strata's digest equals model_signing's subject
#      digest (SHA-256 over the concatenated resource digests in manifest
#      order, the digest model_signing puts in the in-toto subject);
#   5. prints a table (best/median wall seconds, GB/s in decimal GB = 1e9
#      bytes, peak RSS, the ratio, strata's SHA backend, nproc, load) and writes
#      the same as JSON to HASH_BENCH_OUT;
#   6. correctness cross-checks, each timed once: the sharded mode on the big
#      data (`--shard-size N` against `use_shard_serialization(shard_size=N)`),
#      a directory of SMALL_FILES small deterministic files in both modes, a
#      single file (strata's plain SHA-256 against model_signing's subject,
#      which is SHA-256 of that digest), and a small tree with `.git*` names
#      below the root.
#
# Environment (paths relative to the repository root):
#   RUNS=3                 timed runs per tool on the big data set
#   FILES=4 SIZE_MIB=1024  shape of the big data set
#   HASH_BENCH_DATA        big data directory (default target/bench-data/hash-4g,
#                          or hash-<FILES>x<SIZE_MIB>MiB for another shape)
#   SMALL_FILES=10000      number of files in the small-file directory
#   HASH_BENCH_SMALL       its directory (default target/bench-data/small-<N>)
#   SHARD_SIZES            shard sizes to cross-check on the big data
#                          (default "1073741824 1000000000"; "" skips them)
#   SMALL_SHARD_SIZE=3000  shard size for the small-file shard cross-check
#   HASH_BENCH_VENV        venv for model-signing (default target/bench-venv)
#   HASH_BENCH_OUT         JSON results (default target/bench-results/hash.json)
#   STRATA                 use this strata binary instead of building one
#   ENFORCE=1              exit 3 when a performance target is missed
#   WAIT_IDLE=1            before each timed run on the big data wait for a
#                          quiet second (>= 95% idle), at most IDLE_TIMEOUT=300
#                          seconds (the cross-checks do not wait);
#                          every run also records the CPU that other processes
#                          used meanwhile ("foreign CPU"), and a run with more
#                          than 5% is repeated up to BUSY_RETRIES=3 times; the
#                          report warns when the kept runs still exceed 5%
#
# Targets (from the issue; reported, enforced only with ENFORCE=1): strata at
# least 2.8 GB/s on the median run, at least 1.35x model_signing's throughput
# (median wall time of whole processes), peak RSS below 64 MiB.
#
# Needs: cargo, python3 with venv and pip (PyPI reachable on first run), GNU
# time at /usr/bin/time (`apt-get install time`; installed automatically when
# running as root with apt-get), openssl (optional, for fast data generation).
#
# Exit status: 0 all digests agree; 1 a digest cross-check failed (figures are
# still printed and written); 2 setup problem; 3 a target missed with ENFORCE=1.

set -euo pipefail

BENCH=hash.sh
# shellcheck source=benches/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS=${RUNS:-3}
FILES=${FILES:-4}
SIZE_MIB=${SIZE_MIB:-1024}
SMALL_FILES=${SMALL_FILES:-10000}
SHARD_SIZES=${SHARD_SIZES-1073741824 1000000000}
SMALL_SHARD_SIZE=${SMALL_SHARD_SIZE:-3000}
if [[ $FILES == 4 && $SIZE_MIB == 1024 ]]; then
    default_data=target/bench-data/hash-4g
else
    default_data=target/bench-data/hash-${FILES}x${SIZE_MIB}MiB
fi
DATA=${HASH_BENCH_DATA:-$default_data}
SMALL=${HASH_BENCH_SMALL:-target/bench-data/small-$SMALL_FILES}
NESTED=target/bench-data/nested-git
VENV=${HASH_BENCH_VENV:-target/bench-venv}
OUT=${HASH_BENCH_OUT:-target/bench-results/hash.json}

check_posint RUNS FILES SIZE_MIB SMALL_FILES SMALL_SHARD_SIZE
for s in $SHARD_SIZES; do
    [[ $s =~ ^[1-9][0-9]*$ ]] || die "SHARD_SIZES entries must be positive integers, got '$s'"
done

# --- tools and 1. build strata ---------------------------------------------------

ensure_gnu_time
build_strata

# --- 2. data ---------------------------------------------------------------------

ensure_data "$DATA" "$FILES" "$SIZE_MIB"

# SMALL_FILES files: a few names that test the path-component order (a file
# `tok.json` beside a directory `tok/`, a file `d001.txt` beside `d001/`, hidden
# directories, non-ASCII names, empty files), then files spread over 100
# directories with sizes 0..8191 bytes from a seeded generator.
small_stamp="v1 files=$SMALL_FILES"
if [[ -f $SMALL.stamp && $(<"$SMALL.stamp") == "$small_stamp" ]] \
    && [[ $(find "$SMALL" -type f | wc -l) == "$SMALL_FILES" ]]; then
    say "reusing $SMALL ($SMALL_FILES small files)"
else
    say "creating $SMALL ($SMALL_FILES small files)"
    reset_dir "$SMALL"
    : >"$SMALL.stamp"
    python3 - "$SMALL" "$SMALL_FILES" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
edge = ["tok.json", "tok/vocab.txt", "tok/merges.txt", "d001.txt", "a-b", "a.b",
        "a/b", "a/b.c/d", "Z.txt", "z.txt", "\u00e9t\u00e9.txt", "\uff21.txt",
        "\U0001f600.bin", ".hidden/cfg", "empty/zero.bin", "deep/1/2/3/4/5/6/leaf"]
names = edge[: min(n, len(edge))]
i = 0
while len(names) < n:
    names.append(f"d{i % 100:03d}/f{i:05d}.bin")
    i += 1
for k, name in enumerate(names):
    rng = random.Random(0x5EED + k)
    size = 0 if (k % 97 == 0 or name.startswith("empty/")) else rng.randrange(8192)
    path = os.path.join(root, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(rng.randbytes(size))
PY
    echo "$small_stamp" >"$SMALL.stamp"
fi

# `.git*` names at the root and below it. model_signing ignores `.git`,
# `.gitattributes`, `.github` and `.gitignore` only at the model root.
nested_stamp="v1"
if ! [[ -f $NESTED.stamp && $(<"$NESTED.stamp") == "$nested_stamp" ]]; then
    reset_dir "$NESTED"
    : >"$NESTED.stamp"
    mkdir -p "$NESTED/.git" "$NESTED/sub/.git" "$NESTED/sub/.github/workflows"
    printf 'weights\n' >"$NESTED/model.bin"
    printf 'ref: refs/heads/main\n' >"$NESTED/.git/HEAD"
    printf '*.tmp\n' >"$NESTED/.gitignore"
    printf '*.bin filter=lfs\n' >"$NESTED/.gitattributes"
    printf '*.log\n' >"$NESTED/sub/.gitignore"
    printf '*.pt binary\n' >"$NESTED/sub/.gitattributes"
    printf '[core]\n' >"$NESTED/sub/.git/config"
    printf 'on: push\n' >"$NESTED/sub/.github/workflows/ci.yml"
    printf 'tokens\n' >"$NESTED/sub/vocab.txt"
    echo "$nested_stamp" >"$NESTED.stamp"
fi

# --- 3. model_signing venv -----------------------------------------------------------

ensure_venv "$VENV"

# model_signing's side: hash PATH in files or shard mode with SHA-256 through
# its public hashing API, then compute the subject digest twice: directly
# (SHA-256 over the raw resource digests in manifest order) and through the
# in-toto payload model_signing signs; they must agree.
# Prints JSON: subject, resources, import_s, hash_s [, list of [name, hex]].
read -r -d '' MS_CODE <<'PY' || true
import hashlib, json, sys, time
t0 = time.perf_counter()
from model_signing import hashing
from model_signing._signing import signing
t1 = time.perf_counter()
mode, shard, path, want_list = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
cfg = hashing.Config()
if mode == "files":
    cfg.use_file_serialization(hashing_algorithm="sha256")
else:
    cfg.use_shard_serialization(hashing_algorithm="sha256", shard_size=shard)
manifest = cfg.hash(path)
t2 = time.perf_counter()
descs = list(manifest.resource_descriptors())
h = hashlib.sha256()
for d in descs:
    h.update(d.digest.digest_value)
subject = h.hexdigest()
signed = signing.Payload(manifest).statement.pb.subject[0].digest["sha256"]
if signed != subject:
    sys.exit(f"model_signing payload subject {signed} != computed {subject}")
out = {"subject": subject, "resources": len(descs), "import_s": t1 - t0, "hash_s": t2 - t1}
if want_list:
    out["list"] = [[d.identifier, d.digest.digest_hex] for d in descs]
json.dump(out, sys.stdout)
PY

# --- running and recording ---------------------------------------------------------

bench_workdir
FAILURES=0

# compare CASE STRATA_JSON MS_JSON MODE: check digests; on mismatch explain how.
# For a single file in files mode strata prints the file's plain SHA-256 (by
# design), while model_signing's subject is SHA-256 over that one raw digest;
# that relation is what is checked then.
CHECKS=$WORK/checks.tsv
: >"$CHECKS"
compare() {
    local case=$1 sj=$2 mj=$3 mode=$4 sd md
    sd=$(jget "$sj" 'd["results"][0]["sha256"]')
    md=$(jget "$mj" 'd["subject"]')
    if [[ $mode == files && $(jget "$sj" 'd["results"][0]["kind"]') == file ]]; then
        sd=$("$PY" -c 'import hashlib,sys; print(hashlib.sha256(bytes.fromhex(sys.argv[1])).hexdigest())' "$sd")
    fi
    if [[ $sd == "$md" ]]; then
        printf '%s\tOK\t%s\n' "$case" "$sd" >>"$CHECKS"
        return 0
    fi
    FAILURES=$((FAILURES + 1))
    printf '%s\tMISMATCH\tstrata %s model_signing %s\n' "$case" "$sd" "$md" >>"$CHECKS"
    echo "hash.sh: DIGEST MISMATCH in $case: strata $sd, model_signing $md" >&2
    if jget "$sj" '"resources" in d["results"][0]' | grep -q True && jget "$mj" '"list" in d' | grep -q True; then
        "$PY" - "$sj" "$mj" >&2 <<'PY'
import json, sys
s = [(r["name"], r["sha256"]) for r in json.load(open(sys.argv[1]))["results"][0]["resources"]]
m = [tuple(x) for x in json.load(open(sys.argv[2]))["list"]]
print(f"  strata has {len(s)} resources, model_signing {len(m)}")
sn, mn = dict(s), dict(m)
for name in sorted(set(sn) - set(mn)):
    print(f"  only strata:        {name}")
for name in sorted(set(mn) - set(sn)):
    print(f"  only model_signing: {name}")
for name in sorted(set(sn) & set(mn)):
    if sn[name] != mn[name]:
        print(f"  digest differs:     {name}")
if set(s) == set(m) and s != m:
    i = next(i for i, (a, b) in enumerate(zip(s, m)) if a != b)
    print(f"  same resources, different order from position {i}: strata {s[i][0]!r}, model_signing {m[i][0]!r}")
PY
    fi
    return 0
}

# one_pair CASE PATH MODE SHARD LIST RUN: time one run of each tool and compare.
one_pair() {
    local case=$1 path=$2 mode=$3 shard=$4 list=$5 run=$6
    local -a sargs=(hash --format json)
    [[ $mode == shards ]] && sargs+=(--shard-size "$shard")
    [[ $list == 1 ]] && sargs+=(--list)
    timed "$WORK/s.json" "$STRATA" "${sargs[@]}" "$path"
    record "$case" strata "$run" "$WALL_NS" "$RSS_KIB" "$(jget "$WORK/s.json" 'd["results"][0]["sha256"]')" "" "$FOREIGN_PCT"
    timed "$WORK/m.json" "$PY" -c "$MS_CODE" "$mode" "$shard" "$path" "$list"
    record "$case" model_signing "$run" "$WALL_NS" "$RSS_KIB" "$(jget "$WORK/m.json" 'd["subject"]')" \
        "$(jget "$WORK/m.json" 'd["hash_s"]')" "$FOREIGN_PCT"
    compare "$case run $run" "$WORK/s.json" "$WORK/m.json" "$mode"
}

# --- 4. the benchmark --------------------------------------------------------------

BACKEND=$(strata_backend "$NESTED/model.bin")
LOAD_BEFORE=$(uptime)
say "load before: $LOAD_BEFORE"
warm_cache "$DATA"/*

for ((r = 1; r <= RUNS; r++)); do
    say "run $r/$RUNS: strata, then model_signing, files mode"
    one_pair big "$DATA" files 0 0 "$r"
done
LOAD_AFTER=$(uptime)

# --- 6. correctness cross-checks (timed once each) -------------------------------------

# Their timings are secondary: do not wait for a quiet machine for them.
WAIT_IDLE=0

for s in $SHARD_SIZES; do
    say "shard cross-check on $DATA, shard size $s"
    one_pair "big-shards-$s" "$DATA" shards "$s" 1 1
done
find "$SMALL" "$NESTED" -type f -exec cat {} + >/dev/null
say "small-file cross-check: $SMALL, files mode"
one_pair small "$SMALL" files 0 1 1
say "small-file cross-check: $SMALL, shard size $SMALL_SHARD_SIZE"
one_pair "small-shards-$SMALL_SHARD_SIZE" "$SMALL" shards "$SMALL_SHARD_SIZE" 1 1
say "single-file cross-check: $DATA/part-0.bin, files mode and shard size 1000000000"
one_pair single-file "$DATA/part-0.bin" files 0 1 1
one_pair single-file-shards-1000000000 "$DATA/part-0.bin" shards 1000000000 1 1
say "nested .git names cross-check: $NESTED"
one_pair nested-git "$NESTED" files 0 1 1

# --- 5. report ---------------------------------------------------------------------

mkdir -p "$(dirname "$OUT")"
status=0
BYTES=$((FILES * SIZE_MIB * 1048576)) RUNS=$RUNS FILES=$FILES SIZE_MIB=$SIZE_MIB \
    BACKEND=$BACKEND NPROC=$NPROC LOAD_BEFORE=$LOAD_BEFORE LOAD_AFTER=$LOAD_AFTER \
    CACHED=$CACHED CPU=$(cpu_model) \
    STRATA_VERSION=$("$STRATA" --version 2>/dev/null || echo unknown) \
    DATA=$DATA SMALL=$SMALL ENFORCE=${ENFORCE:-0} \
    "$PY" - "$RECORDS" "$CHECKS" "$OUT" <<'PY' || status=$?
import json, os, statistics, sys
records, checks, out = sys.argv[1:4]
env = os.environ
nbytes = int(env["BYTES"])
rows = [line.rstrip("\n").split("\t") for line in open(records)]
def runs(case, tool):
    return [r for r in rows if r[0] == case and r[1] == tool]
def summary(case, tool, size=None):
    rs = runs(case, tool)
    walls = sorted(int(r[3]) / 1e9 for r in rs)
    inproc = [float(r[6]) for r in rs if r[6]]
    s = {
        "runs": len(rs),
        "wall_s": [int(r[3]) / 1e9 for r in rs],
        "best_s": walls[0],
        "median_s": statistics.median(walls),
        "peak_rss_mib": max(int(r[4]) for r in rs) / 1024,
        "foreign_cpu_pct_max": max(float(r[7]) for r in rs),
    }
    if size:
        s["gbps_best"] = size / 1e9 / s["best_s"]
        s["gbps_median"] = size / 1e9 / s["median_s"]
    if inproc:
        s["in_process_hash_median_s"] = statistics.median(inproc)
        if size:
            s["in_process_gbps_median"] = size / 1e9 / s["in_process_hash_median_s"]
    return s
st, ms = summary("big", "strata", nbytes), summary("big", "model_signing", nbytes)
ratio = st["gbps_median"] / ms["gbps_median"]
ratio_best = st["gbps_best"] / ms["gbps_best"]
targets = {
    "strata_gbps_median_ge_2.8": st["gbps_median"] >= 2.8,
    "ratio_median_ge_1.35": ratio >= 1.35,
    "strata_peak_rss_lt_64mib": st["peak_rss_mib"] < 64,
}
check_rows = [line.rstrip("\n").split("\t") for line in open(checks)]
other = {}
for case in sorted({r[0] for r in rows if r[0] != "big"}):
    other[case] = {tool: summary(case, tool) for tool in ("strata", "model_signing")}
doc = {
    "benchmark": "hash",
    "data": {"path": env["DATA"], "files": int(env["FILES"]), "size_mib": int(env["SIZE_MIB"]),
             "bytes": nbytes, "page_cache_resident_pct": float(env["CACHED"]) if env["CACHED"] else None},
    "units": {"gbps": "decimal GB (1e9 bytes) per second of process wall time"},
    "strata": dict(st, backend=env["BACKEND"], version=env["STRATA_VERSION"]),
    "model_signing": dict(ms, version="1.1.1", mode="files, sha256, Python API"),
    "ratio_strata_over_model_signing": {"median": ratio, "best": ratio_best},
    "targets": targets,
    "machine": {"nproc": int(env["NPROC"]), "cpu": env["CPU"],
                "load_before": env["LOAD_BEFORE"], "load_after": env["LOAD_AFTER"]},
    "cross_checks": [{"case": c[0], "result": c[1], "detail": c[2]} for c in check_rows],
    "other_cases": other,
}
with open(out, "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")

def mark(ok):
    return "ok" if ok else "MISSED"
gb = nbytes / 1e9
print()
print(f"hashing {env['FILES']} x {env['SIZE_MIB']} MiB = {gb:.3f} GB, warm page cache"
      + (f" ({env['CACHED']}% resident)" if env["CACHED"] else "")
      + f", {env['RUNS']} runs each; GB = 1e9 bytes, times are whole-process wall time")
print(f"{'tool':<15}{'best s':>9}{'median s':>10}{'GB/s best':>11}{'GB/s med':>10}{'peak RSS MiB':>14}")
for name, s in (("strata", st), ("model_signing", ms)):
    print(f"{name:<15}{s['best_s']:>9.3f}{s['median_s']:>10.3f}{s['gbps_best']:>11.2f}"
          f"{s['gbps_median']:>10.2f}{s['peak_rss_mib']:>14.1f}")
print(f"model_signing in-process hashing only (no interpreter start/import): "
      f"median {ms['in_process_hash_median_s']:.3f} s = {ms['in_process_gbps_median']:.2f} GB/s")
print(f"ratio strata/model_signing: {ratio:.2f}x on median, {ratio_best:.2f}x on best")
print(f"targets: >= 2.8 GB/s {mark(targets['strata_gbps_median_ge_2.8'])}; "
      f">= 1.35x {mark(targets['ratio_median_ge_1.35'])}; "
      f"< 64 MiB {mark(targets['strata_peak_rss_lt_64mib'])}")
print(f"strata SHA backend: {env['BACKEND']}; nproc {env['NPROC']}; cpu {env['CPU']}")
foreign = max(st["foreign_cpu_pct_max"], ms["foreign_cpu_pct_max"])
print(f"foreign CPU during the timed runs (other processes, % of all cores): max {foreign:.1f}%"
      + ("  WARNING: machine was busy, figures are unreliable" if foreign > 5 else ""))
print(f"load before: {env['LOAD_BEFORE'].strip()}")
print(f"load after:  {env['LOAD_AFTER'].strip()}")
print()
print(f"{'cross-check (one timed run each)':<34}{'strata s':>10}{'MiB':>7}{'model_signing s':>17}{'MiB':>7}  digest")
for case, tools in other.items():
    res = [c for c in check_rows if c[0].startswith(case + " ")]
    verdict = "MISMATCH" if any(c[1] != "OK" for c in res) else "agree"
    print(f"{case:<34}{tools['strata']['best_s']:>10.3f}{tools['strata']['peak_rss_mib']:>7.1f}"
          f"{tools['model_signing']['best_s']:>17.3f}{tools['model_signing']['peak_rss_mib']:>7.1f}  {verdict}")
big_checks = [c for c in check_rows if c[0].startswith("big run")]
print(f"{'big (every timed run)':<34}{'':>41}  "
      + ("agree" if all(c[1] == "OK" for c in big_checks) else "MISMATCH")
      + (f" {big_checks[0][2][:16]}..." if big_checks and big_checks[0][1] == "OK" else ""))
print(f"\nresults written to {out}")
if env["ENFORCE"] == "1" and not all(targets.values()):
    sys.exit(3)
PY

if ((FAILURES > 0)); then
    echo "hash.sh: $FAILURES digest cross-check(s) FAILED; see above" >&2
    exit 1
fi
exit "$status"
