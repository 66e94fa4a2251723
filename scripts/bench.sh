#!/usr/bin/env bash
# Benchmarks the release package side by side with auth0-js in headless Chromium against the
# local OpenID provider: page load → parseHash resolved, and checkSession's overhead over a bare
# prompt=none iframe (method: scripts/bench/bench.mjs). Not part of the test command (scripts/test.sh).
# Writes BENCHMARKS.md (the machine, sizes, medians and ratios of this one run).
# Usage: bash scripts/bench.sh [--runs N]      (default 20 runs; needs ports 3000, 3001 and 8080 free)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh

# The other libraries measured, fetched once with `npm pack` into node_modules/.cache (never committed).
# `npm install @auth0/auth0-spa-js` fails here (a dependency is missing from the registry), but its dist
# bundle is self-contained. name@version  file-in-tarball  cached-name; a failed fetch only drops it.
cache=node_modules/.cache/spa-auth-bench
mkdir -p "$cache"
while read -r spec file name; do
  [ -s "$cache/$name" ] && continue
  tmp="$(mktemp -d)"
  if (cd "$tmp" && npm pack "$spec" --silent >/dev/null 2>&1) && tar -xzf "$tmp"/*.tgz -C "$tmp" "package/$file"; then
    mv "$tmp/package/$file" "$cache/$name"
    echo "[bench] fetched $spec ($file)"
  else
    echo "[bench] could not fetch $spec: left out" >&2
  fi
  rm -rf "$tmp"
done <<'LIBS'
@auth0/auth0-spa-js@2.28.3 dist/auth0-spa-js.production.js auth0-spa-js.production.js
oidc-client-ts@3.5.0 dist/browser/oidc-client-ts.min.js oidc-client-ts.min.js
oauth4webapi@3.8.8 build/index.js oauth4webapi.js
LIBS
echo "[bench] building the release package (scripts/build.sh)"
bash scripts/build.sh --quiet
exec node scripts/bench/bench.mjs --markdown BENCHMARKS.md "$@"
