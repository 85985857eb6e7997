#!/usr/bin/env bash
# Benchmark `strata log` and `strata diff` on generated repositories with a
# long attestation history (issue #16): 10,000 commits over 100 devices with
# 3,333 reviews in at most 1 s, and linear growth, t(10k) <= 1.2 x 10 x t(1k).
#
# Usage: benches/history.sh
#
# Setup (not timed; reused while gen-history.py and the arguments are
# unchanged): benches/gen-history.py writes one repository per size and
# layout under OUT: 100 devices with a BOM and a Sigstore bundle each, one
# change per commit (a new attestation and bundle, or a re-signature), a
# review appended every third commit to the device's
# attestations/<id>/reviews.yaml (REVIEWS=device, strata's layout) or to the
# one shared attestations/reviews.yaml of the earlier layout
# (REVIEWS=shared, to measure what `strata review migrate` saves). Layouts:
#   packed  every object a delta against a neighbouring version, as after
#           `git gc` or in a clone (`git repack -a -d -f`);
#   whole   every version of a reviews file a whole zlib object, as
#           `git fast-import` writes them and as loose objects are.
#
# Timed, in each repository (the working directory), each run under GNU
# time:
#   log        strata log DEVICE             the device changed last; every
#                                            commit walked
#   diff-all   strata diff ROOT HEAD         first commit against HEAD: every
#                                            device and reviews.yaml changed
#   diff-last  strata diff HEAD~1 HEAD
#   diff-sha   strata diff sha256:D WORKTREE DEVICE
#                                            D: DEVICE's attestation digest
#                                            from the middle of the history
# Every command must exit 0 and print the same bytes on every run. Rounds
# interleave the sizes, layouts and commands, and the CPU other processes
# use meanwhile is measured from /proc/stat ("foreign CPU"); a run with more
# than 5% is repeated (the machinery of benches/lib.sh). Figures are medians.
#
# Exit status: 0 when every command meets both targets in every layout, 3
# when one is missed, 1 when an output differs (between runs, or from
# REFERENCE), 2 on a setup failure.
#
# Knobs (environment):
#   SIZES="1000 10000"      commit counts; the first is the base of the
#                           linearity ratio, the last is held to MAX_SECONDS
#   LAYOUTS="packed whole"  object layouts (above)
#   REVIEWS=device          device or shared (above)
#   DEVICES=100 REVIEW_EVERY=3
#   RUNS=5 WARMUP=1         kept and warm-up rounds
#   MAX_SECONDS=1 MAX_RATIO=1.2
#   OUT=target/bench-history  repositories and results (git ignores target/)
#   REGEN=1                 regenerate the repositories even if up to date
#   STRATA=BIN              time this binary instead of a release build
#   REFERENCE=BIN           compare with another build: every output must be
#                           byte-identical to BIN's, and BIN is timed in the
#                           same rounds (in turn first), with the ratio
#   WAIT_IDLE=1 IDLE_TIMEOUT=60 BUSY_RETRIES=2   see benches/lib.sh
# Honours CARGO_TARGET_DIR.
set -euo pipefail

BENCH=history.sh
IDLE_TIMEOUT=${IDLE_TIMEOUT:-60}
BUSY_RETRIES=${BUSY_RETRIES:-2}
# shellcheck source=benches/lib.sh
. "$(dirname "$0")/lib.sh"

SIZES=${SIZES:-"1000 10000"}
LAYOUTS=${LAYOUTS:-"packed whole"}
REVIEWS=${REVIEWS:-device}
DEVICES=${DEVICES:-100}
REVIEW_EVERY=${REVIEW_EVERY:-3}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
MAX_SECONDS=${MAX_SECONDS:-1}
MAX_RATIO=${MAX_RATIO:-1.2}
OUT=${OUT:-target/bench-history}
REGEN=${REGEN:-0}
PY=${PYTHON:-python3}
COMMANDS="log diff-all diff-last diff-sha"
check_posint RUNS DEVICES REVIEW_EVERY
check_uint WARMUP REGEN
for n in $SIZES; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "SIZES must hold positive integers, got '$n'"; done
for l in $LAYOUTS; do [[ $l == packed || $l == whole ]] || die "LAYOUTS: packed or whole, got '$l'"; done
[[ $REVIEWS == device || $REVIEWS == shared ]] || die "REVIEWS: device or shared, got '$REVIEWS'"

ensure_gnu_time
command -v git >/dev/null || die "git is needed to generate the repositories"
build_strata
STRATA=$(realpath "$STRATA")
[[ -z ${REFERENCE:-} ]] || REFERENCE=$(realpath "$REFERENCE")
VERSION=$("$STRATA" --version)
OUT=$(realpath -m "$OUT")
RESULTS=$OUT/results
mkdir -p "$RESULTS"
bench_workdir

# --- setup: generate the repositories --------------------------------------------

