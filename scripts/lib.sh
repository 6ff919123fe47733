# Shared by the scripts in this directory: paths and small helpers.
# Sourced, not executed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The exact version of a crate in Cargo.lock (first match).
locked_version() {
    awk -v name="$1" '
        $0 == "name = \"" name "\"" { found = 1; next }
        found && /^version = / { gsub(/"/, "", $3); print $3; exit }
    ' "$ROOT/Cargo.lock"
}

# Runs a command as root: directly when we are root (CI), through sudo
# otherwise.
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Copies the hand-written package files (pkg-template/) into the package
# directory $1, with the crate's version in package.json.
install_template() {
    local version
    version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n1)"
    cp "$ROOT"/pkg-template/*.js "$ROOT"/pkg-template/*.d.ts "$ROOT"/pkg-template/README.md \
        "$ROOT"/pkg-template/LICENSE "$1"/
    sed "s/@VERSION@/$version/" "$ROOT/pkg-template/package.json" > "$1/package.json"
}

# For the benchmarks on the development data: sets DATA to the data
# directory ($1, default ../shared/data/alpaca_eval_dev), goes to ROOT and
# builds the release CLI. Without the data there is nothing to measure: it
# says so and exits 0.
bench_on_dev_data() {
    DATA="${1:-$ROOT/../shared/data/alpaca_eval_dev}"
    [ -d "$DATA" ] || { echo "no dev data at $DATA: nothing to measure"; exit 0; }
    cd "$ROOT"
    cargo build --release --quiet --bin lineage
}
