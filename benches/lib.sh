# shellcheck shell=bash
# shellcheck disable=SC2034 # variables set here are used by the scripts
# benches/lib.sh: machinery shared by the benchmark scripts that compare
# strata with the reference OpenSSF model_signing (hash.sh, model.sh).
# Sourced, not run. Set BENCH (the script's name, for messages) first.
#
# It provides, with the environment knobs every script documents:
#   - ROOT (the repository root, also the working directory), NPROC, CLK_TCK;
#   - die/say, check_uint/check_posint for numeric knobs;
#   - ensure_gnu_time: /usr/bin/time for peak RSS (installed when root);
#   - build_strata: sets STRATA (a release build unless STRATA is given);
#   - ensure_data DIR FILES SIZE_MIB [KEY_BASE]: deterministic pseudo-random
#     files DIR/part-<i>.bin, created once and reused while they have the
#     right shape; reset_dir refuses to delete what these scripts did not make;
#   - ensure_venv VENV: a venv with model-signing==MS_VERSION (and pyopenssl,
#     which it imports without declaring), sets PY;
#   - bench_workdir: a temporary WORK directory (removed on exit), RECORDS;
#   - wait_idle / timed: wall time, peak RSS and "foreign CPU" of one run,
#     repeated when other processes disturbed it (WAIT_IDLE, IDLE_TIMEOUT,
#     BUSY_RETRIES); record appends a row to RECORDS; jget reads JSON;
#   - warm_cache FILE...: reads the files and sets CACHED (page-cache
#     residency in %, empty without fincore); residency FILE... prints it;
#   - cpu_model, strata_backend.

: "${BENCH:?set BENCH before sourcing benches/lib.sh}"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 2

MS_VERSION=1.1.1
WAIT_IDLE=${WAIT_IDLE:-1}
IDLE_TIMEOUT=${IDLE_TIMEOUT:-300}
BUSY_RETRIES=${BUSY_RETRIES:-3}
NPROC=$(nproc)
CLK_TCK=$(getconf CLK_TCK)

die() { echo "$BENCH: $*" >&2; exit 2; }
say() { echo "==> $*" >&2; }

