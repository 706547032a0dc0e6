#!/usr/bin/env bash
# The full check, as CI runs it on a clean clone: formatting, lints on both
# targets, native tests, a file past 4 GiB read in release, a short fuzz run
# of every target (MIM_FUZZ_SECONDS each, 45 by default), browser unit
# tests, the single-file page build, and the browser tests of that page.
# Exits non-zero on the first failure.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

step() { printf '\n==> %s\n' "$*"; }

step "setup"
scripts/setup.sh
# shellcheck source=scripts/env.sh
. scripts/env.sh

step "cargo fmt --check"
cargo fmt --all --check

step "clippy (native)"
cargo clippy --workspace --all-targets -- -D warnings

step "clippy (wasm32)"
cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings

step "native tests"
cargo test --workspace

step "a file past 4 GiB, read in release (offsets past 32 bits stay exact)"
cargo test --release --test big_file -- --ignored

step "fuzz each target briefly (regressions only; long runs are in the README)"
scripts/fuzz.sh "${MIM_FUZZ_SECONDS:-45}"

step "browser unit tests (wasm-bindgen-test, headless Chromium)"
cargo test --target wasm32-unknown-unknown

step "build the single-file page"
scripts/build-page.sh

step "browser tests of the page (node --test)"
node --test tests/browser/

step "all checks passed"
