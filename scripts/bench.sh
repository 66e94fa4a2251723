#!/usr/bin/env bash
# Benchmarks the release package side by side with auth0-js in headless Chromium against the
# local OpenID provider: page load → parseHash resolved, and checkSession's overhead over a bare
# prompt=none iframe (method: scripts/bench/bench.mjs). Not part of the test command (scripts/test.sh).
# Usage: bash scripts/bench.sh [--runs N]      (default 20 runs; needs ports 3000 and 8080 free)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
# shellcheck source=scripts/env.sh
source scripts/env.sh
echo "[bench] building the release package (wasm-pack build --release --target web --out-dir pkg)"
wasm-pack build --release --target web --out-dir pkg >/dev/null 2>&1 || wasm-pack build --release --target web --out-dir pkg
exec node scripts/bench/bench.mjs "$@"
