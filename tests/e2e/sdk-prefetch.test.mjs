// The provider's documents fetched ahead and kept for the callback page (issue 10, time to
// tokens): discovery and JWKS are fetched from the constructor on, authorize() waits for them,
// and sessionStorage keeps them (never a token) for at most 10 minutes under
// `spa-auth.doc.<url>` = "<ms> <json>". A stored document that is stale, from the future,
// malformed or names another issuer is not used: the SDK fetches it again. Needs pkg/.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import {
  APP, PROVIDER, appStorage, codeConfig, expectOk, gotoE2E, login, parseHashIn, recordRequests, sdkConfig,
  startSdkAuthorize, useEnv, waitForReady,
} from './harness.mjs';

const T = { timeout: 60_000 };
const DISCOVERY = `${PROVIDER}/.well-known/openid-configuration`;
const JWKS = `${PROVIDER}/.well-known/jwks.json`;
const doc = (url) => `spa-auth.doc.${url}`;
const MINUTE = 60_000;

const env = useEnv({ sdk: true });

/** The paths of the page's requests to the provider, from now on. */
function providerPaths(page) {
  const seen = recordRequests(page, /^http:\/\/localhost:3000\//);
  return () => seen.map((url) => new URL(url).pathname);
}

/** authorize() from the e2e page, the dev login, and back on the callback page (not parsed yet). */
async function toCallback(page, config) {
  await gotoE2E(page);
  await startSdkAuthorize(page, config);
  await login(page);
  await waitForReady(page);
}

/** Replaces the stored document of `url` in the page's sessionStorage. */
const store = (page, url, value) =>
  page.evaluate(([key, v]) => sessionStorage.setItem(key, v), [doc(url), value]);

describe('documents fetched ahead and kept for the callback', () => {
  test('an implicit callback after authorize() fetches neither discovery nor the JWKS; no token is stored', T, async (t) => {
    const { context, page } = await env.freshPage(t);
    await toCallback(page, sdkConfig());
    const stored = await page.evaluate((keys) => keys.map((k) => sessionStorage.getItem(k)), [doc(DISCOVERY), doc(JWKS)]);
    for (const value of stored) assert.match(value ?? '', /^\d{13} \{/, 'stored as "<ms> <json>"');
    const paths = providerPaths(page);
    const result = expectOk(await parseHashIn(page, sdkConfig()), 'parseHash');
    assert.deepEqual(paths(), [], 'no request to the provider on the callback');
    const { all } = await appStorage(context, page);
    for (const token of [result.accessToken, result.idToken, result.idToken.split('.')[2]]) {
      assert.ok(!all.includes(token), 'a token is in browser storage');
    }
  });

  test('a code callback after authorize() requests /oauth/token only', T, async (t) => {
    const { page } = await env.freshPage(t);
    await toCallback(page, codeConfig());
    const paths = providerPaths(page);
    expectOk(await parseHashIn(page, codeConfig()), 'parseHash');
    assert.deepEqual(paths(), ['/oauth/token']);
  });

  test('a constructor and a call at the same moment share one fetch of each document', T, async (t) => {
    const { page } = await env.freshPage(t);
    await gotoE2E(page);
    const paths = providerPaths(page);
    const url = await page.evaluate(async (cfg) => {
      const auth = new window.WebAuth(cfg);
      return auth.buildAuthorizeUrl();
    }, sdkConfig());
    assert.ok(url.startsWith(`${PROVIDER}/authorize?`));
    await page.waitForFunction((key) => sessionStorage.getItem(key), doc(JWKS));
    assert.deepEqual(paths().sort(), ['/.well-known/jwks.json', '/.well-known/openid-configuration']);
  });
});

describe('a stored document that must not be used is fetched again', () => {
  const discovery = async () => (await fetch(DISCOVERY)).json();

  for (const [name, value] of [
    ['stale (11 minutes old)', (d) => `${Date.now() - 11 * MINUTE} ${JSON.stringify(d)}`],
    ['fetched in the future', (d) => `${Date.now() + 60 * MINUTE} ${JSON.stringify(d)}`],
    ['malformed', (d) => `${Date.now()} ${JSON.stringify(d).slice(0, -1)}`],
    ['naming another issuer', (d) => `${Date.now()} ${JSON.stringify({ ...d, issuer: 'http://localhost:3000/other' })}`],
  ]) {
    test(`discovery ${name}`, T, async (t) => {
      const { page } = await env.freshPage(t);
      await gotoE2E(page);
      // Were the stored document used, the login would go to this endpoint.
      const planted = { ...(await discovery()), authorization_endpoint: `${PROVIDER}/planted` };
      await store(page, DISCOVERY, value(planted));
      const paths = providerPaths(page);
      const url = await page.evaluate((cfg) => new window.WebAuth(cfg).buildAuthorizeUrl(), sdkConfig());
      assert.ok(url.startsWith(`${PROVIDER}/authorize?`), url.split('?')[0]);
      assert.ok(paths().includes('/.well-known/openid-configuration'), 'fetched again');
    });
  }

  /** An RSA key the provider never signed with, under the provider's own kid. */
  async function plantedKeys() {
    const { keys } = await (await fetch(JWKS)).json();
    const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { n, e } = publicKey.export({ format: 'jwk' });
    return { keys: keys.map((k) => ({ ...k, n, e })) };
  }

  for (const [name, value] of [
    ['stale (11 minutes old)', (k) => `${Date.now() - 11 * MINUTE} ${JSON.stringify(k)}`],
    ['fetched in the future', (k) => `${Date.now() + 60 * MINUTE} ${JSON.stringify(k)}`],
    ['malformed', () => `${Date.now()} {"keys":`],
    ['without the token\'s kid, a minute old (key rotation)', () => `${Date.now() - MINUTE} {"keys":[]}`],
  ]) {
    test(`JWKS ${name}`, T, async (t) => {
      const { page } = await env.freshPage(t);
      await toCallback(page, sdkConfig());
      await store(page, JWKS, value(await plantedKeys()));
      const paths = providerPaths(page);
      expectOk(await parseHashIn(page, sdkConfig()), 'parseHash');
      assert.deepEqual(paths(), ['/.well-known/jwks.json'], 'fetched again');
    });
  }

  test('a fresh stored JWKS is used as it is: a replaced key fails the signature (same-origin script, see README)', T, async (t) => {
    const { page } = await env.freshPage(t);
    await toCallback(page, sdkConfig());
    await store(page, JWKS, `${Date.now()} ${JSON.stringify(await plantedKeys())}`);
    const outcome = await parseHashIn(page, sdkConfig());
    assert.equal(outcome.ok, false);
    assert.equal(outcome.error.error, 'id_token_signature_invalid');
  });
});

describe('loading the package', () => {
  test('the demo preloads the glue and the wasm and fetches each once; the wasm compiles as it streams', T, async (t) => {
    const { page } = await env.freshPage(t);
    const pkg = recordRequests(page, /\/pkg\//);
    const warnings = [];
    page.on('console', (m) => { if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text()); });
    await page.goto(`${APP}/`);
    await page.waitForFunction(() => !document.getElementById('status').textContent.startsWith('loading'));
    assert.deepEqual(pkg.map((u) => new URL(u).pathname).sort(), ['/pkg/spa_auth.js', '/pkg/spa_auth_bg.wasm']);
    const wasm = await page.evaluate(() => performance.getEntriesByType('resource')
      .filter((e) => e.name.endsWith('/pkg/spa_auth_bg.wasm')).map((e) => e.initiatorType));
    assert.deepEqual(wasm, ['link'], 'fetched by the preload hint, and that response used by init()');
    assert.deepEqual(warnings.filter((w) => /application\/wasm|instantiateStreaming|preload/i.test(w)), []);
  });
});
