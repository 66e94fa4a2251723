# Sourced by the scripts: puts npm binaryen's wasm-opt (>= 130) ahead of Debian's broken 108.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The one toolchain the npm package is built with (scripts/build.sh builds `core` and `alloc` from
# source with unstable flags); everything else builds on plain stable.
NPM_RUST_TOOLCHAIN=1.95.0
