#!/usr/bin/env bash
# Benchmark `strata inventory reconcile` (issue #15): 1,000,000 Intune
# records (Microsoft Graph managedDevice pages of 1,000 devices) plus
# 100,000 vehicles (CSV keyed by VIN) against a catalog of 500 entries in at
# most 10 s on 2 cores with a peak RSS of at most 512 MiB, and linear:
# t(large) <= 1.2 x (large/small) x t(small).
#
# Usage: benches/inventory.sh
#
# benches/gen-inventory.py writes the data once per size under OUT (reused
# while the generator, the sizes and the seed are unchanged): a fleet whose
# catalog has 500 model entries, the Graph pages and the vehicle CSV, with
# every personal field Graph returns. Each size scales both sources alike:
# SMALL Intune records with SMALL/10 vehicles, LARGE with LARGE/10. One
# checked run per size asserts that strata counted every record of both
# sources, used keyed pseudonyms and wrote no personal identifier from the
# inputs (e-mail, device names, serials, IMEI, MACs, phone numbers, Entra
# ids). Then RUNS timed runs per size, interleaved, of
#   strata inventory reconcile --fleet F --key-file K --intune DIR \
#       --vehicles CSV --now 2026-12-01 --format json -o report.json
# each under GNU time (wall time, user + system CPU, peak RSS) after waiting
# for a quiet second; a run with more than 5% foreign CPU (what other
# processes used meanwhile) is repeated (benches/lib.sh). Figures are
# medians; the load average before and after is printed.
#
# Exit status: 0 targets met, 3 a target missed, 1 a checked run wrong,
# 2 a setup failure.
#
# Knobs (environment):
#   SMALL=100000 LARGE=1000000   Intune records of the two sizes (vehicles:
#                                a tenth of that each)
#   RUNS=3                       timed runs per size
#   OUT=target/bench-inventory   data and results (git ignores target/)
#   STRATA=BIN                   time this binary instead of a release build
#   MAX_SECONDS=10 MAX_RSS_MIB=512 MAX_RATIO=1.2   the targets
#   WAIT_IDLE=1 IDLE_TIMEOUT=300 BUSY_RETRIES=3    see benches/lib.sh
set -euo pipefail

BENCH=inventory.sh
# shellcheck source=benches/lib.sh
source "$(dirname "$0")/lib.sh"

SMALL=${SMALL:-100000}
LARGE=${LARGE:-1000000}
RUNS=${RUNS:-3}
OUT=${OUT:-target/bench-inventory}
MAX_SECONDS=${MAX_SECONDS:-10}
MAX_RSS_MIB=${MAX_RSS_MIB:-512}
MAX_RATIO=${MAX_RATIO:-1.2}
NOW=2026-12-01
PY=${PYTHON:-python3}
check_posint SMALL LARGE RUNS MAX_SECONDS MAX_RSS_MIB

ensure_gnu_time
build_strata
bench_workdir
mkdir -p "$OUT/results"
RESULTS=$(realpath "$OUT/results")

# A fixed pseudonym key (bench data only).
KEY=$OUT/bench-pseudonym.key
printf 'strata-bench-inventory-key-0015\n' >"$KEY"

# --- data ----------------------------------------------------------------------

GEN_SUM=$(sha256sum benches/gen-inventory.py | cut -c1-16)
for n in $SMALL $LARGE; do
    dir=$OUT/$n
    stamp="v1 intune=$n vehicles=$((n / 10)) catalog=500 gen=$GEN_SUM"
    if [[ -f $dir.stamp && $(<"$dir.stamp") == "$stamp" && -d $dir/intune ]]; then
        say "reusing $dir"
        continue
    fi
    reset_dir "$dir"
    : >"$dir.stamp"
    t0=$SECONDS
    say "generating $n Intune records and $((n / 10)) vehicles in $dir"
    "$PY" benches/gen-inventory.py --out "$dir" --intune "$n" --vehicles $((n / 10)) --catalog 500
    echo "$stamp" >"$dir.stamp"
    say "generated in $((SECONDS - t0)) s ($(du -sh "$dir" | cut -f1))"
done

args_for() {
    local d=$OUT/$1
    ARGS=(inventory reconcile --fleet "$d/fleet" --key-file "$KEY" --intune "$d/intune"
        --vehicles "$d/vehicles.csv" --now "$NOW" --format json -o "$RESULTS/report-$1.json")
}

# --- checked run ----------------------------------------------------------------

for n in $SMALL $LARGE; do
    args_for "$n"
    "$STRATA" "${ARGS[@]}" 2>"$RESULTS/check-$n.err" \
        || { cat "$RESULTS/check-$n.err" >&2; die "the checked run on $n records failed"; }
    "$PY" - "$RESULTS/report-$n.json" "$OUT/$n" "$n" <<'EOF' || exit 1
import json, os, re, sys
report, data, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
r = json.load(open(report))
graph, vin = r["sources"]
bad = []
if graph["records"] != n or vin["records"] != n // 10:
    bad.append(f"read {graph['records']} + {vin['records']} records, expected {n} + {n // 10}")
if r["pseudonyms"] != "hmac-sha256":
    bad.append(f"pseudonyms {r['pseudonyms']}")
