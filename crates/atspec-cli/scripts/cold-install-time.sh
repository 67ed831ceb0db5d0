#!/usr/bin/env bash
# Prints how long `cargo install --path crates/atspec-cli` takes from nothing built:
# a fresh target directory and install root (crates already downloaded), so the
# figure is the compile and link time alone. The README states it.
set -euo pipefail
cd "$(dirname "$0")/../../.."
target=$(mktemp -d)
root=$(mktemp -d)
trap 'rm -rf "$target" "$root"' EXIT
cargo fetch --locked >/dev/null
start=$(date +%s)
CARGO_TARGET_DIR="$target" cargo install --path crates/atspec-cli --root "$root" --locked --quiet
end=$(date +%s)
echo "cold cargo install of atspec-cli: $((end - start)) s on $(nproc) cores"
