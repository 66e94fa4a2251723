# Sourced by the scripts: puts npm binaryen's wasm-opt (>= 130) ahead of Debian's broken 108.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
