// Completes the package.json that wasm-pack generates in pkg/ (from Cargo.toml) with what it cannot
// say: `module`, an `exports` map whose `.` entry has a `types` condition first, and a subpath for
// the .wasm file (esbuild apps import it with the `file` loader). Fails when a file the package
// names is missing. Run after every `wasm-pack build` (scripts/test.sh, demo, size, bench do);
// tested by tests/release/package.test.mjs.
//
//   node scripts/package-json.mjs [pkg-dir]      (default: pkg)
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const GLUE = 'spa_auth.js';
export const TYPES = 'spa_auth.d.ts';
export const WASM = 'spa_auth_bg.wasm';

/**
 * The package.json wasm-pack wrote, completed; `licenseFiles` (LICENSE-MIT, LICENSE-APACHE: npm
 * packs only files named exactly LICENSE by itself) join `files`. Pure and idempotent.
 */
export function completePackageJson(generated, licenseFiles = []) {
  const pkg = { ...generated };
  pkg.main = GLUE;
  pkg.module = GLUE;
  pkg.types = TYPES;
  pkg.exports = {
    '.': { types: `./${TYPES}`, default: `./${GLUE}` },
    [`./${WASM}`]: `./${WASM}`,
    './package.json': './package.json',
  };
  // Only wasm-bindgen's inline-JS snippets (none today) run code on import.
  pkg.sideEffects ??= ['./snippets/*'];
  const files = new Set(pkg.files ?? []);
  for (const f of [GLUE, TYPES, WASM, ...licenseFiles]) files.add(f);
  pkg.files = [...files];
  // Readable key order: identity first, then entry points, then the rest as wasm-pack had them.
  const order = ['name', 'version', 'description', 'license', 'repository', 'keywords', 'type',
    'main', 'module', 'types', 'exports', 'files', 'sideEffects'];
  return Object.fromEntries([
    ...order.filter((k) => k in pkg).map((k) => [k, pkg[k]]),
    ...Object.entries(pkg).filter(([k]) => !order.includes(k)),
  ]);
}

/** Rewrites dir/package.json in place; throws when a file the package names is not in dir. */
export function completePackage(dir) {
  const file = path.join(dir, 'package.json');
  const licenses = fs.readdirSync(dir).filter((f) => /^LICEN[CS]E/i.test(f)).sort();
  const pkg = completePackageJson(JSON.parse(fs.readFileSync(file, 'utf8')), licenses);
  const missing = pkg.files.filter((f) => !fs.existsSync(path.join(dir, f)));
  if (!fs.existsSync(path.join(dir, 'README.md'))) missing.push('README.md');
  if (missing.length) throw new Error(`${dir}: missing ${missing.join(', ')} (did wasm-pack build?)`);
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  return pkg;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2] ?? 'pkg';
  try {
    const pkg = completePackage(dir);
    console.log(`${dir}/package.json: ${pkg.name}@${pkg.version}, exports ${Object.keys(pkg.exports).join(' ')}`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
