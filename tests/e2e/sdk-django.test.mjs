// The SDK against the second real OpenID Provider, django-oauth-toolkit 3.x (dev/django), in
// Chromium: redirect login (implicit, and code + PKCE), silent renewal through silentRedirectUri
// (this provider has no web_message, and the SDK chooses the fragment mode from its discovery
// document), errors that it answers in the query, a provider session that changes hands, and
// logout through its end_session_endpoint. The provider is started and stopped here; the app server and the first
// provider by the harness. Needs pkg/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DJANGO_CLIENT_ID, DJANGO_USERS, startDjangoProvider } from '../../dev/django/start.mjs';
import { DJANGO_PROVIDER } from '../../dev/constants.mjs';
import {
  APP, E2E, appStorage, expectOk, gotoE2E, parseHashIn, recordRequests, startSdkAuthorize,
  useEnv, waitForReady,
} from './harness.mjs';

const T = { timeout: 60_000 };
const ISSUER = `${DJANGO_PROVIDER}/o`;
const SILENT_CALLBACK = `${APP}/silent-callback.html`;
const AUTHORIZE = /^http:\/\/localhost:8000\/o\/authorize\/\?/;

/** The implicit flow, named explicitly: most tests here are about it. */
const config = (overrides = {}) => ({
  issuer: ISSUER,
  clientId: DJANGO_CLIENT_ID,
  redirectUri: E2E,
  scope: 'openid profile email',
  silentRedirectUri: SILENT_CALLBACK,
  responseType: 'id_token token',
  ...overrides,
});

/** The default flow, code + PKCE. */
const codeConfig = (overrides = {}) => config({ responseType: undefined, ...overrides });

const env = useEnv({ sdk: true });
let provider;
before(async () => {
  provider = await startDjangoProvider({ port: 8000 });
});
after(async () => {
  await provider?.close();
});