# check_uint VAR...: each variable holds a number (0 allowed).
check_uint() {
    local v
    for v in "$@"; do
        [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a number, got '${!v}'"
    done
}

# check_posint VAR...: each variable holds a positive integer.
check_posint() {
    local v
    for v in "$@"; do
        [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, got '${!v}'"
    done
}

check_uint IDLE_TIMEOUT BUSY_RETRIES WAIT_IDLE

# --- tools -------------------------------------------------------------------

TIME=/usr/bin/time
ensure_gnu_time() {
    if ! "$TIME" -f '%M' true >/dev/null 2>&1; then
        if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
            say "GNU time missing: apt-get install -y time"
            apt-get install -y time >/dev/null 2>&1 \
                || { apt-get update >/dev/null && apt-get install -y time >/dev/null; } \
                || die "could not install GNU time; run: apt-get install time"
        else
            die "GNU time is needed at /usr/bin/time; run: sudo apt-get install time"
        fi
    fi
    command -v python3 >/dev/null || die "python3 is needed"
}

# Build strata in release (honouring CARGO_TARGET_DIR) unless STRATA names a
# binary already; sets STRATA.
build_strata() {
    if [[ -n ${STRATA:-} ]]; then
        [[ -x $STRATA ]] || die "STRATA=$STRATA is not an executable"
        return 0
    fi
    command -v cargo >/dev/null || die "cargo is needed (or set STRATA=/path/to/strata)"
    say "building strata (cargo build --release --locked)"
    cargo build --release --locked -p strata >&2
    local target_dir
    target_dir=$(cargo metadata --format-version 1 --no-deps --locked \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
    STRATA=$target_dir/release/strata
    [[ -x $STRATA ]] || die "no binary at $STRATA after the build"
}

# --- data ----------------------------------------------------------------------

# gen_file PATH INDEX SIZE_MIB: SIZE_MIB MiB of deterministic pseudo-random
# bytes, the AES-128-CTR keystream under the key INDEX+1 (a seeded Python
# generator when openssl is missing).
gen_file() {
    local path=$1 index=$2 mib=$3 key
    key=$(printf '%032x' $((index + 1)))
    if command -v openssl >/dev/null; then
        # openssl dies of SIGPIPE when head has enough; that is expected.
        { openssl enc -aes-128-ctr -nosalt -K "$key" -iv 00000000000000000000000000000000 \
            -in /dev/zero 2>/dev/null || true; } | head -c $((mib * 1048576)) >"$path"
    else
        python3 - "$path" "$index" "$mib" <<'PY'
import random, sys
path, index, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(0x5EED0000 + index)
with open(path, "wb") as f:
    for _ in range(mib):
        f.write(rng.randbytes(1 << 20))
PY
    fi
}

# Refuse to delete a directory these scripts did not create.
reset_dir() {
    local dir=$1
    if [[ -e $dir ]]; then
        [[ -f $dir.stamp ]] || die "$dir exists but was not made by this script; move it away or point the variable elsewhere"
        rm -rf -- "$dir"
    fi
    rm -f -- "$dir.stamp"
    mkdir -p -- "$dir"
}

# data_ok DIR FILES SIZE_MIB STAMP: DIR holds exactly part-0.bin ..
# part-<FILES-1>.bin of SIZE_MIB MiB each, made with STAMP.
data_ok() {
    local dir=$1 files=$2 mib=$3 stamp=$4 n i
    [[ -f $dir.stamp && $(<"$dir.stamp") == "$stamp" ]] || return 1
    n=$(find "$dir" -mindepth 1 | wc -l)
    [[ $n == "$files" ]] || return 1
    for ((i = 0; i < files; i++)); do
        [[ $(stat -c %s "$dir/part-$i.bin" 2>/dev/null) == $((mib * 1048576)) ]] || return 1
    done
}

# ensure_data DIR FILES SIZE_MIB [KEY_BASE]: FILES files part-<i>.bin of
# SIZE_MIB MiB in DIR, file i generated with index KEY_BASE+i (default 0), so
# different data sets can have different bytes. Reused while the stamp file
# DIR.stamp and the sizes match.
ensure_data() {
    local dir=$1 files=$2 mib=$3 base=${4:-0} stamp i
    stamp="v1 files=$files size_mib=$mib"
    ((base == 0)) || stamp+=" key_base=$base"
    if data_ok "$dir" "$files" "$mib" "$stamp"; then
        say "reusing $dir ($files x $mib MiB)"
        return 0
    fi
    say "creating $dir ($files x $mib MiB of AES-CTR keystream)"
    reset_dir "$dir"
    : >"$dir.stamp" # mark as ours while being written
    for ((i = 0; i < files; i++)); do
        gen_file "$dir/part-$i.bin" $((base + i)) "$mib"
    done
    echo "$stamp" >"$dir.stamp"
    data_ok "$dir" "$files" "$mib" "$stamp" || die "generated data in $dir has the wrong shape"
}

# --- model_signing venv ------------------------------------------------------------

# ensure_venv VENV: create (once) VENV with model-signing==MS_VERSION; sets PY.
ensure_venv() {
    VENV=$1
    PY=$VENV/bin/python
    if ms_ok; then
        say "reusing $VENV (model-signing $MS_VERSION)"
        return 0
    fi
    say "creating $VENV with model-signing==$MS_VERSION from PyPI"
    rm -rf -- "$VENV"
    python3 -m venv "$VENV" || die "python3 -m venv failed (apt-get install python3-venv?)"
    # model-signing 1.1.1 imports pyOpenSSL (`from OpenSSL import crypto`)
    # without declaring it, so it is installed explicitly.
    "$PY" -m pip install --quiet --disable-pip-version-check \
        "model-signing==$MS_VERSION" pyopenssl >&2 || die "pip install model-signing==$MS_VERSION failed"
    ms_ok || die "model-signing $MS_VERSION does not import from $VENV"
}
ms_ok() {
    [[ -x $PY ]] && "$PY" -c "import importlib.metadata as m, model_signing.hashing, OpenSSL
assert m.version('model-signing') == '$MS_VERSION'" 2>/dev/null
}

# --- running and recording -----------------------------------------------------------

# bench_workdir: WORK (removed on exit) and an empty RECORDS file in it.
bench_workdir() {
    WORK=$(mktemp -d)
    trap 'rm -rf -- "$WORK"' EXIT
    RECORDS=$WORK/records.tsv
    : >"$RECORDS"
}

# Non-idle and idle jiffies of the whole machine, from /proc/stat.
cpu_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat; }

# Wait (up to IDLE_TIMEOUT seconds) for a one-second window in which the
# machine is at least 95% idle, so that other builds do not skew a run.
wait_idle() {
    [[ $WAIT_IDLE == 1 ]] || return 0
    local start=$SECONDS b1 i1 b2 i2
    while :; do
        read -r b1 i1 < <(cpu_ticks)
        sleep 1
        read -r b2 i2 < <(cpu_ticks)
        if (((i2 - i1) * 100 >= 95 * (b2 - b1 + i2 - i1))); then
            return 0
        fi
        if ((SECONDS - start >= IDLE_TIMEOUT)); then
            say "machine still busy after ${IDLE_TIMEOUT}s; running anyway (see 'foreign CPU')"
            return 0
        fi
    done
}

# timed OUT CMD...: run CMD with stdout to OUT and stderr to OUT.err; sets
# WALL_NS, RSS_KIB and FOREIGN_PCT: CPU time used on the machine during the
# run by anything but CMD, as a percentage of all cores x wall time (0 on a
# quiet machine). A failing CMD ends the script (exit 2).
timed() {
    local out=$1 t0 t1 b1 i1 b2 i2 rss user sys try
    shift
    for ((try = 0; ; try++)); do
        wait_idle
        read -r b1 i1 < <(cpu_ticks)
        t0=$(date +%s%N)
        if ! "$TIME" -f '%M %U %S' -o "$WORK/time" "$@" >"$out" 2>"$out.err"; then
            echo "$BENCH: command failed: $*" >&2
            cat "$out.err" "$WORK/time" >&2
            exit 2
        fi
        t1=$(date +%s%N)
        read -r b2 i2 < <(cpu_ticks)
        WALL_NS=$((t1 - t0))
        read -r rss user sys < <(tail -n 1 "$WORK/time")
        RSS_KIB=$rss
        FOREIGN_PCT=$(awk -v b=$((b2 - b1)) -v hz="$CLK_TCK" -v u="$user" -v s="$sys" \
            -v w="$WALL_NS" -v n="$NPROC" \
            'BEGIN { f = (b / hz - u - s) / (n * w / 1e9) * 100; if (f < 0) f = 0; printf "%.1f", f }')
        if [[ $WAIT_IDLE != 1 ]] || ((try >= BUSY_RETRIES)) \
            || awk -v f="$FOREIGN_PCT" 'BEGIN { exit !(f <= 5) }'; then
            return 0
        fi
        say "run disturbed (foreign CPU ${FOREIGN_PCT}%), repeating it"
    done
}

# jget FILE EXPR: evaluate the Python expression EXPR with d = FILE's JSON.
jget() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }

# record CASE TOOL RUN WALL_NS RSS_KIB DIGEST IN_PROCESS_S FOREIGN_PCT
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RECORDS"; }

# residency FILE...: how much of the files is in the page cache, in %
# (nothing when fincore is missing).
residency() {
    if command -v fincore >/dev/null; then
        fincore -b -n -o RES,SIZE "$@" | awk '{r+=$1; s+=$2} END {if (s) printf "%.1f", 100*r/s}'
    fi
}

# warm_cache FILE...: read the files into the page cache; CACHED is their
# residency afterwards in % (empty when fincore is missing).
warm_cache() {
    say "warming the page cache"
    cat "$@" >/dev/null
    CACHED=$(residency "$@")
    [[ -z $CACHED ]] || say "page-cache residency of the data: ${CACHED}%"
}

cpu_model() { grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'; }

# strata_backend FILE: the SHA-256 implementation strata uses here, as
# `strata hash --format json` reports it.
strata_backend() {
    "$STRATA" hash --format json "$1" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["backend"])'
}
