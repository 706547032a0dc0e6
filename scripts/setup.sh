#!/usr/bin/env bash
# Installs everything the build and the tests need, once per machine.
#
# Tools go into a cache outside the checkout (MIM_TOOLS, default
# ~/.cache/mim-reports/tools) and are skipped when already there at the right
# version, so a second run takes seconds. Exports nothing: source
# scripts/env.sh to put the cache on PATH.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${MIM_TOOLS:-$HOME/.cache/mim-reports/tools}"
bin="$tools/bin"

trunk_version="0.22.1"
binaryen_version="132.0.0"

say() { printf 'setup: %s\n' "$*"; }

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate
# the page is built with, or the generated glue does not match the module.
wasm_bindgen_version="$(
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/^version = "|"$/, ""); print; exit }' \
    "$repo/Cargo.lock"
)"
if [ -z "$wasm_bindgen_version" ]; then
  say "cannot find the wasm-bindgen version in Cargo.lock" >&2
  exit 1
fi

# Prints the version a tool reports, or nothing when it is missing or broken.
tool_version() {
  "$@" 2>/dev/null | head -n 1 || true
}

mkdir -p "$bin"

# Rust target. RUSTUP_AUTO_INSTALL=0 machines do not add it on demand.
if rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
  say "skipped: rust target wasm32-unknown-unknown (installed)"
else
  rustup target add wasm32-unknown-unknown
  say "installed: rust target wasm32-unknown-unknown"
fi

# Trunk. 0.22.1 declares a newer rustc than 1.95 but builds and runs on it.
if [ "$(tool_version "$bin/trunk" --version)" = "trunk $trunk_version" ]; then
  say "skipped: trunk $trunk_version (in $bin)"
else
  say "installing trunk $trunk_version (takes about 9 minutes)"
  cargo install --locked --ignore-rust-version trunk \
    --version "$trunk_version" --root "$tools"
  say "installed: trunk $trunk_version"
fi

# wasm-bindgen CLI, which also brings wasm-bindgen-test-runner. Not --locked:
# its lock file names a dependency version the registry does not serve.
if [ "$(tool_version "$bin/wasm-bindgen" --version)" = "wasm-bindgen $wasm_bindgen_version" ] &&
  [ -x "$bin/wasm-bindgen-test-runner" ]; then
  say "skipped: wasm-bindgen-cli $wasm_bindgen_version (in $bin)"
else
  say "installing wasm-bindgen-cli $wasm_bindgen_version (takes about 2 minutes)"
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version" --force --root "$tools"
  say "installed: wasm-bindgen-cli $wasm_bindgen_version"
fi

# wasm-opt from npm's binaryen; the Debian package is too old to read current
# Rust output.
binaryen_major="${binaryen_version%%.*}"
if tool_version "$bin/wasm-opt" --version | grep -q "(version_$binaryen_major)"; then
  say "skipped: binaryen $binaryen_version / wasm-opt (in $bin)"
else
  npm install --global --prefix "$tools" --no-audit --no-fund "binaryen@$binaryen_version"
  say "installed: binaryen $binaryen_version / wasm-opt"
fi

# Chromium and ChromeDriver for the browser tests and screenshots.
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  say "skipped: chromium and chromium-driver (installed)"
else
  apt-get update
  apt-get install -y chromium chromium-driver
  say "installed: chromium and chromium-driver"
fi

# Node packages of the browser tests (playwright-core only; it drives the
# system Chromium and never downloads a browser). A stamp of the lock file
# lets a repeated run skip `npm ci`, which always starts from scratch.
lock="$repo/tests/browser/package-lock.json"
stamp="$repo/tests/browser/node_modules/.mim-lock.sha256"
lock_sum="$(sha256sum "$lock" | cut -d ' ' -f 1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ]; then
  say "skipped: npm ci in tests/browser (up to date)"
else
  (cd "$repo/tests/browser" && npm ci --no-audit --no-fund)
  printf '%s\n' "$lock_sum" >"$stamp"
  say "installed: npm packages in tests/browser"
fi

# Crates, so that Trunk's offline build (cargo --offline) finds them.
(cd "$repo" && cargo fetch --quiet)
say "fetched: crates for Cargo.lock"
say "done; tools are in $bin (source scripts/env.sh to use them)"
