#!/usr/bin/env bash
# The one command to try the product: installs the tools (first run only),
# builds the single-file page, prints where it is, and serves it locally.
#
# The printed file also works on its own: copy it anywhere and open it.
# Options after the command go to the server, e.g. `scripts/run.sh --port 9000`.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

scripts/setup.sh
scripts/build-page.sh
page="$repo/dist/mim-reports.html"
echo
echo "The page: $page"
echo "Open it directly (file://$page) or through the server below."
echo

# shellcheck source=scripts/env.sh
. scripts/env.sh
exec cargo run --quiet -p xtask -- serve --file "$page" "$@"
