// The SDK's redirect login (authorize → provider → parseHash) in Chromium against the local
// provider. Needs pkg/ (wasm-pack build --release --target web --out-dir pkg).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  API_AUDIENCE, E2E, PROVIDER, appStorage, expectOk, fragmentParams, gotoE2E, login,
  parseHashIn, recordRequests, sdkConfig, sdkLogin, startSdkAuthorize, verifyJwt,
  waitForReady,
  useEnv,
} from './harness.mjs';
import { startProvider } from '../../dev/provider.mjs';

const T = { timeout: 60_000 };

const env = useEnv({ sdk: true });

const freshPage = (t) => env.freshPage(t);

/** No trace of the tokens (nor of any refresh token) in what localhost:8080 stores. */
async function assertNoTokensStored(context, page, result) {
  const stored = await appStorage(context, page);
  for (const [name, token] of [['access token', result.accessToken], ['ID token', result.idToken]]) {
    if (!token) continue;
    const signature = token.split('.')[2];
    assert.ok(!stored.all.includes(token), `${name} found in browser storage`);
    assert.ok(!stored.all.includes(signature), `${name} signature found in browser storage`);
  }
  assert.ok(!/refresh_token|refreshToken/.test(stored.all), 'refresh token mentioned in browser storage');
}

describe('SDK login', () => {
  test('the e2e page loads the wasm package; bad configuration is refused', T, async (t) => {
    const { page } = await freshPage(t);
    await gotoE2E(page);
    assert.equal(await page.evaluate(() => document.body.dataset.ready), '1');
    assert.equal(await page.evaluate(() => typeof window.WebAuth), 'function');

    const missingClient = await page.evaluate(() => window.settle(() => new window.WebAuth({
      issuer: 'http://localhost:3000', redirectUri: 'http://localhost:8080/e2e.html',
    })));
    assert.equal(missingClient.ok, false);
    assert.equal(missingClient.error.isError, true);
    assert.equal(missingClient.error.error, 'invalid_configuration');
  });

  test('authorize → login → parseHash gives a verified AuthResult and cleans the URL', T, async (t) => {
    const { context, page } = await freshPage(t);
    const appState = { returnTo: '/orders/42', n: 7 };
    const before = Date.now();
    const { outcome, callbackUrl } = await sdkLogin(page, { options: { appState } });
    const r = expectOk(outcome, 'parseHash');

    // What came back in the URL (before parseHash cleaned it).
    const fragment = fragmentParams(callbackUrl);
    assert.ok(callbackUrl.startsWith(`${E2E}#`), callbackUrl);
    assert.ok(fragment.access_token && fragment.id_token && fragment.state);
    assert.equal(fragment.refresh_token, undefined);

    // ID token claims.
    const p = r.idTokenPayload;
    assert.equal(p.sub, 'ada');
    assert.equal(p.name, 'Ada Lovelace');
    assert.equal(p.email, 'ada@example.test');
    assert.equal(p.iss, PROVIDER);
    assert.equal(p.aud, 'spa-test');
    assert.equal(typeof p.nonce, 'string');
    assert.ok(p.nonce.length >= 16, 'nonce should be long and random');
    assert.equal(r.idToken, fragment.id_token);
    assert.deepEqual(await verifyJwt(r.idToken), p);

    // Access token: a JWT for the API.
    assert.equal(r.accessToken, fragment.access_token);
    const at = await verifyJwt(r.accessToken);
    assert.ok([at.aud].flat().includes(API_AUDIENCE));
    assert.match(r.scope, /(^| )read:messages( |$)/);
    assert.match(r.tokenType, /^bearer$/i);
    assert.equal(r.expiresIn, 3600);
    assert.ok(Math.abs(r.expiresAt - (Date.now() + r.expiresIn * 1000)) < 10_000, `expiresAt ${r.expiresAt}`);
    assert.ok(r.expiresAt > before + 3500 * 1000);
    assert.equal(r.state, fragment.state);
    assert.deepEqual(r.appState, appState);
    assert.equal(r.refreshToken, undefined);
    assert.ok(!('refresh_token' in r));

    // Held in memory, URL cleaned.
    const page2 = await page.evaluate(() => ({
      hash: location.hash, href: location.href, held: window.auth.authResult?.accessToken, expired: window.auth.isExpired(),
    }));
    assert.equal(page2.hash, '');
    assert.ok(!page2.href.includes('access_token') && !page2.href.includes('id_token'), page2.href);
    assert.equal(page2.held, r.accessToken);
    assert.equal(page2.expired, false);

    await assertNoTokensStored(context, page, r);
  });

  test('domain: Auth0 conventions against an Auth0-shaped issuer (https://{domain}/)', T, async (t) => {
    const auth0Like = await startProvider({ port: 3001, issuer: 'http://localhost:3001/' });
    t.after(() => auth0Like.close());
    const config = { ...sdkConfig(), issuer: undefined, domain: 'http://localhost:3001' };
    const { page } = await freshPage(t);
    const authorizeRequests = recordRequests(page, /^http:\/\/localhost:3001\/authorize\?/);
    const { outcome } = await sdkLogin(page, { config, provider: 'http://localhost:3001' });
    const r = expectOk(outcome, 'parseHash');
    assert.equal(r.idTokenPayload.iss, 'http://localhost:3001/');
    assert.equal(r.idTokenPayload.sub, 'ada');
    assert.equal(authorizeRequests.length, 1, 'https://{domain}/authorize');
    const logoutUrl = await page.evaluate(() => window.auth.buildLogoutUrl({ returnTo: 'http://localhost:8080/' }));
    assert.equal(logoutUrl, 'http://localhost:3001/v2/logout?client_id=spa-test&returnTo=http%3A%2F%2Flocalhost%3A8080%2F');
  });

  test('replaying the same callback URL is rejected with invalid_state', T, async (t) => {
    const { page } = await freshPage(t);
    const { outcome, callbackUrl } = await sdkLogin(page);
    expectOk(outcome, 'first parseHash');

    await page.goto('about:blank');
    await gotoE2E(page, callbackUrl);
    const replay = await parseHashIn(page, sdkConfig());
    assert.equal(replay.ok, false, 'a used state must not be accepted twice');
    assert.equal(replay.error.error, 'invalid_state');
    assert.equal(replay.error.isError, true);
  });

  test('an ID token from another login, under this login\'s state, is refused for its nonce', T, async (t) => {
    const { page } = await freshPage(t);
    // Login A completes at the provider; its answer is kept, not parsed.
    await gotoE2E(page);
    await startSdkAuthorize(page, sdkConfig());
    await login(page);
    const stolen = fragmentParams(page.url());
    // Login B: its transaction (state, nonce) is pending when A's tokens arrive under B's state.
    await gotoE2E(page);
    await startSdkAuthorize(page, sdkConfig());
    await login(page);
    const own = fragmentParams(page.url());
    assert.notEqual(stolen.state, own.state);
    const injected = new URLSearchParams({ ...stolen, state: own.state });
    await gotoE2E(page, `${E2E}#${injected}`);
    const outcome = await parseHashIn(page, sdkConfig());
    assert.equal(outcome.ok, false, 'tokens minted for another transaction must be refused');
    assert.equal(outcome.error.error, 'id_token_nonce_mismatch');
  });

  test('a provider error (prompt=none, no session) rejects with its code and the state', T, async (t) => {
    const { page } = await freshPage(t);
    await gotoE2E(page);
    await startSdkAuthorize(page, sdkConfig(), { prompt: 'none' });
    await login(page); // returns at once: the provider redirects straight back with the error
    const fragment = fragmentParams(page.url());
    assert.equal(fragment.error, 'login_required');
    await waitForReady(page);
    const outcome = await parseHashIn(page, sdkConfig());
    assert.equal(outcome.ok, false);
    assert.equal(outcome.error.isError, true);
    assert.equal(outcome.error.error, 'login_required');
    assert.equal(outcome.error.state, fragment.state);
    assert.equal(typeof outcome.error.errorDescription, 'string');
  });

  test('offline_access is refused with invalid_scope before any navigation', T, async (t) => {
    const { page } = await freshPage(t);
    await gotoE2E(page);
    const toProvider = recordRequests(page, /^http:\/\/localhost:3000\/authorize/);
    const outcomes = await page.evaluate(async (cfg) => {
      const auth = new window.WebAuth(cfg);
      return {
        authorize: await window.settle(() => auth.authorize({ scope: 'openid profile offline_access' })),
        build: await window.settle(() => auth.buildAuthorizeUrl({ scope: 'openid offline_access' })),
        silent: await window.settle(() => auth.checkSession({ scope: 'openid offline_access' })),
      };
    }, sdkConfig());
    for (const [name, o] of Object.entries(outcomes)) {
      assert.equal(o.ok, false, `${name} accepted offline_access`);
      assert.equal(o.error.error, 'invalid_scope', name);
    }
    assert.equal(page.url(), E2E);
    assert.deepEqual(toProvider, []);
  });

  test('buildAuthorizeUrl gives a usable URL and stores its transaction', T, async (t) => {
    const { page } = await freshPage(t);
    await gotoE2E(page);
    const built = expectOk(await page.evaluate(
      (cfg) => window.settle(() => new window.WebAuth(cfg).buildAuthorizeUrl({ loginHint: 'ada' })),
      sdkConfig(),
    ), 'buildAuthorizeUrl');
    const url = new URL(built);
    assert.equal(url.origin + url.pathname, `${PROVIDER}/authorize`);
    const q = url.searchParams;
    assert.equal(q.get('client_id'), 'spa-test');
    assert.equal(q.get('redirect_uri'), E2E);
    assert.equal(q.get('response_type'), 'id_token token');
    assert.ok(q.get('scope').split(' ').includes('openid'));
    assert.ok(q.get('state')?.length >= 16, 'state should be long and random');
    assert.ok(q.get('nonce')?.length >= 16, 'nonce should be long and random');
    assert.equal(q.get('login_hint'), 'ada');

    await page.goto(built);
    await login(page);
    await waitForReady(page);
    const r = expectOk(await parseHashIn(page, sdkConfig()), 'parseHash');
    assert.equal(r.state, q.get('state'));
    assert.equal(r.idTokenPayload.nonce, q.get('nonce'));
  });

  test('two tabs authorizing at once both complete', T, async (t) => {
    const { context, page: a } = await freshPage(t);
    const b = await context.newPage();
    await Promise.all([gotoE2E(a), gotoE2E(b)]);
    // Both transactions are pending at the same time before either tab logs in.
    await Promise.all([startSdkAuthorize(a, sdkConfig()), startSdkAuthorize(b, sdkConfig())]);
    await login(a);
    await login(b);
    await Promise.all([waitForReady(a), waitForReady(b)]);
    const [ra, rb] = [
      expectOk(await parseHashIn(a, sdkConfig()), 'tab A parseHash'),
      expectOk(await parseHashIn(b, sdkConfig()), 'tab B parseHash'),
    ];
    assert.equal(ra.idTokenPayload.sub, 'ada');
    assert.equal(rb.idTokenPayload.sub, 'ada');
    assert.notEqual(ra.state, rb.state);
    assert.notEqual(ra.idTokenPayload.nonce, rb.idTokenPayload.nonce);
    assert.notEqual(ra.accessToken, rb.accessToken);
    await assertNoTokensStored(context, a, ra);
    await assertNoTokensStored(context, b, rb);
  });
});

