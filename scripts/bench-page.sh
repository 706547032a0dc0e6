#!/usr/bin/env bash
# Reads one large synthetic export natively and through the page, and prints
# both: the command-line tool's time, then the page's time to all rows,
# longest main-thread task, worker WebAssembly memory, JavaScript heap and
# renderer memory (tests/browser/bench-page.mjs).
#
#   scripts/bench-page.sh [FORMAT] [SIZE_MB]
#
# FORMAT is an `xtask gen-export` format (default eventviewer-xml, the UTF-16
# Event Viewer export), SIZE_MB its size (default 1000). The export is made
# once in $MIM_BENCH_DIR (default /tmp/mim-bench) and kept for later runs.
# Expects the page built (scripts/build-page.sh) and the tools of
# scripts/setup.sh.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
# shellcheck source=scripts/env.sh
. scripts/env.sh

format="${1:-eventviewer-xml}"
size_mb="${2:-1000}"
dir="${MIM_BENCH_DIR:-/tmp/mim-bench}"
file="$dir/$format-$size_mb.export"
mkdir -p "$dir"

cargo build --quiet --release -p xtask -p mim-reports
if [ ! -s "$file" ]; then
  target/release/xtask gen-export --format "$format" --size-mb "$size_mb" --out "$file" --seed 1
fi

echo "== native: target/release/mim-reports $file"
start="$(date +%s.%N)"
target/release/mim-reports "$file" >/dev/null
end="$(date +%s.%N)"
bytes="$(stat -c %s "$file")"
awk -v s="$start" -v e="$end" -v b="$bytes" \
  'BEGIN { printf "native: %.2f s wall (%.1f MB/s)\n", e - s, b / 1e6 / (e - s) }'

echo "== page: node tests/browser/bench-page.mjs $file"
node tests/browser/bench-page.mjs "$file"
