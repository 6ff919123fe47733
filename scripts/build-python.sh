#!/usr/bin/env bash
# Builds the Python package (python/: PyO3 + maturin) as a release abi3
# wheel into target/wheels/ and installs it into target/py-venv, the
# virtualenv scripts/setup.sh makes. Reinstalls only when the wheel
# changed. Prints the wheel's path and size.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT/python"

venv="$ROOT/target/py-venv"
[ -x "$venv/bin/maturin" ] || die "target/py-venv has no maturin: run scripts/setup.sh"
rm -rf "$ROOT/target/wheels"
say "maturin build --profile wheel (into target/wheels)"
"$venv/bin/maturin" build --profile wheel --quiet -o "$ROOT/target/wheels"
wheel="$(ls "$ROOT"/target/wheels/lineage-*.whl)"
printf '%s: %d bytes\n' "${wheel#"$ROOT"/}" "$(wc -c < "$wheel")"
stamp="$venv/.lineage-wheel-stamp"
hash="$(sha256sum "$wheel" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
    say "installing the wheel into target/py-venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"
    echo "$hash" > "$stamp"
fi
