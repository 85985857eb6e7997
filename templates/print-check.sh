#!/usr/bin/env bash
# Print check for the HTML memo templates: renders the example memos as HTML,
# prints each to PDF with headless Chromium, turns the pages into PNG images
# to look at, and lists the page counts.
#
# Usage: templates/print-check.sh [OUT_DIR]
#   OUT_DIR   where to write the .html, .pdf and page PNGs (default target/print)
#
# Environment:
#   CHROMIUM          the Chromium binary (default: chromium, else chromium-browser)
#   CARGO_TARGET_DIR  honoured for the build, as by cargo
#   RESOLUTION        pdftoppm resolution in dpi (default 60)
#
# Needs Chromium and poppler-utils (pdftoppm, pdfinfo); on Debian:
#   apt-get install -y chromium poppler-utils
# CI does not run this script; it is for looking at the memos by eye.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
out=${1:-target/print}
now=2026-11-26
resolution=${RESOLUTION:-60}

die() {
    printf 'print-check: %s\n' "$*" >&2
    exit 1
}

chromium=${CHROMIUM:-}
if [[ -z $chromium ]]; then
    for c in chromium chromium-browser; do
        if command -v "$c" >/dev/null 2>&1; then
            chromium=$c
            break
        fi
    done
fi
if [[ -z $chromium ]] || ! command -v "$chromium" >/dev/null 2>&1; then
    die "Chromium not found (looked for ${CHROMIUM:-chromium, chromium-browser}). Install it with: apt-get install -y chromium  (or set CHROMIUM=/path/to/chromium)"
fi
for tool in pdftoppm pdfinfo; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "$tool not found. Install it with: apt-get install -y poppler-utils"
done

echo "== build strata"
cargo build --locked -q --bin strata
strata="${CARGO_TARGET_DIR:-target}/debug/strata"
[[ -x $strata ]] || die "built binary not found at $strata"

mkdir -p "$out"
# Only this script's own outputs are removed, whatever OUT_DIR is.
rm -f "$out"/*.html "$out"/*.pdf "$out"/*-page-*.png "$out"/*.chromium.log
out=$(cd "$out" && pwd)

echo "== render HTML into $out"
"$strata" memo dpia xiaomi-15s-pro-cn --fleet examples --format html --now "$now" -o "$out/dpia-xiaomi-15s-pro-cn.html"
"$strata" memo procurement pixel-9-pro --fleet examples --format html --now "$now" -o "$out/procurement-pixel-9-pro.html"
"$strata" memo procurement --all --fleet examples --format html --now "$now" -o "$out/procurement-fleet.html"

echo "== self-contained: no external resources"
# Any src=, href= or url() naming a scheme or a protocol-relative URL would be
# fetched when the memo is opened or printed. (The SVG's xmlns is a name, not
# a fetch, so it is not matched.)
# data: URIs are inline, so they are allowed.
if grep -EnoH "(src|href)[[:space:]]*=[[:space:]]*[\"']?[[:space:]]*([a-zA-Z][a-zA-Z0-9+.-]*:|//)|url\([[:space:]]*[\"']?[[:space:]]*([a-zA-Z][a-zA-Z0-9+.-]*:|//)|@import" "$out"/*.html |
    grep -Eiv '[^a-z0-9+.-]data:$'; then
    die "a memo loads an external resource (see above)"
fi
echo "ok"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

echo "== print to PDF and PNG pages"
printf '%-34s %s\n' "memo" "pages"
for html in "$out"/*.html; do
    name=$(basename "$html" .html)
    pdf="$out/$name.pdf"
    # The flags keep a headless run quiet and offline: no first-run, sync,
    # component updates or background fetches, a fresh profile each time.
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --disable-extensions --user-data-dir="$profile/$name" \
        --no-pdf-header-footer --print-to-pdf="$pdf" "file://$html" \
        >"$out/$name.chromium.log" 2>&1 ||
        die "Chromium failed on $html (log: $out/$name.chromium.log)"
    [[ -s $pdf ]] || die "Chromium wrote no PDF for $html (log: $out/$name.chromium.log)"
    pdftoppm -r "$resolution" -png "$pdf" "$out/$name-page"
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
    printf '%-34s %s\n' "$name" "$pages"
done

echo "== page images"
for png in "$out"/*-page-*.png; do
    echo "${png#"$root"/}"
done
