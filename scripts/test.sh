#!/usr/bin/env bash
# The test command: set up what is missing, then run every check in
# order, keep going after a failure so one run shows every problem, and
# end with one summary line "N passed, N failed" that adds up the tests of
# all stages (a stage that is a single check - fmt, clippy, the build -
# counts as one). Exits non-zero if anything failed.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

# A failed setup still ends with the summary line, so that a run that
# never reached the tests says so in the place every run is read.
if ! "$ROOT/scripts/setup.sh"; then
    echo
    say "summary"
    printf '  %-28s %-6s\n' "setup" "FAILED"
    echo "0 passed, 1 failed"
    exit 1
fi

# A run builds the crate for several targets and profiles; their
# incremental caches took another gigabyte of disk for no gain on a clean
# machine (a CI run once ran out of space). CARGO_INCREMENTAL=1 keeps them.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

# The browser wasm tests find chromedriver here and the browser in
# webdriver.json; both are the Debian packages setup.sh installs.
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
# The same tests in Firefox ESR (setup.sh installs it and geckodriver).
export FIREFOX="${FIREFOX:-/usr/bin/firefox-esr}"
geckodriver_bin="${GECKODRIVER:-$(command -v geckodriver || echo "$HOME/.cargo/bin/geckodriver")}"

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
passed=0
failed=0
skipped=0
stages=()

# skip NAME REASON: a stage that cannot run here is listed and counted as
# skipped, never as passed.
skip() {
    say "$1: skipped ($2)"
    skipped=$((skipped + 1))
    stages+=("$(printf '%-28s %-6s (%s)' "$1" "skipped" "$2")")
}

# stage NAME COMMAND...: runs the command with its output shown and kept,
# then adds its test counts to the totals. Counts are read from libtest's
# "test result: ok. N passed; M failed" lines (cargo test and
# wasm-bindgen-test-runner) and from node --test's "pass N" / "fail N"
# summary and pytest's "N passed, M failed in T s"; a stage without such
# lines is one check.
stage() {
    local name="$1"
    shift
    local log="$logs/$(echo "$name" | tr -c 'a-zA-Z0-9\n' '_').log"
    say "$name: $*"
    "$@" 2>&1 | tee "$log"
    local rc="${PIPESTATUS[0]}"
    local p f
    p="$(sed -n 's/^test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')"
    f="$(sed -n 's/^test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\2/p' "$log" | awk '{s+=$1} END {print s+0}')"
    p=$((p + $(sed -n 's/^[^a-z]* pass \([0-9]*\)$/\1/p' "$log" | awk '{s+=$1} END {print s+0}')))
    f=$((f + $(sed -n 's/^[^a-z]* fail \([0-9]*\)$/\1/p' "$log" | awk '{s+=$1} END {print s+0}')))
    # pytest's closing line: "N passed, M failed, K errors in 12.3s".
    local py
    py="$(grep -E '^(=+ )?[0-9]+ (passed|failed|error).* in [0-9.]+s' "$log" || true)"
    p=$((p + $(echo "$py" | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')))
    f=$((f + $(echo "$py" | grep -oE '[0-9]+ (failed|errors?)' | awk '{s+=$1} END {print s+0}')))
    if [ "$p" = 0 ] && [ "$f" = 0 ]; then
        if [ "$rc" = 0 ]; then p=1; else f=1; fi
    elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        # The tests that ran passed but the command still failed (a
        # compile error in another target, a crashed runner): count it.
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    local verdict=ok
    [ "$rc" = 0 ] || verdict=FAILED
    stages+=("$(printf '%-28s %-6s %4d passed, %d failed' "$name" "$verdict" "$p" "$f")")
}

stage "fmt" cargo fmt --check
# The core and the CLI (the workspace's default members) natively; the
# wasm boundary for wasm32; the Python and fuzz crates build in their own
# stages below.
stage "clippy (host)" cargo clippy --all-targets -- -D warnings
stage "clippy (wasm32)" cargo clippy --target wasm32-unknown-unknown -p lineage-wasm --lib --tests -- -D warnings
stage "tests (native)" cargo test
# The development data's verdicts (tests/core/dev_verdicts.rs): minutes in
# a debug build, so in the optimised dev-data profile.
if [ -d "$ROOT/../shared/data/alpaca_eval_dev" ] && [ -d "$ROOT/../shared/data/alpaca_eval_dev_more" ]; then
    stage "tests (dev-data verdicts)" cargo test --profile dev-data --test core -- --ignored dev_verdicts::
else
    skip "tests (dev-data verdicts)" "no ../shared/data/alpaca_eval_dev{,_more} beside the clone"
fi
# One cargo invocation runs both wasm test binaries; each picks Node or
# headless Chromium for itself (crates/lineage-wasm/tests/{node,browser}.rs).
stage "tests (wasm: node+chromium)" cargo test --target wasm32-unknown-unknown -p lineage-wasm --tests
# wasm-bindgen-test-runner takes GECKODRIVER before CHROMEDRIVER; the
# browser binary comes from webdriver.json's moz:firefoxOptions.
stage "tests (wasm: firefox)" env -u CHROMEDRIVER GECKODRIVER="$geckodriver_bin" \
    cargo test --target wasm32-unknown-unknown -p lineage-wasm --test browser
stage "build (release wasm)" "$ROOT/scripts/build-wasm.sh"
# A debug build with the test-only panic trigger, for tests/e2e/panic.test.mjs.
stage "build (panic-test wasm)" "$ROOT/scripts/build-wasm-test.sh"
stage "tests (end-to-end)" node --test --test-reporter=spec tests/e2e/*.test.mjs
# The page and the package's browser side again in Firefox (WebDriver BiDi).
stage "tests (end-to-end, firefox)" env LINEAGE_BROWSER=firefox node --test --test-reporter=spec \
    tests/e2e/page.test.mjs tests/e2e/page_defects.test.mjs tests/e2e/page_round_two.test.mjs tests/e2e/page_report.test.mjs tests/e2e/panel.test.mjs tests/e2e/a11y.test.mjs \
    tests/e2e/security.test.mjs tests/e2e/worker.test.mjs
# A Vite app built with the packed package (vite from the dev dependencies).
stage "tests (vite app)" node --test --test-reporter=spec tests/e2e/vite/*.test.mjs
# The Python package (wheel built and installed into target/py-venv) and
# its Spark jobs in local[2] against the CLI; about two minutes.
stage "tests (python + spark)" "$ROOT/scripts/test-python.sh"
# Ten seconds of libFuzzer per target (scripts/fuzz.sh --long for the long run).
stage "fuzz (short)" "$ROOT/scripts/fuzz.sh" 10

echo
say "summary"
printf '  %s\n' "${stages[@]}"
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
