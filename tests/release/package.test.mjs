// The npm package's metadata: scripts/package-json.mjs completes what wasm-pack generates, and the
// tarball `npm pack pkg/` makes holds exactly the files an app needs, the README and the licences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { completePackageJson } from '../../scripts/package-json.mjs';

const PKG = new URL('../../pkg/', import.meta.url);

// What wasm-pack 0.15 writes for this crate (--target web).
const generated = {
  name: 'spa-auth',
  type: 'module',
  description: 'd',
  version: '0.1.0',
  license: 'MIT OR Apache-2.0',
  repository: { type: 'git', url: 'https://example.invalid/spa-auth' },
  files: ['spa_auth_bg.wasm', 'spa_auth.js', 'spa_auth.d.ts'],
  main: 'spa_auth.js',
  types: 'spa_auth.d.ts',
  sideEffects: ['./snippets/*'],
  keywords: ['oidc'],
};

test('completing the generated package.json: entry points, exports with types first, licences', () => {
  const pkg = completePackageJson(generated, ['LICENSE-APACHE', 'LICENSE-MIT']);
  assert.equal(pkg.module, 'spa_auth.js');
  assert.equal(pkg.main, 'spa_auth.js');
  assert.deepEqual(pkg.exports, {
    '.': { types: './spa_auth.d.ts', default: './spa_auth.js' },
    './spa_auth_bg.wasm': './spa_auth_bg.wasm',
    './package.json': './package.json',
  });
  assert.equal(Object.keys(pkg.exports['.'])[0], 'types', 'TypeScript reads the first matching condition');
  assert.deepEqual(pkg.files, ['spa_auth_bg.wasm', 'spa_auth.js', 'spa_auth.d.ts', 'LICENSE-APACHE', 'LICENSE-MIT']);
  assert.deepEqual(pkg.sideEffects, ['./snippets/*']);
  assert.deepEqual(Object.keys(pkg).slice(0, 4), ['name', 'version', 'description', 'license']);
  for (const key of Object.keys(generated)) assert.ok(key in pkg, `${key} kept`);
  assert.deepEqual(completePackageJson(pkg, ['LICENSE-APACHE', 'LICENSE-MIT']), pkg, 'idempotent');
  assert.deepEqual(generated.files.length, 3, 'the input is not changed');
});

test('pkg/package.json is complete', () => {
  const pkg = JSON.parse(fs.readFileSync(new URL('package.json', PKG), 'utf8'));
  assert.equal(pkg.name, 'spa-auth');
  assert.equal(pkg.type, 'module');
  for (const key of ['version', 'description', 'license', 'repository', 'keywords', 'module', 'types', 'exports', 'files', 'sideEffects']) {
    assert.ok(pkg[key], `package.json has ${key} (run node scripts/package-json.mjs after wasm-pack build)`);
  }
  assert.equal(pkg.exports['.'].types, './spa_auth.d.ts');
});

test('npm pack pkg/: the glue, its types, the wasm, the README and the licences, nothing else', () => {
  const [report] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error', '.'], {
    cwd: PKG, encoding: 'utf8',
  }));
  assert.equal(report.name, 'spa-auth');
  assert.deepEqual(report.files.map((f) => f.path).sort(), [
    'LICENSE-APACHE', 'LICENSE-MIT', 'README.md', 'package.json', 'spa_auth.d.ts', 'spa_auth.js', 'spa_auth_bg.wasm',
  ]);
  const readme = fs.readFileSync(new URL('README.md', PKG), 'utf8');
  assert.match(readme, /^# spa-auth/);
});