describe('the callback', () => {
  test('an error in a link, with a state that names no pending login, is invalid_state, not the attacker\'s text', T, async (t) => {
    const { page } = await freshPage(t);
    for (const hash of [
      // With the issuer's iss, as a forger would copy it (RFC 9207 is no defence here).
      '#error=access_denied&error_description=Your%20account%20is%20locked%3A%20call%20%2B1%20555&state=forged&iss=http%3A%2F%2Flocalhost%3A3000',
      '#error=access_denied&error_description=Your%20account%20is%20locked%3A%20call%20%2B1%20555&iss=http%3A%2F%2Flocalhost%3A3000',
    ]) {
      await gotoE2E(page, `${E2E}${hash}`);
      const o = await parseHashIn(page, sdkConfig());
      assert.equal(o.ok, false);
      assert.equal(o.error.error, 'invalid_state', hash);
      assert.doesNotMatch(o.error.errorDescription, /555|locked/);
      await page.goto('about:blank');
    }
  });

  test('parseHash takes the response out of the address bar before it returns; concurrent calls share one parse', T, async (t) => {
    const { page } = await freshPage(t);
    await gotoE2E(page);
    await startSdkAuthorize(page, sdkConfig());
    await login(page);
    await waitForReady(page);
    const o = await page.evaluate(async (cfg) => {
      window.auth = new window.WebAuth(cfg);
      // React StrictMode runs an effect twice: two calls, one response.
      const first = window.settle(() => window.auth.parseHash());
      const hrefRightAfter = location.href;
      const second = window.settle(() => window.auth.parseHash());
      return { hrefRightAfter, first: await first, second: await second, href: location.href };
    }, sdkConfig());
    assert.equal(o.hrefRightAfter, E2E, 'no token left in the address bar');
    const a = expectOk(o.first, 'first parseHash');
    const b = expectOk(o.second, 'second parseHash');
    assert.equal(a.state, b.state);
    assert.equal(a.accessToken, b.accessToken);
    assert.equal(o.href, E2E);
  });

  test('a history.replaceState that throws cannot lose the verified result', T, async (t) => {
    const { page } = await freshPage(t);
    await gotoE2E(page);
    await startSdkAuthorize(page, sdkConfig());
    await login(page);
    await waitForReady(page);
    const o = await page.evaluate((cfg) => {
      history.replaceState = () => { throw new DOMException('refused', 'SecurityError'); };
      window.auth = new window.WebAuth(cfg);
      return window.settle(() => window.auth.parseHash());
    }, sdkConfig());
    const r = expectOk(o, 'parseHash');
    assert.equal(r.idTokenPayload.sub, 'ada');
    assert.equal(await page.evaluate(() => window.auth.authResult?.accessToken), r.accessToken);
  });

  test('an error in the query is the answer for its pending login (and only then), and leaves the URL', T, async (t) => {
    const { page } = await freshPage(t);
    await gotoE2E(page);
    const built = expectOk(await page.evaluate(
      (cfg) => window.settle(() => new window.WebAuth(cfg).buildAuthorizeUrl()),
      sdkConfig(),
    ), 'buildAuthorizeUrl');
    const state = new URL(built).searchParams.get('state');
    const callback = (s) => `${E2E}?tab=2&error=login_required&error_description=Log%20in&state=${encodeURIComponent(s)}` +
      `&iss=${encodeURIComponent(PROVIDER)}#/orders`;

    await gotoE2E(page, callback('not-pending'));
    const unknown = await parseHashIn(page, sdkConfig());
    assert.deepEqual(unknown, { ok: true, value: null }, 'not ours: the app\'s own query');
    assert.equal(page.url(), callback('not-pending'), 'left alone');

    await gotoE2E(page, callback(state));
    const o = await parseHashIn(page, sdkConfig());
    assert.equal(o.ok, false);
    assert.equal(o.error.error, 'login_required');
    assert.equal(o.error.state, state);
    assert.equal(page.url(), `${E2E}?tab=2#/orders`, 'the response is gone, the app\'s parameters stay');

    await gotoE2E(page, callback(state));
    assert.deepEqual(await parseHashIn(page, sdkConfig()), { ok: true, value: null }, 'consumed');
  });
});

