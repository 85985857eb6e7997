#!/usr/bin/env bash
# Benchmark `strata gate` on generated fleets (issue #6): 10,000 devices x 5
# layers with signed attestations must gate in at most 10 s on 2 cores, and
# the time must grow linearly: t(10k) <= 1.2 x 10 x t(1k).
#
# Usage: benches/gate.sh
#
# For each fleet size, benches/gen-fleet.py generates a fleet under OUT (real
# BOMs and real Sigstore bundles made by `strata assemble --sign` with the
# demo key; this setup is not measured and is reused while gen-fleet.py, the
# size and the strata version are unchanged). One checked run then asserts
# that the gate really judged the fleet (exit 1, every device x 7 rules,
# signatures verified: only the few broken ones flagged). Then the timed
# runs, with hyperfine when installed (apt-get install hyperfine), else a
# loop over GNU time and the median:
#   human  strata gate FLEET --now DATE -o gate.txt --sarif gate.sarif
#   json   strata gate FLEET --now DATE --format json -o gate.json --junit gate.xml
# and one run of each under /usr/bin/time for the peak RSS.
#
# Exit status: 0 when both targets are met by both commands, 3 when one is
# missed, 1 when a checked run is wrong, 2 on a setup failure.
#
# Knobs (environment):
#   SIZES="1000 10000"  fleet sizes; the first is the base of the linearity
#                       ratio, the last is held to MAX_SECONDS
#   RUNS=5 WARMUP=1     timed runs per command and size
#   MAX_SECONDS=10      target for the largest fleet (median wall time)
#   MAX_RATIO=1.2       target for t(last) / ((last/first) x t(first))
#   OUT=target/bench-gate   where fleets and outputs go (git ignores target/)
#   REGEN=1             regenerate the fleets even if up to date
#   WAIT_IDLE=1         before each timed batch wait (at most IDLE_TIMEOUT=120
#                       s) for a second in which the machine is >= 95% idle;
#                       the CPU other processes used during a batch is
#                       reported as "foreign CPU"
# Honours CARGO_TARGET_DIR.
set -euo pipefail

cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-target}
SIZES=${SIZES:-"1000 10000"}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
MAX_SECONDS=${MAX_SECONDS:-10}
MAX_RATIO=${MAX_RATIO:-1.2}
OUT=${OUT:-target/bench-gate}
REGEN=${REGEN:-0}
WAIT_IDLE=${WAIT_IDLE:-1}
IDLE_TIMEOUT=${IDLE_TIMEOUT:-120}
NOW=2026-12-01
PY=${PYTHON:-python3}
TIME=/usr/bin/time
NPROC=$(nproc)
CLK_TCK=$(getconf CLK_TCK)

say() { echo "gate.sh: $*" >&2; }
[[ -x $TIME ]] || { say "needs GNU time at $TIME (apt-get install time)"; exit 2; }

cargo build --release --locked --quiet --bin strata
STRATA=$(realpath "$TARGET/release/strata")
VERSION=$("$STRATA" --version)
RESULTS=$(realpath -m "$OUT/results")
mkdir -p "$RESULTS"

# --- setup: generate fleets ----------------------------------------------------

GEN_SUM=$(sha256sum benches/gen-fleet.py | cut -c1-16)
for n in $SIZES; do
    dir=$OUT/$n
    stamp="$n $GEN_SUM $VERSION"
    if [[ $REGEN == 1 || ! -f $dir/stamp || $(cat "$dir/stamp") != "$stamp" ]]; then
        t0=$(date +%s)
        "$PY" benches/gen-fleet.py --strata "$STRATA" --out "$dir" --devices "$n"
        echo "$stamp" >"$dir/stamp"
        say "setup: generated, assembled and signed $n devices in $(($(date +%s) - t0)) s"
    fi
done

# --- checked run: the gate must really judge the fleet --------------------------

for n in $SIZES; do
    set +e
    "$STRATA" gate "$OUT/$n/fleet" --now "$NOW" --format json -o "$RESULTS/check-$n.json" 2>/dev/null
    rc=$?
    set -e
    if [[ $rc != 1 ]]; then
        say "gate on the $n-device fleet exited $rc, expected 1 (deny findings)"
        exit 1
    fi
    "$PY" - "$RESULTS/check-$n.json" "$n" <<'EOF' || exit 1
