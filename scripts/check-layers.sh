#!/usr/bin/env bash
# Checks that the layers of src/ import only downwards (core < browser < flow < js) and that the
# core stays pure: no wasm-bindgen, js-sys, web-sys or timers there; only the façade (js/) exports
# to JavaScript. Prints each offending line.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../src"
status=0
forbid() {
  local folder=$1 pattern=$2 why=$3 hits
  hits=$(grep -rnE "$pattern" "$folder" | grep -vE '^[^:]+:[0-9]+:\s*//' || true)
  if [ -n "$hits" ]; then
    printf '%s: %s\n%s\n' "$folder" "$why" "$hits"
    status=1
  fi
}
forbid core '\b(wasm_bindgen|js_sys|web_sys|gloo_timers)\b' 'the core is pure: no browser crates'
forbid core 'crate::(browser|flow|js)\b' 'the core imports nothing above it'
forbid browser 'crate::(flow|js)\b' 'the browser layer imports only the core'
forbid flow 'crate::js\b' 'the flows do not import the façade'
# `#[wasm_bindgen]` outside js/: only on an `extern "C"` block of imports (and its items) in the
# browser layer, which binds what web-sys does not; js/ alone exports to JavaScript.
exports=$(grep -rnE '^\s*#\[wasm_bindgen[](]' --exclude-dir=js --exclude-dir=browser . || true)
exports+=$(find browser -name '*.rs' -exec awk '
  FNR == 1 { inside = 0; pending = "" }
  inside && /^}/ { inside = 0; next }
  inside { next }
  /^[ \t]*#\[wasm_bindgen[](]/ { pending = FILENAME ":" FNR ":" $0; next }
  pending != "" && /^[ \t]*extern "C" *\{/ { inside = 1; pending = ""; next }
  pending != "" { print pending; pending = "" }
' {} +)
if [ -n "$exports" ]; then
  printf 'only js/ exports to JavaScript (the browser layer may bind imports):\n%s\n' "$exports"
  status=1
fi
[ "$status" -eq 0 ] && echo "layers: imports point down; core is pure"
exit "$status"
