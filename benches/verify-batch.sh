#!/usr/bin/env bash
# benches/verify-batch.sh: `strata verify --batch` throughput on 10,000 real,
# distinct bundles in one invocation.
#
# Usage:
#   benches/verify-batch.sh               # 10,000 bundles, 5 timed runs
#   BUNDLES=2000 RUNS=10 benches/verify-batch.sh
#   ENFORCE=1 benches/verify-batch.sh     # exit 3 below the target
#
# What it does:
#   1. builds strata in release (`cargo build --release --locked`, honouring
#      CARGO_TARGET_DIR; skipped with STRATA=/path/to/strata);
#   2. creates, once, BUNDLES distinct small files (`artifact N`) in 100
#      directories and signs each with `strata sign --key` and the published
#      demo key (examples/keys/demo-signing-key.pem): Sigstore bundle v0.3,
#      DSSE over an in-toto statement, ECDSA P-256. Signing runs on every core
#      and is not measured; the data is reused while it is complete;
#   3. writes list.txt (`BUNDLE ARTIFACT` a line) and checks that one
#      untimed run verifies every bundle and that a tampered copy of the list
#      (one artifact swapped) fails on exactly that entry;
#   4. times with hyperfine (RUNS runs after one warm-up, page cache warm)
#      `strata verify --batch list.txt --key demo.pub` with human output, with
#      `--format json`, and `--batch DIR` (artifacts found next to each
#      bundle), all to /dev/null, and prints bundles/s from the mean and the
#      best run, nproc and the load average before and after.
#
# Target (issue #3): at least 2,000 bundles/s on 2 cores, 10,000 bundles in
# one invocation. Reported; enforced only with ENFORCE=1.
#
# Environment: BUNDLES=10000, RUNS=5, VERIFY_BATCH_DATA (default
# target/bench-data/verify-batch-<BUNDLES>), VERIFY_BATCH_OUT (hyperfine
# JSON, default target/bench-results/verify-batch-*.json), STRATA, ENFORCE.
# Needs: cargo, hyperfine (apt-get install hyperfine), python3.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

BUNDLES=${BUNDLES:-10000}
RUNS=${RUNS:-5}
DATA=${VERIFY_BATCH_DATA:-target/bench-data/verify-batch-$BUNDLES}
OUT=${VERIFY_BATCH_OUT:-target/bench-results}
KEY=examples/keys/demo-signing-key.pem
PUB=examples/keys/demo-signing-key.pub
TARGET_PER_S=2000

command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }

if [[ -z ${STRATA:-} ]]; then
    cargo build --release --locked --quiet --bin strata
    STRATA="${CARGO_TARGET_DIR:-target}/release/strata"
fi
STRATA=$(realpath "$STRATA")

# 2. Data: BUNDLES files and their bundles, made once.
if [[ ! -f $DATA/complete ]]; then
    echo "creating $BUNDLES signed files in $DATA (not timed)" >&2
    rm -rf "$DATA"
    mkdir -p "$DATA"
    python3 - "$DATA" "$BUNDLES" <<'EOF'
import os, sys
data, n = sys.argv[1], int(sys.argv[2])
with open(os.path.join(data, "files.txt"), "w") as out:
    for i in range(n):
        d = os.path.join(data, f"d{i % 100:02d}")
        os.makedirs(d, exist_ok=True)
        p = os.path.join(d, f"f{i:05d}.txt")
        with open(p, "w") as f:
            f.write(f"strata verify-batch bench artifact {i}\n")
        out.write(p + "\n")
EOF
    start=$(date +%s.%N)
    xargs -a "$DATA/files.txt" -P "$(nproc)" -n 500 "$STRATA" sign --key "$KEY" 2>/dev/null
    end=$(date +%s.%N)
    echo "signed $BUNDLES files in $(python3 -c "print(f'{$end - $start:.1f}')") s" >&2
    sed 's/.*/&.sigstore.json &/' "$DATA/files.txt" > "$DATA/list.txt"
    touch "$DATA/complete"
fi
n=$(wc -l < "$DATA/list.txt")
[[ $n == "$BUNDLES" ]] || { echo "$DATA/list.txt has $n entries, expected $BUNDLES" >&2; exit 2; }

# 3. Correctness before timing.
summary=$("$STRATA" verify --batch "$DATA/list.txt" --key "$PUB" | tail -1)
if [[ $summary != "$BUNDLES bundles: $BUNDLES verified, 0 not verified, 0 errors" ]]; then
    echo "the batch does not verify: $summary" >&2
    exit 1
fi
awk 'NR == 2 { $2 = "'"$DATA"'/d00/f00000.txt" } { print }' "$DATA/list.txt" > "$DATA/tampered.txt"
set +e
"$STRATA" verify --batch "$DATA/tampered.txt" --key "$PUB" > "$DATA/tampered.out"
rc=$?
set -e
fails=$(grep -c '^FAIL' "$DATA/tampered.out" || true)
if [[ $rc != 1 || $fails != 1 ]] || ! grep -q "^FAIL .* artifact-digest: " "$DATA/tampered.out"; then
    echo "the tampered list did not fail on exactly one entry (exit $rc, $fails FAIL lines)" >&2
    exit 1
fi

# 4. Timing.
mkdir -p "$OUT"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
hyperfine --warmup 1 --runs "$RUNS" -N --export-json "$OUT/verify-batch.json" \
    -n "verify --batch list (human)" "$STRATA verify --batch $DATA/list.txt --key $PUB" \
    -n "verify --batch list (json)" "$STRATA verify --batch $DATA/list.txt --key $PUB --format json" \
    -n "verify --batch DIR (human)" "$STRATA verify --batch $DATA --key $PUB" \
    >&2
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
status=0
python3 - "$OUT/verify-batch.json" "$BUNDLES" "$TARGET_PER_S" "$(nproc)" "$load_before" "$load_after" <<'EOF' || status=$?
import json, sys
path, n, target, nproc, before, after = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
res = json.load(open(path))["results"]
print(f"\nverify --batch, {n} bundles (key, ECDSA P-256), nproc {nproc}, load {before} before / {after} after")
print(f"{'command':32} {'mean s':>8} {'min s':>8} {'bundles/s (mean)':>17} {'(best)':>8}")
worst = None
for r in res:
    mean, best = r["mean"], r["min"]
    rate = n / mean
    worst = rate if worst is None else min(worst, rate)
    print(f"{r['command']:32} {mean:8.3f} {best:8.3f} {rate:17,.0f} {n / best:8,.0f}")
print(f"target >= {target:,}/s: {'met' if worst >= target else 'MISSED'} (slowest mean {worst:,.0f}/s)")
sys.exit(0 if worst >= target else 3)
EOF
if [[ $status == 3 && ${ENFORCE:-0} != 1 ]]; then
    status=0
fi
exit $status