/** Fills and submits Django's login page, which the page must be on. */
async function submitLogin(page, login) {
  await page.waitForURL((u) => u.pathname === '/accounts/login/');
  await page.fill('input[name=username]', login);
  await page.fill('input[name=password]', DJANGO_USERS[login]);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

/** authorize() → Django's login page → back at the app → parseHash(); window.auth holds the tokens. */
async function djangoLogin(page, { who = 'ada', cfg = config(), options = {} } = {}) {
  await gotoE2E(page);
  await startSdkAuthorize(page, cfg, options, DJANGO_PROVIDER);
  await submitLogin(page, who);
  await page.waitForURL((u) => u.origin === APP);
  const callbackUrl = page.url();
  await waitForReady(page);
  return { outcome: await parseHashIn(page, cfg), callbackUrl };
}

async function loggedIn(t, who = 'ada', cfg = config()) {
  const { context, page } = await env.freshPage(t);
  const { outcome } = await djangoLogin(page, { who, cfg });
  return { context, page, first: expectOk(outcome, 'login parseHash') };
}

const checkSession = (page, options = {}) =>
  page.evaluate((opts) => window.settle(() => window.auth.checkSession(opts)), options);

describe('the SDK against django-oauth-toolkit', () => {
  test('redirect login (implicit): a verified result whose expiresAt follows the 600 s access token', T, async (t) => {
    const { context, page } = await env.freshPage(t);
    const before = Date.now();
    const { outcome, callbackUrl } = await djangoLogin(page, { options: { appState: { to: '/x' } } });
    const r = expectOk(outcome, 'parseHash');
    assert.ok(new URL(callbackUrl).hash.includes('access_token='), callbackUrl);
    assert.equal(r.idTokenPayload.iss, ISSUER);
    assert.equal(r.idTokenPayload.aud, DJANGO_CLIENT_ID);
    assert.equal(r.idTokenPayload.preferred_username, 'ada');
    assert.equal(r.idTokenPayload.name, 'Ada Lovelace');
    assert.deepEqual(r.appState, { to: '/x' });
    assert.equal(r.expiresIn, 600);
    assert.ok(Math.abs(r.expiresAt - (before + 600_000)) < 20_000, `expiresAt ${r.expiresAt - before} ms ahead`);
    assert.ok(r.expiresAt < r.idTokenPayload.exp * 1000 - 2_000_000, 'the access token, not the 3600 s ID token');
    assert.equal(await page.evaluate(() => location.href), E2E);
    const stored = await appStorage(context, page);
    assert.ok(!stored.all.includes(r.accessToken) && !stored.all.includes(r.idToken));
  });

  test('redirect login (code + PKCE): the code in the fragment, exchanged cross-origin, no refresh token', T, async (t) => {
    const { context, page } = await env.freshPage(t);
    const tokenRequests = recordRequests(page, /^http:\/\/localhost:8000\/o\/token\/$/);
    const { outcome, callbackUrl } = await djangoLogin(page, { cfg: codeConfig() });
    const r = expectOk(outcome, 'parseHash');
    const back = new URL(callbackUrl);
    assert.ok(new URLSearchParams(back.hash.slice(1)).get('code'), callbackUrl);
    assert.equal(back.search, '', 'the code came in the fragment (response_mode=fragment)');
    assert.equal(tokenRequests.length, 1);
    assert.equal(r.idTokenPayload.preferred_username, 'ada');
    assert.equal(r.expiresIn, 600, 'a JSON number from the token endpoint');
    assert.equal(r.refreshToken, undefined);
    assert.equal(await page.evaluate(() => location.href), E2E);
    const stored = await appStorage(context, page);
    assert.ok(!stored.all.includes(r.accessToken) && !/refresh/i.test(stored.all));
  });

  test('checkSession with code + PKCE through silentRedirectUri: the code is exchanged in memory', T, async (t) => {
    const { context, page, first } = await loggedIn(t, 'ada', codeConfig());
    const silent = recordRequests(page, AUTHORIZE);
    const r = expectOk(await checkSession(page), 'checkSession');
    assert.notEqual(r.accessToken, first.accessToken);
    assert.equal(r.idTokenPayload.sub, first.idTokenPayload.sub);
    const q = new URL(silent[0]).searchParams;
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('response_mode'), 'fragment');
    assert.equal(q.get('redirect_uri'), SILENT_CALLBACK);
    assert.equal(q.get('id_token_hint'), first.idToken);
    const stored = await appStorage(context, page);
    // Only the provider's public documents (sdk-prefetch.test.mjs): no transaction, no verifier.
    const kept = stored.session.filter((entry) => !entry.startsWith('spa-auth.doc.'));
    assert.deepEqual(kept, [], 'nothing stored for a silent call');
  });

  test('checkSession picks the fragment mode through silentRedirectUri, with id_token_hint', T, async (t) => {
    const { page, first } = await loggedIn(t);
    const silent = recordRequests(page, AUTHORIZE);
    const relayed = recordRequests(page, /^http:\/\/localhost:8080\/silent-callback\.html/);
    const r = expectOk(await checkSession(page), 'checkSession');
    assert.notEqual(r.accessToken, first.accessToken);
    assert.equal(r.idTokenPayload.sub, first.idTokenPayload.sub);
    assert.equal(r.expiresIn, 600);
    assert.equal(silent.length, 1);
    const q = new URL(silent[0]).searchParams;
    assert.equal(q.get('prompt'), 'none');
    assert.equal(q.get('response_mode'), null, 'the provider lists no web_message');
    assert.equal(q.get('redirect_uri'), SILENT_CALLBACK);
    assert.equal(q.get('id_token_hint'), first.idToken);
    assert.equal(relayed.length, 1);
    assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length), 0);
  });

  test('without silentRedirectUri, checkSession says what to configure at once', T, async (t) => {
    const { page } = await env.freshPage(t);
    await gotoE2E(page);
    const o = await page.evaluate(async (cfg) => {
      const t0 = performance.now();
      const outcome = await window.settle(() => new window.WebAuth(cfg).checkSession());
      return { ...outcome, ms: performance.now() - t0, frames: document.querySelectorAll('iframe').length };
    }, config({ silentRedirectUri: undefined }));
    assert.equal(o.ok, false);
    assert.equal(o.error.error, 'invalid_configuration');
    assert.match(o.error.errorDescription, /web_message.*silentRedirectUri/s);
    assert.ok(o.ms < 5000, `took ${Math.round(o.ms)} ms`);
    assert.equal(o.frames, 0);
  });

  test('auto-renew renews in the same mode', T, async (t) => {
    const { page, first } = await loggedIn(t);
    const silent = recordRequests(page, AUTHORIZE);
    await page.evaluate(() => {
      window.renewals = [];
      window.failures = [];
      window.auth.startAutoRenew({
        secondsBeforeExpiry: 598,
        onRenewed: (r) => window.renewals.push(r.accessToken),
        onRenewFailed: (e) => window.failures.push(e.error),
      });
    });
    await page.waitForFunction(() => window.renewals.length + window.failures.length > 0, null, { timeout: 20_000 });
    const o = await page.evaluate(() => ({ renewals: window.renewals, failures: window.failures }));
    await page.evaluate(() => window.auth.stopAutoRenew());
    assert.deepEqual(o.failures, []);
    assert.notEqual(o.renewals[0], first.accessToken);
    assert.equal(new URL(silent[0]).searchParams.get('redirect_uri'), SILENT_CALLBACK);
  });

  test('login_required in the query: parseHash rejects with it for the pending login, and cleans the URL', T, async (t) => {
    const { context, page } = await env.freshPage(t);
    await gotoE2E(page);
    await startSdkAuthorize(page, config(), { prompt: 'none' }, DJANGO_PROVIDER);
    await page.waitForURL((u) => u.origin === APP);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('error'), 'login_required', 'this provider answers in the query');
    const state = url.searchParams.get('state');
    await waitForReady(page);
    const o = await parseHashIn(page, config());
    assert.equal(o.ok, false);
    assert.equal(o.error.error, 'login_required');
    assert.equal(o.error.state, state);
    assert.equal(await page.evaluate(() => location.href), E2E);
    const stored = await appStorage(context, page);
    assert.ok(!stored.session.some((entry) => entry.includes(state)), 'the transaction is consumed');
  });

  test('checkSession without a provider session: login_required relayed from the query at once', T, async (t) => {
    const { page } = await env.freshPage(t);
    await gotoE2E(page);
    const o = await page.evaluate(async (cfg) => {
      const t0 = performance.now();
      const outcome = await window.settle(() => new window.WebAuth(cfg).checkSession());
      return { ...outcome, ms: performance.now() - t0 };
    }, config());
    assert.equal(o.ok, false);
    assert.equal(o.error.error, 'login_required');
    assert.ok(o.ms < 10_000, `took ${Math.round(o.ms)} ms`);
  });

  test('the provider session changes hands: the renewal is refused and the tokens forgotten', T, async (t) => {
    const { context, page, first } = await loggedIn(t, 'ada');
    // This provider does not compare id_token_hint with its session (oauthlib leaves
    // validate_user_match to deployers, and DOT answers True), so it answers for alan.
    const other = await context.newPage();
    await other.goto(`${DJANGO_PROVIDER}/accounts/login/`);
    await submitLogin(other, 'alan');
    assert.equal(await other.textContent('#user'), 'alan');

    const o = await checkSession(page);
    assert.equal(o.ok, false);
    assert.equal(o.error.error, 'session_user_changed');
    const after = await page.evaluate(() => ({ held: window.auth.authResult, expired: window.auth.isExpired() }));
    assert.equal(after.held, undefined, 'forgotten, not replaced');
    assert.equal(after.expired, true);
    assert.notEqual(first.idTokenPayload.sub, undefined);
  });

  test('logout goes through the end_session_endpoint and ends the provider session', T, async (t) => {
    const { page, first } = await loggedIn(t);
    const outcome = page.evaluate(() => window.settle(() => window.auth.logout({ returnTo: 'http://localhost:8080/e2e.html' })));
    const request = await page.waitForRequest((r) => r.url().startsWith(`${ISSUER}/logout/`));
    const q = new URL(request.url()).searchParams;
    assert.equal(q.get('id_token_hint'), first.idToken);
    assert.equal(q.get('post_logout_redirect_uri'), E2E);
    await outcome.catch(() => {}); // the page navigates away
    await page.waitForURL((u) => u.href === E2E);
    await waitForReady(page);
    const o = await page.evaluate((cfg) => window.settle(() => new window.WebAuth(cfg).checkSession()), config());
    assert.equal(o.ok, false);
    assert.equal(o.error.error, 'login_required');
  });
});