import collections, json, sys
r = json.load(open(sys.argv[1])); n = int(sys.argv[2]); s = r["summary"]
by = collections.Counter((c["rule"], c["verdict"]) for c in r["checks"])
rules = sorted({c["rule"] for c in r["checks"]})
bad = []
if s["devices"] != n or s["rules"] != 7 or len(r["checks"]) != 7 * n:
    bad.append(f"expected {n} devices x 7 rules, got {s}")
flagged = lambda rule: sum(v for (ru, _), v in by.items() if ru == rule and _ != "pass")
# About 1% of the bundles are broken on purpose; if the trust material or
# verification failed, every device would be flagged.
if not 0 < flagged("unsigned-attestation") <= 0.05 * n:
    bad.append(f"unsigned-attestation flags {flagged('unsigned-attestation')} of {n}")
for rule in ("stale-review", "dpia-required", "restricted-entity", "max-layers-per-group",
             "data-path-single-vendor"):
    if not 0 < flagged(rule) < n:
        bad.append(f"{rule} flags {flagged(rule)} of {n}")
print(f"{n:>6} devices: " + ", ".join(f"{rule} {flagged(rule)}" for rule in rules)
      + f"; {s['deny']} deny, {s['warn']} warn, {s['excepted']} excepted")
if bad:
    print("gate.sh: the gate did not judge the fleet as generated: " + "; ".join(bad), file=sys.stderr)
    sys.exit(1)
EOF
done

# --- timed runs -----------------------------------------------------------------

# Non-idle and idle jiffies of the whole machine, from /proc/stat.
cpu_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat; }

wait_idle() {
    [[ $WAIT_IDLE == 1 ]] || return 0
    local start=$SECONDS b1 i1 b2 i2
    while :; do
        read -r b1 i1 < <(cpu_ticks)
        sleep 1
        read -r b2 i2 < <(cpu_ticks)
        (((i2 - i1) * 100 >= 95 * (b2 - b1 + i2 - i1))) && return 0
        if ((SECONDS - start >= IDLE_TIMEOUT)); then
            say "machine still busy after ${IDLE_TIMEOUT}s; running anyway (see 'foreign CPU')"
            return 0
        fi
    done
}

