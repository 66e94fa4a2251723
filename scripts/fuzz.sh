#!/usr/bin/env bash
# A long run of the seeded property suite (src/core/fuzz_tests.rs), optimised: every pure parser
# of the core, with ITERATIONS inputs each (default 1,000,000) from SEED (default: a new one,
# printed, so that a failure can be replayed with it). Not part of the test command, which runs
# the same suite briefly (scripts/test.sh, through cargo test).
# Usage: bash scripts/fuzz.sh [ITERATIONS] [SEED]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
export SPA_AUTH_FUZZ_ITERATIONS="${1:-1000000}"
export SPA_AUTH_FUZZ_SEED="${2:-$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')}"
echo "[fuzz] SPA_AUTH_FUZZ_ITERATIONS=$SPA_AUTH_FUZZ_ITERATIONS SPA_AUTH_FUZZ_SEED=$SPA_AUTH_FUZZ_SEED"
exec cargo test --release --lib core::fuzz_tests
