// The npm package as users consume it: `npm pack pkg/`, then in each consumer app (Vite, webpack 5,
// esbuild, a plain <script type="module"> page; tests/consumers/<app>/) `npm install --no-save` of
// the tarball and the app's own build, served by the app server at /consumers/<app>/ under its
// strict Content-Security-Policy. In Chromium each app logs in through the local provider's dev
// login page, gets a verified result, renews silently (checkSession), and keeps no token in
// browser storage. Needs pkg/ (the release build).
//
//   node --test --test-concurrency=1 tests/consumers/
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  API_AUDIENCE, APP, PROVIDER, appStorage, login, useEnv, verifyJwt,
} from '../e2e/harness.mjs';
import { CONSUMER_APPS, appDir, build, install, packTarball } from './prepare.mjs';

const TSC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/.bin/tsc');

const T = { timeout: 120_000 };

// How each app gets the wasm: the URL it is fetched from (see each app's src/main.js).
const WASM_URL = {
  vite: /^\/consumers\/vite\/assets\/spa_auth_bg-[\w-]+\.wasm$/, // emitted and rewritten by Vite
  webpack: /^\/consumers\/webpack\/[0-9a-f]+\.wasm$/, // webpack's asset module, publicPath auto
  esbuild: /^\/consumers\/esbuild\/spa_auth_bg-[A-Z0-9]+\.wasm$/, // the file loader
  plain: /^\/consumers\/plain\/vendor\/spa-auth\/spa_auth_bg\.wasm$/, // next to the glue
};

const env = useEnv({ sdk: true });
let tarball;
before(() => {
  tarball = packTarball();
});

/** Waits until the app's page has run (window.consumerReady) and returns what it holds. */
async function appState(page) {
  await page.waitForFunction(() => window.consumerReady === true, null, { timeout: 15_000 });
  return page.evaluate(() => {
    const r = window.consumer?.result;
    return {
      error: window.consumerError ?? null,
      status: document.getElementById('status').textContent,
      result: r && { sub: r.idTokenPayload.sub, idToken: r.idToken, accessToken: r.accessToken, expiresAt: r.expiresAt },
    };
  });
}

for (const app of CONSUMER_APPS) {
  describe(`consumer: ${app}`, () => {
    let built = null;

    test(`${app}: installs the npm tarball and builds`, T, () => {
      const did = install(app, tarball);
      const files = build(app);
      built = files;
      assert.ok(files.some((f) => f.endsWith('.wasm')), `the build should hold the wasm: ${files.join(' ')}`);
      if (did.length) console.log(`# ${app}: ${did.join(', ')}`);
    });

    if (app === 'vite') {
      test('vite: a TypeScript app gets the types through the package\'s exports (tsc --strict)', T, () => {
        if (!built) throw new Error('vite was not built (see the previous test)');
        try {
          execFileSync(TSC, ['-p', path.join(appDir(app), 'tsconfig.json')], { encoding: 'utf8', stdio: 'pipe' });
        } catch (err) {
          assert.fail(`tsc: ${err.stdout}${err.stderr}`);
        }
      });
    }

    test(`${app}: logs in through the provider, renews silently, stores no token`, T, async (t) => {
      if (!built) throw new Error(`${app} was not built (see the previous test)`);
      const { context, page } = await env.freshPage(t);
      const pageErrors = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) pageErrors.push(m.text());
      });
      const wasm = [];
      page.on('response', (r) => {
        const url = new URL(r.url());
        // Every file the app asks for exists (the browser's own favicon.ico request aside).
        if (url.origin === APP && r.status() >= 400 && url.pathname !== '/favicon.ico') {
          pageErrors.push(`${r.status()} ${url.pathname}`);
        }
        if (url.pathname.endsWith('.wasm')) wasm.push({ path: url.pathname, status: r.status(), type: r.headers()['content-type'] });
      });
      const home = `${APP}/consumers/${app}/`;

      await page.goto(home);
      const before = await appState(page);
      assert.equal(before.error, null);
      assert.equal(before.result, null, 'no result before a login');
      assert.equal(wasm.length, 1, `one wasm fetch: ${JSON.stringify(wasm)}`);
      assert.match(wasm[0].path, WASM_URL[app]);
      assert.equal(wasm[0].status, 200);
      assert.equal(wasm[0].type, 'application/wasm');

      // The user clicks "Log in": the page leaves for the provider's dev login.
      const atProvider = page.waitForURL((u) => u.origin === PROVIDER, { waitUntil: 'commit' });
      await page.click('#login');
      await atProvider;
      await login(page);
      const after = await appState(page);
      assert.equal(after.error, null, `login failed: ${JSON.stringify(after.error)}`);
      assert.ok(after.result, `no result after the login (page says "${after.status}")`);
      assert.equal(after.result.sub, 'ada');
      assert.match(after.status, /signed in as ada/);
      // Independently of the SDK: the tokens are the provider's, for this client and API.
      const id = await verifyJwt(after.result.idToken);
      assert.equal(id.sub, 'ada');
      assert.equal(id.aud, 'spa-test');
      const at = await verifyJwt(after.result.accessToken);
      assert.ok([at.aud].flat().includes(API_AUDIENCE));
      assert.equal(new URL(page.url()).href, home, 'the response is gone from the address bar');

      const renewed = await page.evaluate(() => window.consumer.renew().then(
        (r) => ({ sub: r.idTokenPayload.sub, idToken: r.idToken, accessToken: r.accessToken }),
        (e) => ({ error: e.error, errorDescription: e.errorDescription }),
      ));
      assert.equal(renewed.error, undefined, `checkSession failed: ${JSON.stringify(renewed)}`);
      assert.equal(renewed.sub, 'ada');
      assert.notEqual(renewed.accessToken, after.result.accessToken);
      assert.equal((await verifyJwt(renewed.idToken)).sub, 'ada');

      const stored = await appStorage(context, page);
      for (const token of [after.result.idToken, after.result.accessToken, renewed.idToken, renewed.accessToken]) {
        assert.ok(!stored.all.includes(token), 'a token in browser storage');
      }
      assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length), 0);
      assert.deepEqual(pageErrors, []);
    });
  });
}
