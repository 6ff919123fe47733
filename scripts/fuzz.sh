#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets/) for SECONDS each
# (default 10, the short run of scripts/test.sh), starting from the seed
# corpus in fuzz/corpus/<target>/. New inputs go to a temporary directory,
# so the repository's seeds stay small. Prints the executions per target;
# fails if any target finds a crash (libFuzzer writes the input to
# fuzz/artifacts/<target>/; turn it into a regression test).
#
#   scripts/fuzz.sh            # 10 s per target
#   scripts/fuzz.sh 600        # the longer local run: 10 min per target
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

seconds="${1:-10}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
say "cargo +nightly fuzz build"
cargo +nightly fuzz build || die "fuzz build failed"
failed=0
summary=()
for target in $(cargo +nightly fuzz list); do
    mkdir -p "$work/$target"
    say "fuzz $target for ${seconds}s"
    log="$work/$target.log"
    cargo +nightly fuzz run "$target" "$work/$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 2>&1 | tee "$log" | grep -E '^(Done|==|SUMMARY|thread)' || true
    rc="${PIPESTATUS[0]}"
    runs="$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log")"
    if [ "$rc" = 0 ]; then
        summary+=("$(printf '%-10s ok     %s executions' "$target" "${runs:-?}")")
    else
        failed=1
        summary+=("$(printf '%-10s CRASH  see fuzz/artifacts/%s/' "$target" "$target")")
    fi
done
printf '  %s\n' "${summary[@]}"
exit "$failed"
