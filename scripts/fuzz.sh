#!/usr/bin/env bash
# Fuzzes the engine: every reader through the sniffer (read_file) and each
# format reader on its own (read_xml, read_json, read_delimited, read_evtx),
# the reassembler and the request parser, each for a while, with the
# committed seed corpus (fuzz/corpus/*) as a start. CI runs it with a short
# time per target so that a regression shows; the README gives the figures
# of long runs.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# cargo fuzz needs the nightly toolchain and cargo-fuzz; both are installed
# here once (the toolchain by rustup, cargo-fuzz into the tools cache). New
# inputs found during a run go to a scratch copy of the corpus, so the
# committed seeds stay small; crashes are written to fuzz/artifacts/.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${MIM_TOOLS:-$HOME/.cache/mim-reports/tools}"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(read_file read_xml read_json read_delimited read_evtx reassemble parse_request)
cargo_fuzz_version="0.13.2"

say() { printf 'fuzz: %s\n' "$*"; }

if rustup toolchain list | grep -q '^nightly'; then
  say "skipped: nightly toolchain (installed)"
else
  rustup toolchain install nightly --profile minimal
fi
if [ "$("$tools/bin/cargo-fuzz" --version 2>/dev/null)" = "cargo-fuzz $cargo_fuzz_version" ]; then
  say "skipped: cargo-fuzz $cargo_fuzz_version (in $tools/bin)"
else
  cargo install cargo-fuzz --locked --version "$cargo_fuzz_version" --root "$tools"
fi
export PATH="$tools/bin:$PATH"

cd "$repo"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for target in "${targets[@]}"; do
  mkdir -p "$scratch/$target"
  cp -r "fuzz/corpus/$target/." "$scratch/$target/"
  say "$target: ${seconds}s"
  # -rss_limit_mb bounds memory: an input that needs more is a finding.
  status=0
  cargo +nightly fuzz run "$target" "$scratch/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
    >"$scratch/$target.log" 2>&1 || status=$?
  grep -E '^(Done|stat::(number_of_executed_units|peak_rss_mb|new_units_added)|==[0-9]+==|SUMMARY)' \
    "$scratch/$target.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$scratch/$target.log"
    say "$target: FAILED (exit $status); the log is above, and an input that failed is in fuzz/artifacts/$target/"
    exit "$status"
  fi
done
say "all targets ran without a crash, hang or memory blow-up"
