#!/usr/bin/env bash
# Benchmark `strata validate` on a generated 20,000-component CycloneDX 1.6
# BOM against bare jsonschema validation of the same file
# (cli/examples/bare_validate.rs: read + parse + schema, no semantic pass).
#
# Usage: benches/validate.sh [COMPONENTS]     (default 20000)
# Uses hyperfine when installed (apt-get install hyperfine), otherwise a
# loop over /usr/bin/time. Honours CARGO_TARGET_DIR.
set -euo pipefail

cd "$(dirname "$0")/.."
components="${1:-20000}"
target="${CARGO_TARGET_DIR:-target}"
bom="$target/bench/large-bom-$components.cdx.json"
runs=10

cargo build --release --quiet --bin strata --example bare_validate
mkdir -p "$(dirname "$bom")"
python3 benches/gen-large-bom.py --components "$components" --out "$bom"
echo "BOM: $bom ($(du -h "$bom" | cut -f1), $components components)"

strata="$target/release/strata validate $bom"
bare="$target/release/examples/bare_validate $bom"
# Both must agree that the BOM is valid before timing means anything.
$strata >/dev/null
$bare >/dev/null

if command -v hyperfine >/dev/null; then
    hyperfine --warmup 2 --runs "$runs" -N --export-json "$target/bench/validate.json" \
        -n "strata validate" "$strata" -n "bare jsonschema" "$bare"
else
    for name in strata bare; do
        cmd="${!name}"
        for _ in $(seq "$runs"); do
            { /usr/bin/time -f %e $cmd >/dev/null; } 2>&1 | tail -1
        done | awk -v n="$name" '{ s += $1; if (min == "" || $1 < min) min = $1 }
            END { printf "%-8s mean %.3f s, min %.3f s over %d runs\n", n, s / NR, min, NR }'
    done
fi
