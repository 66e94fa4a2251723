// The SDK's default flow, the authorization code with PKCE (S256), in Chromium against the local
// provider: the redirect login, silent renewal, the token request, refresh tokens a provider sends
// anyway, replays, token-endpoint errors and timeouts, and the demo. Needs pkg/.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import {
  API_AUDIENCE, APP, E2E, PROVIDER, appStorage, codeConfig, expectOk, fragmentParams, gotoE2E,
  login, parseHashIn, randomToken, recordRequests, sdkLogin, startSdkAuthorize, useEnv, verifyJwt,
  waitForReady,
} from './harness.mjs';
import { REFRESH_CLIENT, startProvider } from '../../dev/provider.mjs';
import { AUTH0_LIKE_PROVIDER } from '../../dev/constants.mjs';

const T = { timeout: 60_000 };
const SILENT_CALLBACK = `${APP}/silent-callback.html`;
const TOKEN_ENDPOINT = /^http:\/\/localhost:300[01]\/oauth\/token$/;

const env = useEnv({ sdk: true });

/**
 * Records the answered token requests of a page; `exchanges()` gives each one's method, body,
 * content type, cookie header (there must be none) and JSON answer.
 */
function recordExchanges(page) {
  const seen = [];
  page.on('requestfinished', (req) => {
    if (!TOKEN_ENDPOINT.test(req.url())) return;
    seen.push((async () => {
      const headers = await req.allHeaders();
      return {
        method: req.method(),
        body: req.postData(),
        contentType: headers['content-type'],
        cookie: headers.cookie,
        answer: await (await req.response())?.json(),
      };
    })());
  });
  return () => Promise.all(seen);
}

/** Every attempt at the token endpoint, answered or not. */
const recordTokenAttempts = (page) => recordRequests(page, TOKEN_ENDPOINT);

const s256 = (verifier) => crypto.createHash('sha256').update(verifier).digest('base64url');

/**
 * Nothing of `secrets` (tokens, the code, the verifier, refresh tokens) nor any token signature in
 * localhost:8080's cookies, localStorage or sessionStorage, and no pending transaction left.
 */
async function assertNothingStored(context, page, secrets) {
  const stored = await appStorage(context, page);
  for (const secret of secrets.filter(Boolean)) {
    assert.ok(!stored.all.includes(secret), 'a secret is in browser storage');
    const signature = secret.split('.')[2];
    if (signature) assert.ok(!stored.all.includes(signature), 'a token signature is in browser storage');
  }
  // The provider's public documents are kept (sdk-prefetch.test.mjs); discovery lists the
  // refresh_token grant among those it supports, so only the other entries are searched for the name.
  const notDocuments = [...stored.cookies, ...stored.local, ...stored.session.filter((e) => !e.startsWith('spa-auth.doc.'))];
  assert.ok(!/refresh_?token/i.test(notDocuments.join('\n')), 'a refresh token is mentioned in browser storage');
  assert.deepEqual(stored.session.filter((entry) => entry.startsWith('spa-auth.tx.')), [], 'a transaction was left behind');
}

/** A fresh context whose e2e page went through a code login; window.auth holds the tokens. */
async function loggedIn(t, config = codeConfig()) {
  const { context, page } = await env.freshPage(t);
  const { outcome } = await sdkLogin(page, { config });
  return { context, page, first: expectOk(outcome, 'login parseHash') };
}

const checkSession = (page, options = {}) =>
  page.evaluate((opts) => window.settle(() => window.auth.checkSession(opts)), options);

/** Runs parseHash({ timeout }) on a fresh WebAuth and reports what it left behind. */
const timedParseHash = (page, config, timeout) => page.evaluate(async ([cfg, ms]) => {
  window.auth = new window.WebAuth(cfg);
  const t0 = performance.now();
  const outcome = await window.settle(() => window.auth.parseHash({ timeout: ms }));
  return { ...outcome, ms: performance.now() - t0, hash: location.hash, held: window.auth.authResult ?? null };
}, [config, timeout]);

/** Holds every token request until the test ends: a token endpoint that never answers. */
async function hangTokenEndpoint(t, page) {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(TOKEN_ENDPOINT, async (route) => {
    await held;
    await route.abort().catch(() => {}); // the SDK has aborted it already
  });
  t.after(() => release());
}

/** Back from the provider with a code, before parseHash: the callback URL. */
async function codeCallback(page, config = codeConfig()) {
  await gotoE2E(page);
  await startSdkAuthorize(page, config);
  await login(page);
  const callbackUrl = page.url();
  await waitForReady(page);
  return callbackUrl;
}

