#!/usr/bin/env bash
# Benchmarks the release package side by side with auth0-js in headless Chromium against the
# local OpenID provider: page load → parseHash resolved, and checkSession's overhead over a bare
# prompt=none iframe (method: scripts/bench/bench.mjs). Not part of the test command (scripts/test.sh).
# Usage: bash scripts/bench.sh [--runs N]      (default 20 runs; needs ports 3000 and 8080 free)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
echo "[bench] building the release package (scripts/build.sh)"
bash scripts/build.sh --quiet
exec node scripts/bench/bench.mjs "$@"