GEN_SUM=$(sha256sum benches/gen-history.py | cut -c1-16)
for layout in $LAYOUTS; do
    for n in $SIZES; do
        dir=$OUT/$layout-$REVIEWS-$n
        stamp="$GEN_SUM $n $DEVICES $REVIEW_EVERY $layout $REVIEWS"
        if [[ $REGEN == 1 || ! -f $dir.stamp || $(<"$dir.stamp") != "$stamp" ]]; then
            t0=$SECONDS
            reset_dir "$dir"
            : >"$dir.stamp"
            rmdir "$dir"
            "$PY" benches/gen-history.py --out "$dir" --commits "$n" --devices "$DEVICES" \
                --review-every "$REVIEW_EVERY" --layout "$layout" --reviews "$REVIEWS" >&2
            echo "$stamp" >"$dir.stamp"
            say "setup: generated $dir in $((SECONDS - t0)) s"
        fi
        # The generated reviews are canonical.
        "$STRATA" fmt --check "$dir/attestations" >/dev/null 2>&1 \
            || die "the reviews files under $dir/attestations are not in canonical form"
    done
done

# The arguments of every timed command, by LAYOUT-N-NAME (none has spaces).
declare -A CMD
for layout in $LAYOUTS; do
    for n in $SIZES; do
        dir=$OUT/$layout-$REVIEWS-$n
        last=$(git -C "$dir" log -1 --format=%s | cut -d: -f1)
        root=$(git -C "$dir" rev-list --max-parents=0 HEAD)
        old=$(git -C "$dir" show "HEAD~$((n / 2))":attestations/"$last"/bom.cdx.json \
            | sha256sum | cut -c1-12)
        CMD[$layout-$n-log]="log $last"
        CMD[$layout-$n-diff-all]="diff $root HEAD"
        CMD[$layout-$n-diff-last]="diff HEAD~1 HEAD"
        CMD[$layout-$n-diff-sha]="diff sha256:$old WORKTREE $last"
    done
done

# run_in DIR OUTFILE BIN ARGS...: one timed run of BIN in DIR (sets WALL_NS,
# RSS_KIB, FOREIGN_PCT and CPU_S), output to OUTFILE.
run_in() {
    local dir=$1 out=$2
    shift 2
    pushd "$dir" >/dev/null
    timed "$out" "$@"
    popd >/dev/null
    CPU_S=$(tail -n 1 "$WORK/time" | awk '{ printf "%.3f", $2 + $3 }')
}

# --- reference outputs -------------------------------------------------------------

declare -A EXPECT
for layout in $LAYOUTS; do
    for n in $SIZES; do
        for name in $COMMANDS; do
            key=$layout-$n-$name
            read -ra ARGS <<<"${CMD[$key]}"
            WAIT_IDLE=0 run_in "$OUT/$layout-$REVIEWS-$n" "$RESULTS/$key.out" "$STRATA" "${ARGS[@]}"
            EXPECT[$key]=$(sha256sum <"$RESULTS/$key.out" | cut -c1-64)
            if [[ -n ${REFERENCE:-} ]]; then
                WAIT_IDLE=0 run_in "$OUT/$layout-$REVIEWS-$n" "$RESULTS/$key.ref" "$REFERENCE" "${ARGS[@]}"
                if ! cmp -s "$RESULTS/$key.out" "$RESULTS/$key.ref"; then
                    say "$key: output differs from $REFERENCE's (diff $RESULTS/$key.ref $RESULTS/$key.out)"
                    exit 1
                fi
            fi
        done
    done
done
[[ -z ${REFERENCE:-} ]] || say "every output is byte-identical to $REFERENCE's"

# --- timed runs --------------------------------------------------------------------

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for ((round = 0; round < WARMUP + RUNS; round++)); do
    for n in $SIZES; do
        for layout in $LAYOUTS; do
            for name in $COMMANDS; do
                key=$layout-$n-$name
                read -ra ARGS <<<"${CMD[$key]}"
                # With a reference, both run in every round, in turn first.
                tools=(strata)
                [[ -z ${REFERENCE:-} ]] || tools=(strata reference)
                ((round % 2 == 0)) || tools=("${tools[@]:1}" strata)
                for tool in "${tools[@]}"; do
                    bin=$STRATA
                    [[ $tool == strata ]] || bin=$REFERENCE
                    run_in "$OUT/$layout-$REVIEWS-$n" "$WORK/run.out" "$bin" "${ARGS[@]}"
                    if [[ $(sha256sum <"$WORK/run.out" | cut -c1-64) != "${EXPECT[$key]}" ]]; then
                        say "$key: $tool's output changed between runs"
                        exit 1
                    fi
                    ((round < WARMUP)) || echo "$tool $layout $name $n $WALL_NS $CPU_S $RSS_KIB" \
                        "$FOREIGN_PCT" >>"$RECORDS"
                done
            done
        done
    done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ------------------------------------------------------------------------

