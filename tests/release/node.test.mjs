// The release package (pkg/, built by wasm-pack with wasm-opt) instantiates and works in Node.
// This catches a broken wasm-opt, which `wasm-pack test` never runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { initSync, WebAuth } from '../../pkg/spa_auth.js';

initSync({ module: readFileSync(new URL('../../pkg/spa_auth_bg.wasm', import.meta.url)) });

const options = { domain: 'tenant.auth0.com', clientId: 'abc', redirectUri: 'https://app.example/callback', responseType: 'id_token token' };

/** A sessionStorage in memory, as a browser tab has: Node has none. */
function memoryStorage() {
  const items = new Map();
  return {
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => { items.set(k, String(v)); },
    removeItem: (k) => { items.delete(k); },
    key: (i) => [...items.keys()][i] ?? null,
    get length() { return items.size; },
  };
}
globalThis.sessionStorage = memoryStorage();

test('without sessionStorage a login cannot be started: storage_unavailable', async () => {
  const saved = globalThis.sessionStorage;
  delete globalThis.sessionStorage;
  try {
    const auth = new WebAuth(options);
    await assert.rejects(auth.buildAuthorizeUrl(), (e) => e.error === 'storage_unavailable');
    auth.free();
  } finally {
    globalThis.sessionStorage = saved;
  }
});

test('the release build builds an exact Auth0 authorize URL with fresh state and nonce', async () => {
  const auth = new WebAuth(options);
  const url = new URL(await auth.buildAuthorizeUrl({ audience: 'https://api.example/', appState: { returnTo: '/orders' } }));
  assert.equal(url.origin + url.pathname, 'https://tenant.auth0.com/authorize');
  const p = url.searchParams;
  assert.equal(p.get('client_id'), 'abc');
  assert.equal(p.get('response_type'), 'id_token token');
  assert.equal(p.get('scope'), 'openid profile email');
  assert.equal(p.get('audience'), 'https://api.example/');
  assert.match(p.get('state'), /^[A-Za-z0-9_-]{43}$/);
  assert.match(p.get('nonce'), /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(p.get('state'), p.get('nonce'));
  auth.free();
});

test('by default the release build asks for a code with an S256 PKCE challenge, in the fragment', async () => {
  const { responseType, ...defaults } = options;
  const auth = new WebAuth(defaults);
  const p = new URL(await auth.buildAuthorizeUrl()).searchParams;
  assert.equal(p.get('response_type'), 'code');
  assert.equal(p.get('response_mode'), 'fragment');
  assert.equal(p.get('code_challenge_method'), 'S256');
  assert.match(p.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
  assert.match(p.get('nonce'), /^[A-Za-z0-9_-]{43}$/);
  auth.free();
});

test('the release build rejects bad configuration with a typed error', () => {
  assert.throws(() => new WebAuth({ ...options, redirectUri: 'http://app.example/' }), (e) =>
    e instanceof Error && e.error === 'invalid_configuration' && /redirectUri must use https/.test(e.errorDescription));
  assert.throws(() => new WebAuth({ ...options, scope: 'openid offline_access' }), (e) => e.error === 'invalid_scope');
  assert.throws(() => new WebAuth({ ...options, clientId: 42 }), (e) => e.errorDescription === 'clientId must be a string');
  assert.throws(() => new WebAuth('tenant'), (e) => e.error === 'invalid_configuration');
});

test('the release build refuses offline_access and caller-made state before anything else', async () => {
  const auth = new WebAuth(options);
  await assert.rejects(auth.buildAuthorizeUrl({ scope: 'openid offline_access' }), (e) => e.error === 'invalid_scope');
  await assert.rejects(auth.buildAuthorizeUrl({ state: 'mine' }), (e) => e.error === 'invalid_request');
  await assert.rejects(auth.parseHash({ hash: '#id_token=x&state=never-issued' }), (e) =>
    e.error === 'invalid_state' && e.state === 'never-issued');
  assert.equal(await auth.parseHash({ hash: '#/orders' }), null);
  auth.free();
});

test('the release build builds Auth0 and OIDC logout URLs', async () => {
  const auth0 = new WebAuth(options);
  assert.equal(await auth0.buildLogoutUrl({ returnTo: 'https://app.example/' }),
    'https://tenant.auth0.com/v2/logout?client_id=abc&returnTo=https%3A%2F%2Fapp.example%2F');
  await assert.rejects(auth0.buildLogoutUrl({ returnTo: 'http://evil.example/' }), (e) => e.error === 'invalid_request');
  auth0.free();
});