# batch NAME N CMD...: time CMD (exit status 1 expected) WARMUP + RUNS times;
# appends "NAME N median_s min_s max_s foreign_pct" to $RECORDS.
RECORDS=$RESULTS/records.tsv
: >"$RECORDS"
batch() {
    local name=$1 n=$2 b1 i1 b2 i2 t0 t1 stats
    shift 2
    wait_idle
    read -r b1 i1 < <(cpu_ticks)
    t0=$(date +%s%N)
    if command -v hyperfine >/dev/null; then
        # -i: the gate exits 1 on these fleets (checked below).
        if ! hyperfine -N --style none --warmup "$WARMUP" --runs "$RUNS" -i \
            --export-json "$RESULTS/hf-$name-$n.json" "$*" >/dev/null 2>"$RESULTS/hf.err"; then
            cat "$RESULTS/hf.err" >&2
            exit 2
        fi
        stats=$("$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]
codes=set(r["exit_codes"])
assert codes == {1}, f"exit codes {codes}"
print(r["median"], r["min"], r["max"], (r["user"] + r["system"]) * (len(r["times"]) + int(sys.argv[2])))' \
            "$RESULTS/hf-$name-$n.json" "$WARMUP")
    else
        : >"$RESULTS/loop-$name-$n.tsv"
        for ((i = 0; i < WARMUP + RUNS; i++)); do
            local s0 s1 rc=0
            s0=$(date +%s%N)
            "$TIME" -f '%U %S' -o "$RESULTS/loop.time" "$@" 2>/dev/null || rc=$?
            s1=$(date +%s%N)
            [[ $rc == 1 ]] || { say "$name run exited $rc, expected 1"; exit 1; }
            echo "$i $(((s1 - s0) / 1000)) $(tail -n 1 "$RESULTS/loop.time")" >>"$RESULTS/loop-$name-$n.tsv"
        done
        stats=$("$PY" -c 'import statistics,sys
rows=[l.split() for l in open(sys.argv[1])]; w=int(sys.argv[2])
t=[int(r[1])/1e6 for r in rows[w:]]
print(statistics.median(t), min(t), max(t), sum(float(r[2])+float(r[3]) for r in rows))' \
            "$RESULTS/loop-$name-$n.tsv" "$WARMUP")
    fi
    t1=$(date +%s%N)
    read -r b2 i2 < <(cpu_ticks)
    read -r med min max own <<<"$stats"
    foreign=$(awk -v b=$((b2 - b1)) -v hz="$CLK_TCK" -v own="$own" -v w=$((t1 - t0)) -v n="$NPROC" \
        'BEGIN { f = (b / hz - own) / (n * w / 1e9) * 100; if (f < 0) f = 0; printf "%.1f", f }')
    echo "$name $n $med $min $max $foreign" >>"$RECORDS"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for n in $SIZES; do
    f=$OUT/$n/fleet
    batch human "$n" "$STRATA" gate "$f" --now "$NOW" -o "$RESULTS/gate-$n.txt" --sarif "$RESULTS/gate-$n.sarif"
    batch json "$n" "$STRATA" gate "$f" --now "$NOW" --format json -o "$RESULTS/gate-$n.json" --junit "$RESULTS/gate-$n.xml"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# Peak RSS, one run each.
for n in $SIZES; do
    f=$OUT/$n/fleet
    for name in human json; do
        if [[ $name == human ]]; then
            args=(-o "$RESULTS/gate-$n.txt" --sarif "$RESULTS/gate-$n.sarif")
        else
            args=(--format json -o "$RESULTS/gate-$n.json" --junit "$RESULTS/gate-$n.xml")
        fi
        "$TIME" -f '%M' -o "$RESULTS/rss.time" "$STRATA" gate "$f" --now "$NOW" "${args[@]}" 2>/dev/null || true
        echo "$name $n $(tail -n 1 "$RESULTS/rss.time")" >>"$RESULTS/rss.tsv.new"
    done
done
mv "$RESULTS/rss.tsv.new" "$RESULTS/rss.tsv"

# --- report ---------------------------------------------------------------------

"$PY" - "$RECORDS" "$RESULTS/rss.tsv" "$MAX_SECONDS" "$MAX_RATIO" "$RESULTS/gate.json" <<EOF
import json, sys
recs = [l.split() for l in open(sys.argv[1])]
rss = {(r[0], int(r[1])): int(r[2]) for r in (l.split() for l in open(sys.argv[2]))}
max_s, max_ratio = float(sys.argv[3]), float(sys.argv[4])
t = {(r[0], int(r[1])): dict(median=float(r[2]), min=float(r[3]), max=float(r[4]),
                              foreign_cpu_pct=float(r[5])) for r in recs}
sizes = sorted({n for _, n in t})
print(f"strata gate, $VERSION; $NPROC cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))")
print(f"load average before {'$LOAD_BEFORE'!r}, after {'$LOAD_AFTER'!r}; runs $RUNS (+$WARMUP warm-up) per cell, "
      + ("hyperfine" if "$(command -v hyperfine || true)" else "GNU time loop"))
print(f"{'command':<7} {'devices':>7} {'median s':>9} {'min s':>7} {'max s':>7} {'peak RSS':>9} {'foreign CPU':>11}")
for (name, n), v in sorted(t.items(), key=lambda kv: (kv[0][0], kv[0][1])):
    print(f"{name:<7} {n:>7} {v['median']:>9.3f} {v['min']:>7.3f} {v['max']:>7.3f} "
          f"{rss[(name, n)] / 1024:>6.0f} MiB {v['foreign_cpu_pct']:>10.1f}%")
ok = True
out = {"version": "$VERSION", "nproc": $NPROC, "load_before": "$LOAD_BEFORE", "load_after": "$LOAD_AFTER",
       "runs": $RUNS, "cells": [dict(command=k[0], devices=k[1], peak_rss_kib=rss[k], **v) for k, v in t.items()],
       "targets": []}
small, large = sizes[0], sizes[-1]
for name in sorted({k for k, _ in t}):
    tl, ts = t[(name, large)]["median"], t[(name, small)]["median"]
    ratio = tl / (large / small * ts)
    met_s, met_r = tl <= max_s, ratio <= max_ratio
    ok &= met_s and met_r
    print(f"{name}: t({large}) = {tl:.2f} s (target <= {max_s:g} s: {'met' if met_s else 'MISSED'}); "
          f"linearity t({large}) / ({large // small} x t({small})) = {ratio:.3f} "
          f"(target <= {max_ratio:g}: {'met' if met_r else 'MISSED'})")
    out["targets"].append(dict(command=name, seconds=tl, ratio=ratio, seconds_met=met_s, ratio_met=met_r))
if max(v["foreign_cpu_pct"] for v in t.values()) > 5:
    print("WARNING: other processes used CPU during the timed runs (foreign CPU > 5%); figures are skewed")
json.dump(out, open(sys.argv[5], "w"), indent=2)
sys.exit(0 if ok else 3)
EOF
