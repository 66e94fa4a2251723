#!/usr/bin/env bash
# Runs every test of spa-auth after installing what is missing (scripts/setup.sh):
# formatting, clippy (host and wasm32), host unit tests, wasm tests in Node and in headless
# Chromium and Firefox, the release package in Node and Chromium, the end-to-end suite against the
# local OpenID provider in Chromium and Firefox, and the npm tarball in bundler apps. Every step
# runs even when an earlier one fails; the last line is the summary `N passed, N failed` and the
# exit code is non-zero when anything failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh || { echo "set-up failed"; echo "0 passed, 1 failed"; exit 1; }
source scripts/env.sh
export CARGO_TERM_COLOR=never

passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Adds the counts of the runners' closing lines (cargo / wasm-bindgen-test / node --test) to the
# totals; a step whose runner prints no count counts as one check, except a test runner's
# (`counted`): wasm-bindgen-test-runner can exit 0 without its closing line when a test's future
# never settles, which must not pass.
count() {
  local p f
  read -r p f < <(awk '
    /^test result: / { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
    /^# pass [0-9]+/ { p += $3 }
    /^# fail [0-9]+/ { f += $3 }
    END { print p + 0, f + 0 }' "$log")
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
    if [ "$1" -eq 0 ] && [ "${counted:-}" != 1 ]; then p=1; else f=1; fi
  elif [ "$1" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1 # the runner failed without a failing test (a build error, a crash)
  fi
  passed=$((passed + p)); failed=$((failed + f))
  printf '\033[1m[test]\033[0m %-44s %s passed, %s failed\n' "$2" "$p" "$f"
}

step() {
  local counted=
  if [ "$1" = --counted ]; then counted=1; shift; fi
  local name=$1; shift
  printf '\n\033[1m[test]\033[0m %s: %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$log"
  count "${PIPESTATUS[0]}" "$name"
}

step "layers (imports point down)" bash scripts/check-layers.sh
step "format" cargo fmt --check
step "clippy (host)" cargo clippy --all-targets -- -D warnings
step "clippy (wasm32)" cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
step --counted "unit tests (host)" cargo test
step "docs (cargo doc, warnings denied)" env RUSTDOCFLAGS="-D warnings" cargo doc --no-deps
# A Rust SPA's use of the crate without the JavaScript façade (tests/rust-consumer/, its own crate),
# compiled for wasm32; it shares the target directory so the dependencies build once.
step "Rust consumer (wasm32)" cargo build --manifest-path tests/rust-consumer/Cargo.toml --target wasm32-unknown-unknown --target-dir target
# The crate's wasm tests in Node, through the runner wasm-pack uses; the browser layer's own tests
# need a window and run in the browsers only.
step --counted "wasm tests (Node)" env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --lib -- --skip browser::
# Except the decoding of JS values, which needs no window.
step --counted "wasm tests (Node, decoding)" env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --lib -- browser::decode::
# WASM_BINDGEN_USE_BROWSER runs every wasm test, the Node-configured ones included, in the browser.
step --counted "wasm tests (Chromium)" env WASM_BINDGEN_USE_BROWSER=1 wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver
step --counted "wasm tests (Firefox)" env WASM_BINDGEN_USE_BROWSER=1 wasm-pack test --headless --firefox --geckodriver "$(command -v geckodriver)"
step "release build" bash scripts/build.sh
step "types (tsc --strict)" npx --no-install tsc -p tests/types/tsconfig.json
step "release package (metadata, Node, Chromium)" node --test --test-reporter=tap --test-concurrency=1 tests/release/package.test.mjs tests/release/node.test.mjs tests/release/chromium.test.mjs
step "end to end (Chromium + oidc-provider)" node --test --test-reporter=tap --test-concurrency=1 tests/e2e/*.test.mjs
# Debian's Firefox ESR over WebDriver BiDi (puppeteer-core): login, renewal, and the cross-site
# case under Total Cookie Protection (tests/firefox/).
step "end to end (Firefox ESR + oidc-provider)" node --test --test-reporter=tap --test-concurrency=1 tests/firefox/*.test.mjs
# The npm tarball (npm pack pkg/) installed and built in a Vite, a webpack 5, an esbuild app and a
# plain module page, each logging in and renewing in Chromium (tests/consumers/).
step "consumers (Vite, webpack, esbuild, plain page)" node --test --test-reporter=tap --test-concurrency=1 tests/consumers/consumers.test.mjs

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
