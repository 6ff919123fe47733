#!/usr/bin/env bash
# Installs whatever the build and the tests need and is missing; does
# nothing (in about a second) when everything is already there.
#
#   - the wasm32-unknown-unknown Rust target
#   - wasm-bindgen-cli at the version Cargo.lock pins for wasm-bindgen
#     (the CLI and the library must match exactly)
#   - npm dev dependencies from package-lock.json (binaryen for wasm-opt,
#     playwright-core, typescript)
#   - Chromium and chromedriver from apt, for the browser tests
#   - Firefox ESR from apt and geckodriver (cargo install), for the same
#     tests in Firefox
#   - cargo-fuzz, for the fuzz stage
#   - Java 17 from apt (Spark runs on it) and a virtualenv target/py-venv
#     with python/requirements-dev.txt (maturin, pyspark, pytest), for the
#     Python package and its Spark jobs
#
# `setup.sh --page` installs only what building and serving the page
# needs (the wasm target, wasm-bindgen-cli, the npm dev dependencies for
# wasm-opt): the run command uses it; the test command installs the rest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

page_only=false
[ "${1:-}" = "--page" ] && page_only=true

# apt-get waits up to ten minutes for another process's lock (an
# unattended upgrade, a second setup) instead of failing at once.
apt_get() {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
}

command -v cargo >/dev/null || die "cargo not found: install Rust with rustup first"
command -v node >/dev/null || die "node not found: install Node.js 20 or newer"
command -v python3 >/dev/null || die "python3 not found (it serves the page)"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

want="$(locked_version wasm-bindgen)"
[ -n "$want" ] || die "wasm-bindgen is not in Cargo.lock"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
runner="$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$want" ] || [ "$runner" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (found: ${have:-none})"
    # Not --locked: the CLI's own lockfile pins versions that may not build
    # with this toolchain, and the protocol match only needs $want.
    cargo install wasm-bindgen-cli --version "$want"
fi

# npm ci wipes node_modules, so run it only when the lockfile changed
# since the last install (the stamp holds the lockfile's hash).
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp=node_modules/.lineage-setup-stamp
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
    say "installing npm dev dependencies (npm ci)"
    npm ci --no-audit --no-fund
    echo "$lock_hash" > "$stamp"
fi

if $page_only; then
    exit 0
fi

# The fuzz stage (scripts/fuzz.sh): cargo-fuzz drives libFuzzer with the
# machine's own toolchain (RUSTC_BOOTSTRAP=1 for its -Z flags, set by
# fuzz.sh), so no second toolchain is needed.
if ! command -v cargo-fuzz >/dev/null; then
    say "installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing chromium and chromedriver"
    apt_get update
    apt_get install -y chromium chromium-driver
fi

# The Python package (python/) and its Spark jobs: Spark needs a Java
# runtime (17 or newer), the rest lives in a virtualenv under target/ so
# the system Python stays clean. pip runs again only when the pinned
# requirements change (the stamp holds their hash); pip's own cache makes
# a reinstall in a fresh clone quick after the first download (~300 MB).
java_major="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1 || true)"
if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then
    say "installing a Java runtime for Spark (openjdk-17-jre-headless)"
    apt_get update
    apt_get install -y openjdk-17-jre-headless
fi
venv="$ROOT/target/py-venv"
if [ ! -x "$venv/bin/python" ]; then
    say "creating the virtualenv target/py-venv"
    python3 -m venv "$venv"
fi
req_hash="$(sha256sum python/requirements-dev.txt | cut -d' ' -f1)"
py_stamp="$venv/.lineage-setup-stamp"
if [ ! -f "$py_stamp" ] || [ "$(cat "$py_stamp")" != "$req_hash" ]; then
    say "installing maturin, pyspark, pytest and pandas into target/py-venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r python/requirements-dev.txt
    echo "$req_hash" > "$py_stamp"
fi

# Firefox: Debian's ESR (recent enough for WebDriver BiDi, which the page's
# end-to-end tests use through playwright-core), and geckodriver for
# wasm-bindgen-test-runner. geckodriver is built from crates.io: the npm
# package of that name downloads a binary, which cannot be fetched here.
if [ ! -x /usr/bin/firefox-esr ]; then
    say "installing firefox-esr"
    apt_get update
    apt_get install -y firefox-esr
fi
gecko_want=0.37.1
gecko_have="$(geckodriver --version 2>/dev/null | awk 'NR==1 {print $2}' || true)"
if [ "$gecko_have" != "$gecko_want" ]; then
    say "installing geckodriver $gecko_want (found: ${gecko_have:-none})"
    cargo install geckodriver --version "$gecko_want" --locked
fi