# Personal identifiers of the first page and of the vehicle list.
page = json.load(open(os.path.join(data, "intune", "page-00001.json")))
ids = set()
for d in page["value"]:
    for k in ("id", "userId", "deviceName", "serialNumber", "imei", "userPrincipalName",
              "wiFiMacAddress", "phoneNumber"):
        if d.get(k):
            ids.add(d[k])
for line in open(os.path.join(data, "vehicles.csv")).readlines()[1:1001]:
    vin_, _, _, _, reg, _, driver, *_ = line.split(",")
    ids.update(x for x in (vin_, reg, driver) if x)
# Every distinct string, key and number of the report, once: an identifier
# inside any of them is a leak (searching the whole 30 MB text once per
# identifier would take minutes).
seen = set()
def walk(v):
    if isinstance(v, dict):
        for k, x in v.items():
            seen.add(k)
            walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)
    elif v is not None:
        seen.add(str(v))
walk(r)
blob = "\n".join(sorted(seen))
leaked = sorted(i for i in ids if i in blob)
if leaked:
    bad.append(f"{len(leaked)} personal identifiers in the report, e.g. {leaked[0]!r}")
t = r["totals"]
print(f"{n:>8} records: {t['active']} active, {t['approved']}, not approved {sum(t['unapproved'].values()) + sum(t['unknown_model'].values()) + sum(t['unresolved'].values())}, "
      f"{t['stale']} stale, {t['duplicates']} duplicates; {len(ids)} identifiers checked absent")
if bad:
    print("inventory.sh: " + "; ".join(bad), file=sys.stderr)
    sys.exit(1)
EOF
done

# --- timed runs -----------------------------------------------------------------

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
warm_cache "$OUT/$SMALL"/intune/*.json "$OUT/$LARGE"/intune/*.json
for ((run = 0; run < RUNS; run++)); do
    for n in $SMALL $LARGE; do
        args_for "$n"
        timed "$RESULTS/run.out" "$STRATA" "${ARGS[@]}"
        say "$n records: $(awk -v w="$WALL_NS" 'BEGIN { printf "%.2f", w / 1e9 }') s, ${RSS_KIB} KiB, foreign CPU ${FOREIGN_PCT}%"
        record "reconcile" strata "$n" "$WALL_NS" "$RSS_KIB" - - "$FOREIGN_PCT"
    done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ---------------------------------------------------------------------

SMALL=$SMALL LARGE=$LARGE MAX_SECONDS=$MAX_SECONDS MAX_RSS_MIB=$MAX_RSS_MIB MAX_RATIO=$MAX_RATIO \
    LOAD_BEFORE=$LOAD_BEFORE LOAD_AFTER=$LOAD_AFTER NPROC=$NPROC CPU="$(cpu_model)" \
    VERSION="$("$STRATA" --version)" "$PY" - "$RECORDS" "$RESULTS/inventory.json" <<'EOF'
import json, os, statistics, sys
env = os.environ
rows = [l.split("\t") for l in open(sys.argv[1]) if l.strip()]
small, large = int(env["SMALL"]), int(env["LARGE"])
def med(n, col):
    return statistics.median(float(r[col]) for r in rows if int(r[2]) == n)
wall = {n: med(n, 3) / 1e9 for n in (small, large)}
rss = {n: max(float(r[4]) for r in rows if int(r[2]) == n) / 1024 for n in (small, large)}
foreign = {n: max(float(r[7]) for r in rows if int(r[2]) == n) for n in (small, large)}
ratio = wall[large] / (large / small * wall[small])
targets = {
    f"t({large}) <= {env['MAX_SECONDS']} s": wall[large] <= float(env["MAX_SECONDS"]),
    f"peak RSS <= {env['MAX_RSS_MIB']} MiB": rss[large] <= float(env["MAX_RSS_MIB"]),
    f"t({large}) / ({large // small} x t({small})) <= {env['MAX_RATIO']}": ratio <= float(env["MAX_RATIO"]),
}
print(f"\n{env['VERSION']} on {env['NPROC']} cores ({env['CPU']}); "
      f"load average before {env['LOAD_BEFORE']}, after {env['LOAD_AFTER']}")
print(f"{'Intune + vehicles':>22}  {'median wall':>11}  {'records/s':>10}  {'peak RSS':>9}  {'max foreign CPU':>15}")
for n in (small, large):
    print(f"{n:>12,} + {n // 10:>7,}  {wall[n]:>9.2f} s  {(n + n // 10) / wall[n]:>10,.0f}  "
          f"{rss[n]:>5.0f} MiB  {foreign[n]:>14.1f}%")
print(f"linearity: t({large}) / ({large // small} x t({small})) = {ratio:.2f}")
for name, ok in targets.items():
    print(f"  {'met ' if ok else 'MISSED'}  {name}")
json.dump({"version": env["VERSION"], "nproc": int(env["NPROC"]), "cpu": env["CPU"],
           "load_before": env["LOAD_BEFORE"], "load_after": env["LOAD_AFTER"],
           "wall_s": {str(k): v for k, v in wall.items()},
           "peak_rss_mib": {str(k): v for k, v in rss.items()},
           "max_foreign_cpu_pct": {str(k): v for k, v in foreign.items()},
           "ratio": ratio, "targets": targets}, open(sys.argv[2], "w"), indent=2)
sys.exit(0 if all(targets.values()) else 3)
EOF