describe('code + PKCE (the default)', () => {
  test('login: the code comes in the fragment and is exchanged once, without cookies, for a verified AuthResult', T, async (t) => {
    const { context, page } = await env.freshPage(t);
    const authorizeUrls = recordRequests(page, /^http:\/\/localhost:3000\/authorize\?/);
    const exchanges = recordExchanges(page);
    const appState = { returnTo: '/orders/7' };
    const { outcome, callbackUrl } = await sdkLogin(page, { config: codeConfig(), options: { appState } });
    const r = expectOk(outcome, 'parseHash');

    const sent = new URL(authorizeUrls[0]).searchParams;
    assert.equal(sent.get('response_type'), 'code');
    assert.equal(sent.get('response_mode'), 'fragment');
    assert.equal(sent.get('code_challenge_method'), 'S256');
    assert.match(sent.get('nonce'), /^[A-Za-z0-9_-]{43}$/);

    const back = new URL(callbackUrl);
    assert.equal(back.search, '', 'the code never reaches a query string');
    const fragment = fragmentParams(callbackUrl);
    assert.deepEqual(Object.keys(fragment).sort(), ['code', 'iss', 'state']);
    assert.equal(fragment.iss, PROVIDER);
    assert.equal(fragment.state, sent.get('state'));

    const [x, ...more] = await exchanges();
    assert.deepEqual(more, []);
    assert.equal(x.method, 'POST');
    assert.equal(x.contentType, 'application/x-www-form-urlencoded');
    assert.equal(x.cookie, undefined, 'credentials: omit');
    const body = new URLSearchParams(x.body);
    assert.deepEqual([...body.keys()], ['grant_type', 'code', 'code_verifier', 'redirect_uri', 'client_id']);
    assert.equal(body.get('grant_type'), 'authorization_code');
    assert.equal(body.get('code'), fragment.code);
    assert.equal(body.get('redirect_uri'), E2E);
    assert.equal(body.get('client_id'), 'spa-test');
    const verifier = body.get('code_verifier');
    assert.match(verifier, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(sent.get('code_challenge'), s256(verifier));

    assert.equal(r.accessToken, x.answer.access_token);
    assert.equal(r.idToken, x.answer.id_token);
    assert.equal(r.tokenType, 'Bearer');
    assert.equal(r.expiresIn, 3600);
    assert.equal(r.state, fragment.state);
    assert.deepEqual(r.appState, appState);
    const claims = await verifyJwt(r.idToken);
    assert.deepEqual(r.idTokenPayload, claims);
    assert.equal(claims.sub, 'ada');
    assert.equal(claims.nonce, sent.get('nonce'));
    const at = await verifyJwt(r.accessToken);
    assert.ok([at.aud].flat().includes(API_AUDIENCE));
    assert.match(r.scope, /(^| )read:messages( |$)/);

    const after = await page.evaluate(() => ({ hash: location.hash, held: window.auth.authResult?.accessToken }));
    assert.deepEqual(after, { hash: '', held: r.accessToken });
    await assertNothingStored(context, page, [r.accessToken, r.idToken, fragment.code, verifier]);
  });

  test('replaying the callback is rejected before any token request', T, async (t) => {
    const { context, page } = await env.freshPage(t);
    const { outcome, callbackUrl } = await sdkLogin(page, { config: codeConfig() });
    expectOk(outcome, 'first parseHash');
    const attempts = recordTokenAttempts(page);
    await page.goto('about:blank');
    await gotoE2E(page, callbackUrl);
    const replay = await parseHashIn(page, codeConfig());
    assert.equal(replay.ok, false);
    assert.equal(replay.error.error, 'invalid_state');
    assert.deepEqual(attempts, []);
    await assertNothingStored(context, page, [fragmentParams(callbackUrl).code]);
  });

  test('a token-endpoint error passes through typed, and the code is spent', T, async (t) => {
    const { context, page } = await env.freshPage(t);
    // A well-formed verifier that is not the one the challenge was made from.
    await page.route(TOKEN_ENDPOINT, (route) => {
      const body = new URLSearchParams(route.request().postData());
      body.set('code_verifier', randomToken(32));
      return route.continue({ postData: body.toString() });
    });
    const callbackUrl = await codeCallback(page);
    const o = await timedParseHash(page, codeConfig(), 10_000);
    assert.equal(o.ok, false);
    assert.equal(o.error.isError, true);
    assert.equal(o.error.error, 'invalid_grant');
    assert.equal(o.error.state, fragmentParams(callbackUrl).state);
    assert.equal(typeof o.error.errorDescription, 'string');
    assert.ok(!o.error.message.includes(fragmentParams(callbackUrl).code));
    assert.equal(o.hash, '');
    assert.equal(o.held, null);
    await assertNothingStored(context, page, []);
  });

  test('the token endpoint hanging: timeout at the configured time, nothing held or stored', T, async (t) => {
    const { context, page } = await env.freshPage(t);
    await hangTokenEndpoint(t, page);
    const attempts = recordTokenAttempts(page);
    const callbackUrl = await codeCallback(page);
    const o = await timedParseHash(page, codeConfig(), 2000);
    assert.equal(o.ok, false);
    assert.equal(o.error.error, 'timeout');
    assert.ok(o.ms >= 1900 && o.ms < 5000, `took ${Math.round(o.ms)} ms`);
    assert.equal(attempts.length, 1);
    assert.equal(o.hash, '');
    assert.equal(o.held, null);
    await assertNothingStored(context, page, [fragmentParams(callbackUrl).code]);
  });

  test('the token endpoint down: provider_error at once, naming the endpoint, nothing held', T, async (t) => {
    const { context, page } = await env.freshPage(t);
    await page.route(TOKEN_ENDPOINT, (route) => route.abort('connectionrefused'));
    await codeCallback(page);
    const o = await timedParseHash(page, codeConfig(), 10_000);
    assert.equal(o.ok, false);
    assert.equal(o.error.error, 'provider_error');
    assert.match(o.error.errorDescription, /^POST http:\/\/localhost:3000\/oauth\/token: no answer/);
    assert.ok(o.ms < 5000, `took ${Math.round(o.ms)} ms`);
    assert.equal(o.held, null);
    await assertNothingStored(context, page, []);
  });
});

describe('checkSession with code + PKCE', () => {
  test('web_message: the code is exchanged in memory, nothing written to storage or left in the page', T, async (t) => {
    const { context, page, first } = await loggedIn(t);
    const authorizeUrls = recordRequests(page, /^http:\/\/localhost:3000\/authorize\?.*prompt=none/);
    const exchanges = recordExchanges(page);
    await page.evaluate(() => {
      window.storageWrites = [];
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key, value) {
        window.storageWrites.push(key);
        return setItem.call(this, key, value);
      };
    });
    const r = expectOk(await checkSession(page), 'checkSession');

    const sent = new URL(authorizeUrls[0]).searchParams;
    assert.equal(sent.get('response_type'), 'code');
    assert.equal(sent.get('response_mode'), 'web_message');
    assert.equal(sent.get('code_challenge_method'), 'S256');
    const [x, ...more] = await exchanges();
    assert.deepEqual(more, []);
    const body = new URLSearchParams(x.body);
    assert.equal(sent.get('code_challenge'), s256(body.get('code_verifier')));
    assert.equal(body.get('redirect_uri'), E2E);
    assert.equal(x.cookie, undefined);

    assert.notEqual(r.accessToken, first.accessToken);
    assert.equal((await verifyJwt(r.idToken)).nonce, sent.get('nonce'));
    await verifyJwt(r.accessToken);
    const page2 = await page.evaluate(() => ({
      writes: window.storageWrites, held: window.auth.authResult?.accessToken,
      iframes: document.querySelectorAll('iframe').length, listeners: window.messageListeners,
    }));
    assert.deepEqual(page2, { writes: [], held: r.accessToken, iframes: 0, listeners: 0 });
    await assertNothingStored(context, page, [r.accessToken, r.idToken, body.get('code'), body.get('code_verifier')]);
  });

  test("responseMode 'fragment' through silent-callback.html", T, async (t) => {
    const { page, first } = await loggedIn(t, codeConfig({ silentRedirectUri: SILENT_CALLBACK }));
    const authorizeUrls = recordRequests(page, /^http:\/\/localhost:3000\/authorize\?.*prompt=none/);
    const exchanges = recordExchanges(page);
    const r = expectOk(await checkSession(page, { responseMode: 'fragment' }), 'checkSession (fragment)');
    const sent = new URL(authorizeUrls[0]).searchParams;
    assert.equal(sent.get('response_mode'), 'fragment');
    assert.equal(sent.get('redirect_uri'), SILENT_CALLBACK);
    assert.equal(new URLSearchParams((await exchanges())[0].body).get('redirect_uri'), SILENT_CALLBACK);
    assert.notEqual(r.accessToken, first.accessToken);
    await verifyJwt(r.idToken);
  });

  test('the token endpoint hanging: timeout within the call\'s time, the old tokens kept, nothing left', T, async (t) => {
    const { context, page, first } = await loggedIn(t);
    await hangTokenEndpoint(t, page);
    const o = await page.evaluate(async () => {
      const t0 = performance.now();
      const outcome = await window.settle(() => window.auth.checkSession({ timeout: 3000 }));
      return { ...outcome, ms: performance.now() - t0, held: window.auth.authResult?.accessToken,
        iframes: document.querySelectorAll('iframe').length, listeners: window.messageListeners };
    });
    assert.equal(o.ok, false);
    assert.equal(o.error.error, 'timeout');
    assert.ok(o.ms >= 2900 && o.ms < 6000, `took ${Math.round(o.ms)} ms`);
    assert.equal(o.held, first.accessToken);
    assert.equal(o.iframes, 0);
    assert.equal(o.listeners, 0);
    await assertNothingStored(context, page, [first.accessToken, first.idToken]);
  });
});

