#!/usr/bin/env bash
# Builds the SDK and serves the demo: http://localhost:8080/ with the local OpenID provider on
# http://localhost:3000 (log in with any login and password, e.g. "ada"). Ctrl-C stops both.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash "$root/scripts/setup.sh"
# shellcheck source=scripts/env.sh
source "$root/scripts/env.sh" # npm binaryen's wasm-opt first on PATH (Debian's 108 breaks the build)
wasm-pack build --release --target web --out-dir pkg
exec node dev/start.mjs