"$PY" - "$RECORDS" "$MAX_SECONDS" "$MAX_RATIO" "$RESULTS/history.json" "$VERSION" "$NPROC" \
    "$(cpu_model)" "$LOAD_BEFORE" "$LOAD_AFTER" "$RUNS" "$WARMUP" "$DEVICES" \
    "${REFERENCE:-}" <<'EOF'
import json, statistics, sys
(records, max_s, max_ratio, out_path, version, nproc, cpu, load_before, load_after, runs,
 warmup, devices, reference) = sys.argv[1:]
max_s, max_ratio = float(max_s), float(max_ratio)
order = ["log", "diff-all", "diff-last", "diff-sha"]
all_cells = {}
for tool, layout, name, n, wall_ns, cpu_s, rss, foreign in (l.split() for l in open(records)):
    c = all_cells.setdefault(tool, {}).setdefault(
        (layout, name, int(n)), dict(wall=[], cpu=[], rss=[], foreign=[]))
    c["wall"].append(int(wall_ns) / 1e9)
    c["cpu"].append(float(cpu_s))
    c["rss"].append(int(rss))
    c["foreign"].append(float(foreign))
cells = all_cells["strata"]
refs = all_cells.get("reference", {})
med = statistics.median
key = lambda k: (k[0] != "packed", order.index(k[1]), k[2])
print(f"strata log and diff, {version}; {nproc} cores ({cpu}); {devices} devices")
print(f"load average before {load_before}, after {load_after}; "
      f"{runs} interleaved runs (+{warmup} warm-up) per cell")
if refs:
    print(f"reference: {reference} (ref columns; ratio = strata / reference, medians)")
head = (f"{'layout':<7} {'command':<9} {'commits':>7} {'median s':>9} {'min s':>7} {'max s':>7} "
        f"{'CPU s':>6} {'peak RSS':>9} {'foreign CPU':>11}")
print(head + (f" {'ref s':>7} {'ref CPU':>7} {'ratio':>6}" if refs else ""))
for k in sorted(cells, key=key):
    c = cells[k]
    line = (f"{k[0]:<7} {k[1]:<9} {k[2]:>7} {med(c['wall']):>9.3f} {min(c['wall']):>7.3f} "
            f"{max(c['wall']):>7.3f} {med(c['cpu']):>6.2f} {max(c['rss']) / 1024:>5.0f} MiB "
            f"{med(c['foreign']):>10.1f}%")
    if k in refs:
        r = refs[k]
        line += (f" {med(r['wall']):>7.3f} {med(r['cpu']):>7.2f} "
                 f"{med(c['wall']) / med(r['wall']):>6.2f}")
    print(line)
sizes = sorted({k[2] for k in cells})
small, large = sizes[0], sizes[-1]
f = large / small
ok, targets = True, []
for layout, name in sorted({k[:2] for k in cells}, key=lambda k: key(k + (0,))):
    cl, cs = cells[(layout, name, large)], cells[(layout, name, small)]
    tl, ts = med(cl["wall"]), med(cs["wall"])
    ratio = tl / (f * ts) if len(sizes) > 1 else None
    cpu_ratio = med(cl["cpu"]) / (f * med(cs["cpu"])) if len(sizes) > 1 and med(cs["cpu"]) else None
    met_s = tl <= max_s
    met_r = ratio is None or ratio <= max_ratio
    ok &= met_s and met_r
    line = f"{layout} {name}: t({large}) = {tl:.3f} s (<= {max_s:g} s: {'met' if met_s else 'MISSED'})"
    if ratio is not None:
        line += (f"; t({large}) / ({f:g} x t({small})) = {ratio:.3f} (<= {max_ratio:g}: "
                 f"{'met' if met_r else 'MISSED'})")
        if cpu_ratio is not None:
            line += f"; on CPU time {cpu_ratio:.3f}"
    print(line)
    targets.append(dict(layout=layout, command=name, seconds=tl, ratio=ratio, cpu_ratio=cpu_ratio,
                        seconds_met=met_s, ratio_met=met_r))
if max(med(c["foreign"]) for t in all_cells.values() for c in t.values()) > 5:
    print("WARNING: other processes used CPU during the timed runs (median foreign CPU > 5%); "
          "the wall times are skewed")
json.dump(dict(version=version, nproc=int(nproc), cpu=cpu, load_before=load_before,
               load_after=load_after, runs=int(runs), devices=int(devices),
               cells=[dict(tool=t, layout=k[0], command=k[1], commits=k[2], **v)
                      for t, tc in sorted(all_cells.items())
                      for k, v in sorted(tc.items(), key=lambda kv: key(kv[0]))],
               targets=targets), open(out_path, "w"), indent=2)
sys.exit(0 if ok else 3)
EOF
