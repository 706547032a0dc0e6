# shellcheck shell=bash
# Puts the project's tool cache on PATH. Source it: `. scripts/env.sh`.
#
# The cache is filled by scripts/setup.sh; MIM_TOOLS overrides its place.
# Cargo-installed tools (trunk, wasm-bindgen, wasm-bindgen-test-runner) and
# npm's wasm-opt all land in "$MIM_TOOLS/bin". They go first on PATH so that
# Trunk finds the pinned versions and never tries to download its own.

MIM_TOOLS="${MIM_TOOLS:-$HOME/.cache/mim-reports/tools}"
export MIM_TOOLS
case ":$PATH:" in
  *":$MIM_TOOLS/bin:"*) ;;
  *) PATH="$MIM_TOOLS/bin:$PATH" ;;
esac
if [ -d "$HOME/.cargo/bin" ]; then
  case ":$PATH:" in
    *":$HOME/.cargo/bin:"*) ;;
    *) PATH="$PATH:$HOME/.cargo/bin" ;;
  esac
fi
export PATH
