#!/usr/bin/env bash
# Benchmark one `strata verify-bundle` process against a bare sigstore-verify
# client (cli/examples/bare_sigstore_verify.rs) on the same real bundle: a
# SLSA provenance bundle from the public-good instance (DSSE, Rekor v1 entry
# with SET, inclusion proof and checkpoint), verified offline against the
# embedded trusted root.
#
# Usage: benches/sigstore.sh
# Uses hyperfine when installed (apt-get install hyperfine), otherwise a
# loop over /usr/bin/time. Honours CARGO_TARGET_DIR.
set -euo pipefail

cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
runs=50
f=cli/tests/fixtures/sigstore/slsa
id=https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml@refs/tags/v0.0.1
iss=https://token.actions.githubusercontent.com

cargo build --release --quiet --bin strata --example bare_sigstore_verify
strata="$target/release/strata verify-bundle --bundle $f/MODULE.bazel.intoto.jsonl --certificate-identity $id --certificate-oidc-issuer $iss $f/MODULE.bazel"
bare="$target/release/examples/bare_sigstore_verify $f/MODULE.bazel.intoto.jsonl $id $iss $f/MODULE.bazel"
# Both must verify before timing means anything.
$strata
$bare

if command -v hyperfine >/dev/null; then
    hyperfine --warmup 5 --runs "$runs" -N \
        -n "strata verify-bundle" "$strata" -n "bare sigstore-verify" "$bare"
else
    for name in strata bare; do
        cmd="${!name}"
        for _ in $(seq "$runs"); do
            { /usr/bin/time -f %e $cmd >/dev/null; } 2>&1 | tail -1
        done | awk -v n="$name" '{ s += $1; if (min == "" || $1 < min) min = $1 }
            END { printf "%-8s mean %.4f s, min %.4f s over %d runs\n", n, s / NR, min, NR }'
    done
fi