describe('authorize() and storage', () => {
  test('sessionStorage refusing the transaction fails authorize() before navigating', T, async (t) => {
    const { page } = await freshPage(t);
    await gotoE2E(page);
    const toProvider = recordRequests(page, /^http:\/\/localhost:3000\/authorize/);
    const o = await page.evaluate(async (cfg) => {
      const auth = new window.WebAuth(cfg);
      // A full quota, for real: an appState larger than sessionStorage takes.
      const huge = await window.settle(() => auth.authorize({ appState: 'x'.repeat(12 * 1024 * 1024) }));
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = () => { throw new DOMException('refused', 'SecurityError'); };
      const refused = await window.settle(() => auth.authorize());
      Storage.prototype.setItem = setItem;
      // The provider's public documents may be stored (sdk-prefetch.test.mjs); no transaction may.
      return { huge, refused, stored: Object.keys(sessionStorage).filter((k) => !k.startsWith('spa-auth.doc.')) };
    }, sdkConfig());
    for (const name of ['huge', 'refused']) {
      assert.equal(o[name].ok, false, name);
      assert.equal(o[name].error.error, 'storage_unavailable', name);
    }
    assert.deepEqual(o.stored, []);
    assert.equal(page.url(), E2E);
    assert.deepEqual(toProvider, []);
  });
});
