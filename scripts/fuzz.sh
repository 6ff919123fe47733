#!/usr/bin/env bash
# Runs cargo-fuzz targets (fuzz/fuzz_targets/) for SECONDS each (default
# 10, the short run of scripts/test.sh), starting from the seed corpus in
# fuzz/corpus/<target>/. New inputs go to a temporary directory, so the
# repository's seeds stay small. Prints, per target, the executions, the
# rate, the coverage (libFuzzer's cov: edges, ft: features) and the corpus
# it grew; fails if any target finds a crash (libFuzzer writes the input
# to fuzz/artifacts/<target>/; turn it into a regression test).
#
#   scripts/fuzz.sh                  # 10 s per target
#   scripts/fuzz.sh 600              # 10 min per target
#   scripts/fuzz.sh --runs 10000000 3600 readers panel
#                                    # stop each at 10 M executions (or 1 h)
#
# The long run of the README is `scripts/fuzz.sh --long`: every parsing
# target to 10 million executions and analyze to 1 million (each capped at
# FUZZ_CAP seconds, default 7200), one target at a time, in one process.
#
# libFuzzer needs rustc's unstable -Z flags; the machine has one (stable)
# toolchain, so cargo fuzz runs with RUSTC_BOOTSTRAP=1, for its commands
# only. No sanitizer by default (FUZZ_SANITIZER=address to add ASan): the
# crate has no unsafe code, what is hunted is a panic (overflow checks and
# debug assertions are on), and ASan would cost two thirds of the rate.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

runs=0
long=0
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --long) long=1; shift ;;
        *) break ;;
    esac
done
seconds="${1:-10}"
[ $# -gt 0 ] && shift
[ "$long" = 1 ] && seconds="${FUZZ_CAP:-7200}"
sanitizer="${FUZZ_SANITIZER:-none}"
# Line tables for the file:line of a crash, no more (full debug info made
# the fuzz build 600 MB); profiles live in the workspace's Cargo.toml, so
# the fuzz build sets its own here.
# Without release's fat LTO and single codegen unit (the workspace's
# release profile is the CLI's): minutes of build for nothing here.
fuzz() {
    RUSTC_BOOTSTRAP=1 CARGO_PROFILE_RELEASE_DEBUG=line-tables-only CARGO_PROFILE_RELEASE_LTO=false \
        CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 cargo fuzz "$@"
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
say "cargo fuzz build (sanitizer: $sanitizer)"
fuzz build -s "$sanitizer" || die "fuzz build failed"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(fuzz list)
failed=0
summary=()
for target in "${targets[@]}"; do
    limit="$runs"
    if [ "$long" = 1 ]; then
        # The analysis is a thousand times the work of a parse.
        case "$target" in
            analyze) limit=1000000 ;;
            *) limit=10000000 ;;
        esac
    fi
    mkdir -p "$work/$target"
    if [ "$limit" = 0 ]; then
        say "fuzz $target for ${seconds}s"
        limit=-1
    else
        say "fuzz $target for ${seconds}s or $limit runs"
    fi
    log="$work/$target.log"
    # The analysis's thread pool would only add scheduling to one small input.
    RAYON_NUM_THREADS=1 fuzz run -s "$sanitizer" "$target" "$work/$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -runs="$limit" \
        -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 2>&1 |
        tee "$log" | grep -E '^(Done|==|SUMMARY|thread)'
    rc="${PIPESTATUS[0]}"
    done_line="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)"
    took="$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")"
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
    cov="$(sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/cov \1, ft \2, corpus \3/p' <<<"$done_line")"
    if [ "$rc" = 0 ]; then
        summary+=("$(printf '%-10s ok     %s executions in %s s (%s/s), %s' \
            "$target" "${execs:-?}" "${took:-?}" "${rate:-?}" "${cov:-?}")")
    else
        failed=1
        summary+=("$(printf '%-10s CRASH  see fuzz/artifacts/%s/' "$target" "$target")")
    fi
done
printf '  %s\n' "${summary[@]}"
exit "$failed"