describe('the rest of the API with code', () => {
  test('auto-renew, auth.fetch and the logout URL work the same', T, async (t) => {
    const { page, first } = await loggedIn(t, codeConfig({ clientId: 'spa-short' }));
    assert.equal(first.expiresIn, 30);
    const exchanges = recordTokenAttempts(page);
    const renewal = await page.evaluate(() => new Promise((resolve) => {
      window.auth.startAutoRenew({
        secondsBeforeExpiry: 25,
        onRenewed: (r) => resolve({ ok: true, accessToken: r.accessToken }),
        onRenewFailed: (e) => resolve({ ok: false, error: e.error }),
      });
    }));
    await page.evaluate(() => window.auth.stopAutoRenew());
    assert.equal(renewal.ok, true, JSON.stringify(renewal));
    assert.notEqual(renewal.accessToken, first.accessToken);
    assert.equal(exchanges.length, 1, 'the renewal exchanged one code');

    const api = await page.evaluate(() => window.settle(async () => {
      const res = await window.auth.fetch('/api/messages');
      return { status: res.status, body: await res.json() };
    }));
    assert.equal(expectOk(api, 'auth.fetch').status, 200);
    assert.equal(api.value.body.client_id, 'spa-short');

    const logout = new URL(await page.evaluate(() => window.auth.buildLogoutUrl({ returnTo: 'http://localhost:8080/e2e.html' })));
    assert.equal(logout.origin + logout.pathname, `${PROVIDER}/v2/logout`);
    assert.equal(logout.searchParams.get('id_token_hint'), await page.evaluate(() => window.auth.authResult.idToken));
  });
});

