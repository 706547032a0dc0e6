#!/usr/bin/env bash
# Builds the page that ships: dist/mim-reports.html, one self-contained file.
#
# Trunk compiles the app (release, wasm-opt -Oz) into target/trunk-dist, then
# the xtask folds that into the single file. Expects the tools of
# scripts/setup.sh. Prints the path of the page on its last line.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
# shellcheck source=scripts/env.sh
. scripts/env.sh

# Trunk.toml sets offline = true, which builds with `cargo --offline`.
cargo fetch --quiet
trunk build --release
cargo run --quiet -p xtask -- single-file
echo "$repo/dist/mim-reports.html"
