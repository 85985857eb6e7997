#!/usr/bin/env bash
# Print the example fleet's HTML memos in headless Chromium, as a reader
# would, and check the printed pages: A4, text selectable, no browser
# header or footer, no Markdown backtick, the evidence register's review
# notes whole (not broken mid-word) and its dates on one line. Needs
# chromium and poppler-utils (.ci/run installs them).
#
# Usage: .ci/check-html-memo.sh [STRATA] [OUT-DIR]
set -euo pipefail
strata=${1:-target/debug/strata}
out=${2:-target/html-memo}
mkdir -p "$out"
now=2026-11-26
"$strata" memo procurement xiaomi-15s-pro-cn --fleet examples --format html --now "$now" \
    -o "$out/procurement.html"
"$strata" memo procurement --all --fleet examples --format html --now "$now" -o "$out/fleet.html"
"$strata" memo dpia xiaomi-su7 --fleet examples --format html --now "$now" -o "$out/dpia.html"

fail() { echo "html memo: $*" >&2; exit 1; }
# --no-sandbox: CI runs as root. --no-pdf-header-footer: the memo prints its
# own running footer and page numbers (README, "Printing a memo").
for name in procurement fleet dpia; do
    timeout 120 chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
        --disable-background-networking --no-first-run --no-pdf-header-footer \
        --print-to-pdf="$out/$name.pdf" "file://$(realpath "$out/$name.html")" \
        2>"$out/$name.chromium.log" || fail "Chromium failed on $name.html"
    pdfinfo "$out/$name.pdf" > "$out/$name.pdfinfo.txt"
    grep -Eq '^Page size: +59[45](\.[0-9]+)? x 84[12](\.[0-9]+)? pts \(A4\)' "$out/$name.pdfinfo.txt" \
        || fail "$name.pdf is not A4"
    pdftotext -layout "$out/$name.pdf" "$out/$name.txt"
    pages=$(awk '/^Pages:/ {print $2}' "$out/$name.pdfinfo.txt")
    grep -q "Page $pages of $pages" "$out/$name.txt" || fail "$name.pdf has no page numbers"
    grep -Eq "(memo|DPIA draft)(, version [^,]+)?, $now" "$out/$name.txt" || fail "$name.pdf has no running footer"
    ! grep -n '<span\|<code' "$out/$name.txt" || fail "$name.pdf shows markup as text"
    ! grep -n '`' "$out/$name.txt" || fail "$name.pdf shows a Markdown backtick"
    ! grep -nE 'file://|[0-9]+/[0-9]+/[0-9]+, [0-9]+:[0-9]+' "$out/$name.txt" \
        || fail "$name.pdf carries the browser's header or footer"
    echo "html memo: $name.pdf: $pages A4 pages, text selectable"
done

# The three reviews of the Xiaomi phone share one note: in the evidence
# register every word of it is printed whole three times (a word broken
# mid-word would be missing), and each review's date is on one line.
txt="$out/register.txt"
sed -n '/Annex A. Evidence register/,/Annex B. Workings/p' "$out/procurement.txt" > "$txt"
for word in attestation whose upstream vendors carry their roles evidence digests flows agent \
    permissions unchanged; do
    n=$(grep -ow "$word" "$txt" | wc -l)
    [ "$n" -ge 3 ] || fail "\"$word\" is printed whole $n times in the register (expected 3)"
done
n=$(grep -o '2026-11-26T09:30:00Z' "$txt" | wc -l)
[ "$n" -ge 3 ] || fail "a review date is split across lines ($n of 3 whole)"
grep -q 'reject procurement-approved' "$txt" || fail "the status column splits \"procurement-approved\""
for want in "Fleet HHI 2230" "Xiaomi Corporation 40.6 %"; do
    grep -q "$want" "$out/fleet.txt" || fail "the fleet memo does not print \"$want\""
done
echo "html memo: register notes and dates whole, one number format per quantity"
