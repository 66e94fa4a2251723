#!/usr/bin/env bash
# Installs everything the demo and the tests need, idempotently: each step checks first and is
# skipped when its tool is already there at the right version. Sourced by demo.sh and test.sh;
# run it alone with `bash scripts/setup.sh`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

WASM_PACK_VERSION=0.15.1
# The wasm-bindgen CLI must be exactly the version of the crate in Cargo.lock.
BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for c in clippy rustfmt; do
  rustup component list --installed | grep -q "^$c" || rustup component add "$c"
done
# The npm package's build (scripts/build.sh) runs on exactly Rust $NPM_RUST_VERSION (scripts/env.sh)
# and compiles `core` and `alloc` from the standard library's sources (the rust-src component).
# On this machine kind that is the installed stable toolchain, so this only adds rust-src.
# shellcheck source=scripts/env.sh
source scripts/env.sh
npm_components=$(rustup component list --installed --toolchain "$NPM_RUST_TOOLCHAIN" 2>/dev/null || true)
if [ "$NPM_RUST_TOOLCHAIN" = stable ]; then
  # Added to the installed stable only: `rustup toolchain install stable` could update it.
  grep -qx rust-src <<<"$npm_components" || { say "adding rust-src, for the npm build"; rustup component add rust-src --toolchain stable; }
elif ! grep -qx rust-src <<<"$npm_components" || ! grep -qx rust-std-wasm32-unknown-unknown <<<"$npm_components"; then
  say "installing Rust $NPM_RUST_VERSION with rust-src and the wasm target, for the npm build"
  rustup toolchain install "$NPM_RUST_VERSION" --profile minimal --target wasm32-unknown-unknown --component rust-src
fi

if [ "$(wasm-pack --version 2>/dev/null)" != "wasm-pack $WASM_PACK_VERSION" ]; then
  say "installing wasm-pack $WASM_PACK_VERSION (about 8 minutes on 2 cores)"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $BINDGEN_VERSION (about 5 minutes on 2 cores)"
  # Not --locked: its lock file names a crate version the registry here does not serve.
  cargo install wasm-bindgen-cli --version "$BINDGEN_VERSION" --force
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Debian's chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# Firefox: Debian's ESR, driven by geckodriver (wasm-bindgen tests) and by WebDriver BiDi
# (puppeteer-core, the Firefox end-to-end tests). Playwright drives only its own Firefox build.
GECKODRIVER_VERSION=0.37.1
if ! command -v firefox-esr >/dev/null; then
  say "installing Debian's firefox-esr"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq firefox-esr >/dev/null
fi
if [ "$(geckodriver --version 2>/dev/null | head -n1 | awk '{ print $2 }')" != "$GECKODRIVER_VERSION" ]; then
  say "installing geckodriver $GECKODRIVER_VERSION from crates.io (compiles for about 5 minutes on 2 cores, once)"
  cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked ||
    cargo install geckodriver --version "$GECKODRIVER_VERSION" --force
fi

# npm packages: the local OpenID provider, Playwright (driving Debian's Chromium; it never
# downloads a browser), puppeteer-core (driving Debian's Firefox over WebDriver BiDi; it never
# downloads one either), npm binaryen's wasm-opt, and auth0-js for the side-by-side benchmark. The
# consumer apps (tests/consumers/) install their own pinned bundlers when their tests run.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.package-lock-copy.json; then
  say "installing npm packages (npm ci)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.package-lock-copy.json
fi

# The second test provider, django-oauth-toolkit from PyPI, in dev/django/.venv (silent when it is
# up to date).
bash dev/django/setup.sh
