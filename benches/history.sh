#!/usr/bin/env bash
# Benchmark `strata log` and `strata diff` on a generated repository with a
# long attestation history (benches/gen-history.py): 1,000 commits over 100
# devices by default, a review every third commit. Target: each ≤ 1 s.
#
# Usage: benches/history.sh [COMMITS] [DEVICES]
# Uses hyperfine when installed, otherwise a loop over /usr/bin/time.
# Honours CARGO_TARGET_DIR.
#
# Figures (release build, 2 shared cores at load average ~7, hyperfine, 10
# runs; user CPU in brackets):
#   1,000 commits, 100 devices, 333 reviews:
#     log DEVICE (whole history)             76 ms  [29 ms]
#     diff HEAD~999 HEAD (all 100 devices)   71 ms  [27 ms]
#     diff HEAD~1 HEAD                       19 ms   [7 ms]
#     diff sha256:<approved> WORKTREE DEV    33 ms  [11 ms]
#   10,000 commits, 100 devices, 3,333 reviews: log 4.7 s [2.3 s], diff of
#   every device 0.15 s. `log` reads every version of reviews.yaml, whose
#   size grows with the history: most of its time is zlib inflating them.
set -euo pipefail

cd "$(dirname "$0")/.."
commits="${1:-1000}"
devices="${2:-100}"
target="${CARGO_TARGET_DIR:-target}"
target="$(cd "$(dirname "$target")" && pwd)/$(basename "$target")"
repo="$target/bench/history-$commits-$devices"
runs=10

cargo build --release --quiet --bin strata
strata="$target/release/strata"
rm -rf "$repo"
python3 benches/gen-history.py --out "$repo" --commits "$commits" --devices "$devices"
cd "$repo"
"$strata" fmt --check attestations/reviews.yaml   # the generated reviews are canonical

# The device changed in the last commit; an approved digest of it from the
# middle of the history.
last="$(git log -1 --format=%s | cut -d: -f1)"
old="$(git show "HEAD~$((commits / 2))":attestations/"$last"/bom.cdx.json | sha256sum | cut -c1-12)"

declare -a names=(
    "log (whole history of one device)"
    "diff HEAD~$((commits - 1)) HEAD (every device)"
    "diff HEAD~1 HEAD"
    "diff sha256:<approved> WORKTREE DEVICE"
)
declare -a cmds=(
    "$strata log $last"
    "$strata diff HEAD~$((commits - 1)) HEAD"
    "$strata diff HEAD~1 HEAD"
    "$strata diff sha256:$old WORKTREE $last"
)
for c in "${cmds[@]}"; do $c >/dev/null; done   # all must succeed first

if command -v hyperfine >/dev/null; then
    args=()
    for i in "${!cmds[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
    hyperfine --warmup 2 --runs "$runs" -N --export-json "$target/bench/history.json" "${args[@]}"
else
    for i in "${!cmds[@]}"; do
        for _ in $(seq "$runs"); do
            { /usr/bin/time -f %e ${cmds[$i]} >/dev/null; } 2>&1 | tail -1
        done | awk -v n="${names[$i]}" '{ s += $1; if (min == "" || $1 < min) min = $1 }
            END { printf "%-45s mean %.3f s, min %.3f s over %d runs\n", n, s / NR, min, NR }'
    done
fi
