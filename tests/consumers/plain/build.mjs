// The "build" of a page without a bundler: copy the page, its script, the shared app logic and the
// installed package's glue and wasm into dist/ (vendor/spa-auth/), as one would copy them to a
// static web server.
import fs from 'node:fs';

const copies = {
  'index.html': 'dist/index.html',
  'main.js': 'dist/main.js',
  '../shared/app.js': 'dist/app.js',
  'node_modules/spa-auth/spa_auth.js': 'dist/vendor/spa-auth/spa_auth.js',
  'node_modules/spa-auth/spa_auth_bg.wasm': 'dist/vendor/spa-auth/spa_auth_bg.wasm',
};
fs.rmSync('dist', { recursive: true, force: true });
fs.mkdirSync('dist/vendor/spa-auth', { recursive: true });
for (const [from, to] of Object.entries(copies)) fs.copyFileSync(from, to);