describe('refresh tokens', () => {
  test('a provider that issues them anyway (spa-refresh): none reaches the result, memory or storage', { timeout: 90_000 }, async (t) => {
    const op = await startProvider({ port: 3001, refreshTokens: true });
    t.after(() => op.close());
    const config = codeConfig({ issuer: AUTH0_LIKE_PROVIDER, clientId: REFRESH_CLIENT });
    const { context, page } = await env.freshPage(t);
    const exchanges = recordExchanges(page);
    const { outcome } = await sdkLogin(page, { config, provider: AUTH0_LIKE_PROVIDER });
    const r = expectOk(outcome, 'parseHash');
    const renewed = expectOk(await checkSession(page), 'checkSession');

    const refreshTokens = (await exchanges()).map((x) => x.answer?.refresh_token);
    assert.equal(refreshTokens.length, 2);
    assert.ok(refreshTokens.every((rt) => typeof rt === 'string' && rt.length > 0), 'the provider did issue refresh tokens');

    const held = await page.evaluate(() => JSON.stringify(window.auth.authResult));
    for (const seen of [JSON.stringify(r), JSON.stringify(renewed), held]) {
      assert.ok(!/refresh_?token/i.test(seen), 'a refresh token is mentioned in a result');
      for (const rt of refreshTokens) assert.ok(!seen.includes(rt), 'a refresh token reached the app');
    }
    await assertNothingStored(context, page, [...refreshTokens, r.accessToken, r.idToken, renewed.accessToken]);
  });
});

describe('the demo', () => {
  test('says it uses code + PKCE and logs in with it', T, async (t) => {
    const { context, page } = await env.freshPage(t);
    const exchanges = recordExchanges(page);
    await page.goto(`${APP}/`);
    await page.waitForSelector('#btn-login:not([disabled])');
    assert.match(await page.textContent('body'), /authorization code \+ PKCE/i);
    await Promise.all([page.waitForURL((u) => u.origin === PROVIDER), page.click('#btn-login')]);
    await login(page);
    await page.waitForSelector('#signed-in:not([hidden])');
    assert.equal(await page.textContent('#user-name'), 'Ada Lovelace');
    const [x, ...more] = await exchanges();
    assert.deepEqual(more, []);
    assert.equal(new URL(page.url()).hash, '');
    await assertNothingStored(context, page, [x.answer.access_token, x.answer.id_token]);
  });
});
