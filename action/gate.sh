#!/usr/bin/env bash
# The gate step of the strata GitHub Action (action.yml), also usable from
# any CI: run `strata gate` on a fleet, always leave the SARIF (and JUnit)
# files behind when the gate ran, and report the verdict without failing the
# step, so that the upload step runs even when the gate denies.
#
# Environment: STRATA (the binary, default `strata`), FLEET (default `.`),
# SARIF (default strata-gate.sarif), JUNIT (optional), NOW (optional
# YYYY-MM-DD), GITHUB_OUTPUT (optional: receives exit-code, result, sarif).
# Exit status: 0 when the gate ran (whatever its verdict), 2 when it could
# not judge (bad input: nothing to upload).
set -uo pipefail
strata="${STRATA:-strata}"
fleet="${FLEET:-.}"
sarif="${SARIF:-strata-gate.sarif}"
args=(gate "$fleet" --sarif "$sarif")
if [ -n "${JUNIT:-}" ]; then args+=(--junit "$JUNIT"); fi
if [ -n "${NOW:-}" ]; then args+=(--now "$NOW"); fi

rm -f "$sarif"
"$strata" "${args[@]}"
code=$?
case "$code" in
    0) result=pass ;;
    1) result=deny ;;
    *) result=error ;;
esac
if [ -n "${GITHUB_OUTPUT:-}" ]; then
    {
        echo "exit-code=$code"
        echo "result=$result"
        if [ -f "$sarif" ]; then echo "sarif=$sarif"; else echo "sarif="; fi
    } >>"$GITHUB_OUTPUT"
fi
if [ "$code" -ge 2 ]; then
    echo "strata gate could not judge the fleet (exit $code): see the error above" >&2
    exit 2
fi
exit 0
