#!/usr/bin/env bash
# Builds the SDK and serves the demo: http://localhost:8080/ with the local OpenID provider on
# http://localhost:3000 (log in with any login and password, e.g. "ada"). Ctrl-C stops both.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/setup.sh
bash scripts/build.sh
exec node dev/start.mjs
