#!/usr/bin/env bash
# Runs every test of spa-auth after installing what is missing (scripts/setup.sh):
# formatting, clippy (host and wasm32), host unit tests, wasm tests in Node and in headless
# Chromium, the release package in Node and Chromium, and the end-to-end suite against the local
# OpenID provider. Every step runs even when an earlier one fails; the last line is the summary
# `N passed, N failed` and the exit code is non-zero when anything failed.
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
# totals; a step whose runner prints no count counts as one check.
count() {
  local p f
  read -r p f < <(awk '
    /^test result: / { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
    /^# pass [0-9]+/ { p += $3 }
    /^# fail [0-9]+/ { f += $3 }
    END { print p + 0, f + 0 }' "$log")
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
    if [ "$1" -eq 0 ]; then p=1; else f=1; fi
  elif [ "$1" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1 # the runner failed without a failing test (a build error, a crash)
  fi
  passed=$((passed + p)); failed=$((failed + f))
  printf '\033[1m[test]\033[0m %-44s %s passed, %s failed\n' "$2" "$p" "$f"
}

step() {
  local name=$1; shift
  printf '\n\033[1m[test]\033[0m %s: %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$log"
  count "${PIPESTATUS[0]}" "$name"
}

step "layers (imports point down)" bash scripts/check-layers.sh
step "format" cargo fmt --check
step "clippy (host)" cargo clippy --all-targets -- -D warnings
step "clippy (wasm32)" cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
step "unit tests (host)" cargo test
# The crate's wasm tests in Node, through the runner wasm-pack uses; the browser layer's own tests
# need a window and run in Chromium only.
step "wasm tests (Node)" env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --lib -- --skip browser::
# Except the decoding of JS values, which needs no window.
step "wasm tests (Node, decoding)" env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --lib -- browser::decode::
# WASM_BINDGEN_USE_BROWSER runs every wasm test, the Node-configured ones included, in Chromium.
step "wasm tests (Chromium)" env WASM_BINDGEN_USE_BROWSER=1 wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver
step "release build" bash scripts/build.sh
step "types (tsc --strict)" npx --no-install tsc -p tests/types/tsconfig.json
step "release package (Node, Chromium)" node --test --test-reporter=tap --test-concurrency=1 tests/release/node.test.mjs tests/release/chromium.test.mjs
step "end to end (Chromium + oidc-provider)" node --test --test-reporter=tap --test-concurrency=1 tests/e2e/*.test.mjs

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
