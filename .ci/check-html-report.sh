#!/usr/bin/env bash
# Render the example fleet's HTML report in headless Chromium, as a reader
# would open and print it: a desktop screenshot, and an A4 PDF whose text is
# selectable (extracted with pdftotext) and whose devices × layers matrix
# fits the page (the last column, "gate", is on the first page with every
# device). Needs chromium and poppler-utils (.ci/run installs them).
#
# Usage: .ci/check-html-report.sh [STRATA] [OUT-DIR]
set -euo pipefail
strata=${1:-target/debug/strata}
out=${2:-target/html-report}
mkdir -p "$out"
"$strata" report examples --format html -o "$out/report.html" --now 2026-11-26

# --no-sandbox: CI runs as root. No network is needed: the page fetches
# nothing (cli/tests/report.rs checks it holds no src, href or url()).
chrome() {
    timeout 120 chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
        --disable-background-networking --no-first-run "$@" "file://$(realpath "$out/report.html")" \
        2>"$out/chromium.log"
}
chrome --window-size=1280,2400 --screenshot="$out/desktop.png"
chrome --no-pdf-header-footer --print-to-pdf="$out/report.pdf"

fail() { echo "html report: $*" >&2; exit 1; }
[ "$(head -c 8 "$out/desktop.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] \
    || fail "no PNG screenshot"
[ "$(stat -c %s "$out/desktop.png")" -gt 50000 ] || fail "the screenshot is (nearly) blank"
pdfinfo "$out/report.pdf" > "$out/pdfinfo.txt"
grep -Eq '^Page size: +59[45](\.[0-9]+)? x 84[12](\.[0-9]+)? pts \(A4\)' "$out/pdfinfo.txt" \
    || fail "the PDF is not A4: $(grep 'Page size' "$out/pdfinfo.txt")"
pages=$(awk '/^Pages:/ {print $2}' "$out/pdfinfo.txt")
[ "$pages" -ge 2 ] && [ "$pages" -le 6 ] || fail "$pages pages printed (expected 2-6)"
pdftotext -layout -f 1 -l 1 "$out/report.pdf" "$out/page1.txt"
pdftotext -layout "$out/report.pdf" "$out/all.txt"
for want in "strata report: 5 devices, 310 units" "Devices by layer" "Vendor groups"; do
    grep -q "$want" "$out/page1.txt" || fail "page 1 has no selectable \"$want\""
done
# The matrix fits A4: its header row, last column included, is on page 1.
grep -Eq 'device +units +silicon +os +model +vehicle +services +TOP +attestation +restricted +DPIA +gate +decision' \
    "$out/page1.txt" || fail "the matrix header is cut or wrapped on page 1"
for device in laptop mixed-phone pixel-9-pro xiaomi-15s-pro-cn xiaomi-su7; do
    grep -q "$device" "$out/all.txt" || fail "no selectable text for $device"
done
for section in "Fleet concentration" "Restricted lists" "Findings per device" "Not covered by this report"; do
    grep -q "$section" "$out/all.txt" || fail "no \"$section\" in the PDF"
done
echo "html report: $out/report.html renders; desktop.png; report.pdf: $pages A4 pages, text selectable"
