#!/usr/bin/env bash
# Prints the size of the release package: raw, gzip -9 and brotli bytes of the wasm and its JS glue.
# Usage: bash scripts/size.sh [--no-build]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ "${1:-}" != "--no-build" ]; then
  bash scripts/build.sh --quiet
fi
node - <<'JS'
const fs = require('fs'), zlib = require('zlib');
const files = ['pkg/spa_auth_bg.wasm', 'pkg/spa_auth.js'];
const row = (name, b) => {
  const gz = zlib.gzipSync(b, { level: 9 }).length;
  const br = zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${name.padEnd(24)} ${String(b.length).padStart(8)} ${String(gz).padStart(8)} ${String(br).padStart(8)}`);
  return [b.length, gz, br];
};
console.log(`${'file'.padEnd(24)} ${'raw'.padStart(8)} ${'gzip-9'.padStart(8)} ${'brotli'.padStart(8)}`);
const sums = files.map(f => row(f, fs.readFileSync(f))).reduce((a, r) => a.map((x, i) => x + r[i]), [0, 0, 0]);
console.log(`${'total'.padEnd(24)} ${String(sums[0]).padStart(8)} ${String(sums[1]).padStart(8)} ${String(sums[2]).padStart(8)}`);
console.log(`budget: gzip -9 total ${sums[1]} B (bar 46080 B = 45 KB, goal 30720 B = 30 KB): ${sums[1] <= 30720 ? 'goal met' : sums[1] <= 46080 ? 'bar met' : 'over the bar'}`);
JS
