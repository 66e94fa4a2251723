# Sourced by the scripts: puts npm binaryen's wasm-opt (>= 130) ahead of Debian's broken 108.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The one Rust release the npm package is built with (scripts/build.sh builds `core` and `alloc`
# from source with unstable flags); everything else builds on plain stable. The installed stable
# toolchain when it is that release (no download), otherwise that release by its version.
NPM_RUST_VERSION=1.95.0
if [ "$(rustc +stable --version 2>/dev/null | cut -d' ' -f2)" = "$NPM_RUST_VERSION" ]; then
  NPM_RUST_TOOLCHAIN=stable
else
  NPM_RUST_TOOLCHAIN=$NPM_RUST_VERSION
fi
