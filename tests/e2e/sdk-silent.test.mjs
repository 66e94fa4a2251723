// The SDK's silent authentication (checkSession in a hidden iframe), automatic renewal, fetch with
// renew-and-retry, and logout, in Chromium against the local provider. Needs pkg/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  API_AUDIENCE, APP, E2E, PROVIDER, appStorage, expectOk, gotoE2E, recordRequests,
  sdkConfig, sdkLogin, sleep, startHostileServer, verifyJwt, waitForReady,
  login, parseHashIn, startSdkAuthorize, useEnv,
} from './harness.mjs';

const T = { timeout: 60_000 };
const SILENT_CALLBACK = `${APP}/silent-callback.html`;
let hostile;

const env = useEnv({ sdk: true });
const freshPage = (t) => env.freshPage(t);
before(async () => {
  hostile = await startHostileServer();
});
after(async () => {
  await hostile?.close();
});

/** A fresh context whose e2e page went through a full SDK login; window.auth holds the tokens. */
async function loggedIn(t, config = sdkConfig()) {
  const { context, page } = await env.newPage();
  t.after(() => context.close());
  const { outcome } = await sdkLogin(page, { config });
  const first = expectOk(outcome, 'login parseHash');
  return { context, page, first };
}

const checkSession = (page, options = {}) =>
  page.evaluate((opts) => window.settle(() => window.auth.checkSession(opts)), options);

/** iframes the SDK left in the document (the test's own hostile frame excluded). */
const sdkIframes = (page) =>
  page.evaluate(() => [...document.querySelectorAll('iframe')].filter((f) => f.id !== 'hostile').length);

describe('checkSession', () => {
  test('after a login: fresh tokens, no navigation of the top page, nothing left behind', T, async (t) => {
    const { context, page, first } = await loggedIn(t);
    let topNavigations = 0;
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) topNavigations += 1;
    });
    await page.evaluate(() => {
      window.marker = 'still the same document';
    });
    const urlBefore = page.url();

    const r = expectOk(await checkSession(page), 'checkSession');
    assert.notEqual(r.accessToken, first.accessToken);
    assert.equal(r.idTokenPayload.sub, 'ada');
    assert.equal(typeof r.idTokenPayload.nonce, 'string');
    assert.notEqual(r.idTokenPayload.nonce, first.idTokenPayload.nonce);
    assert.notEqual(r.state, first.state);
    const at = await verifyJwt(r.accessToken);
    assert.ok([at.aud].flat().includes(API_AUDIENCE));
    assert.ok(r.expiresAt > first.expiresAt - 1000);

    assert.equal(topNavigations, 0);
    assert.equal(page.url(), urlBefore);
    assert.equal(await page.evaluate(() => window.marker), 'still the same document');
    assert.equal(await page.evaluate(() => window.auth.authResult?.accessToken), r.accessToken);
    assert.equal(await sdkIframes(page), 0);

    const stored = await appStorage(context, page);
    assert.ok(!stored.all.includes(r.accessToken) && !stored.all.includes(r.idToken), 'tokens in browser storage');
  });

  test('calls made while one is in flight share it: one iframe, one result', T, async (t) => {
    const { page } = await loggedIn(t);
    const o = await page.evaluate(async () => {
      let added = 0;
      const watch = new MutationObserver((records) => {
        for (const r of records) added += [...r.addedNodes].filter((n) => n.nodeName === 'IFRAME').length;
      });
      watch.observe(document.body, { childList: true, subtree: true });
      const a = window.auth.checkSession();
      const b = window.auth.checkSession();
      const [ra, rb] = await Promise.all([a, b]);
      const shared = { same: ra.state === rb.state, tokens: ra.accessToken === rb.accessToken, frames: added };
      // A different request is not shared: it opens its own iframe.
      const [rc, rd] = await Promise.all([window.auth.checkSession(), window.auth.checkSession({ scope: 'openid profile' })]);
      await new Promise((resolve) => setTimeout(resolve, 0));
      watch.disconnect();
      return { ...shared, otherDiffers: rc.state !== rd.state, framesTotal: added,
        framesAfter: document.querySelectorAll('iframe').length };
    });
    assert.deepEqual(o, { same: true, tokens: true, frames: 1, otherDiffers: true, framesTotal: 3, framesAfter: 0 });
  });

  test('a fresh browser (no provider session) gets login_required', T, async (t) => {
    const { context, page } = await env.newPage();
    t.after(() => context.close());
    await gotoE2E(page);
    const o = await page.evaluate((cfg) => window.settle(() => new window.WebAuth(cfg).checkSession()), sdkConfig());
    assert.equal(o.ok, false);
    assert.equal(o.error.isError, true);
    assert.equal(o.error.error, 'login_required');
    assert.equal(await sdkIframes(page), 0);
  });

  test('a scope never consented gets consent_required', T, async (t) => {
    const { page } = await loggedIn(t);
    const o = await checkSession(page, { scope: 'openid write:messages', audience: API_AUDIENCE });
    assert.equal(o.ok, false);
    assert.equal(o.error.error, 'consent_required');
  });

  test('maxAge: 0 gets login_required', T, async (t) => {
    const { page } = await loggedIn(t);
    const o = await checkSession(page, { maxAge: 0 });
    assert.equal(o.ok, false);
    assert.equal(o.error.error, 'login_required');
  });

  test("responseMode 'fragment' through silent-callback.html", T, async (t) => {
    const { page, first } = await loggedIn(t, sdkConfig({ silentRedirectUri: SILENT_CALLBACK }));
    const toCallback = recordRequests(page, /^http:\/\/localhost:8080\/silent-callback\.html/);
    const r = expectOk(await checkSession(page, { responseMode: 'fragment' }), 'checkSession (fragment)');
    assert.notEqual(r.accessToken, first.accessToken);
    assert.equal(r.idTokenPayload.sub, 'ada');
    await verifyJwt(r.accessToken);
    assert.ok(toCallback.length >= 1, 'the answer should come through silent-callback.html');
    assert.equal(await sdkIframes(page), 0);
  });

  for (const responseMode of ['web_message', 'fragment']) {
    test(`a hostile frame's forged answer is ignored (${responseMode})`, T, async (t) => {
      const { page } = await loggedIn(t, sdkConfig({ silentRedirectUri: SILENT_CALLBACK }));

      // Hold the provider's answer until the attacker has spoken.
      let release;
      const gate = new Promise((resolve) => { release = resolve; });
      let seen;
      const authorizeUrl = new Promise((resolve) => { seen = resolve; });
      await page.route(/^http:\/\/localhost:3000\/authorize\?/, async (route) => {
        seen(route.request().url());
        await gate;
        await route.continue().catch(() => {}); // the context may be gone if the test failed
      });
      t.after(() => release());

      const outcome = checkSession(page, { responseMode });
      outcome.catch(() => {}); // awaited below; no unhandled rejection if an assertion fails first
      const state = new URL(await authorizeUrl).searchParams.get('state');
      assert.ok(state);
      const posted = hostile.nextPost();
      await page.evaluate((src) => {
        const frame = document.createElement('iframe');
        frame.id = 'hostile';
        frame.src = src;
        document.body.append(frame);
      }, `${hostile.url}/hostile.html?state=${encodeURIComponent(state)}`);
      await posted; // the forged {type:'authorization_response', response:{state, access_token:'forged'…}} was sent
      await sleep(200);
      release();

      const r = expectOk(await outcome, 'checkSession under attack');
      assert.notEqual(r.accessToken, 'forged');
      assert.notEqual(r.idToken, 'forged.forged.forged');
      await verifyJwt(r.accessToken);
      await verifyJwt(r.idToken);
      assert.equal(await page.evaluate(() => window.auth.authResult?.accessToken), r.accessToken);
      assert.equal(await sdkIframes(page), 0);
    });
  }

  test('50 sequential calls leave no iframe in the DOM and no message listener', { timeout: 120_000 }, async (t) => {
    const { page } = await loggedIn(t);
    const summary = await page.evaluate(async () => {
      const tokens = new Set();
      for (let i = 0; i < 50; i += 1) {
        const o = await window.settle(() => window.auth.checkSession());
        if (!o.ok) return { failedAt: i, error: o.error };
        tokens.add(o.value.accessToken);
      }
      return { distinct: tokens.size, iframes: document.querySelectorAll('iframe').length, listeners: window.messageListeners };
    });
    assert.equal(summary.failedAt, undefined, JSON.stringify(summary.error));
    assert.equal(summary.distinct, 50);
    assert.equal(summary.iframes, 0);
    assert.equal(summary.listeners, 0);
  });

  test('with the provider down: timeout after ~2 s and no iframe left', T, async (t) => {
    const { page } = await loggedIn(t);
    expectOk(await checkSession(page), 'warm-up checkSession'); // discovery and keys are known now
    await env.stopProvider();
    t.after(() => env.startProvider());

    const o = await page.evaluate(async () => {
      const t0 = performance.now();
      const outcome = await window.settle(() => window.auth.checkSession({ timeout: 2000 }));
      return { ...outcome, ms: performance.now() - t0, iframes: document.querySelectorAll('iframe').length, listeners: window.messageListeners };
    });
    assert.equal(o.ok, false);
    assert.equal(o.error.isError, true);
    assert.equal(o.error.error, 'timeout');
    assert.ok(o.ms >= 1900 && o.ms < 5000, `took ${Math.round(o.ms)} ms`);
    assert.equal(o.iframes, 0);
    assert.equal(o.listeners, 0);
  });
});

describe('renewal, API calls, logout', () => {
  test('startAutoRenew renews a 30 s token (spa-short) before it expires; stopAutoRenew stops it', T, async (t) => {
    const { page, first } = await loggedIn(t, sdkConfig({ clientId: 'spa-short' }));
    assert.equal(first.expiresIn, 30);
    await page.evaluate(() => {
      window.renewals = [];
      window.renewFailures = [];
      window.auth.startAutoRenew({
        secondsBeforeExpiry: 25,
        onRenewed: (r) => window.renewals.push({ at: Date.now(), accessToken: r.accessToken, expiresAt: r.expiresAt }),
        onRenewFailed: (e) => window.renewFailures.push({ error: e?.error, errorDescription: e?.errorDescription }),
      });
    });
    await page.waitForFunction(() => window.renewals.length + window.renewFailures.length > 0, null, { timeout: 20_000 });
    const { renewals, renewFailures, held } = await page.evaluate(() => ({
      renewals: window.renewals, renewFailures: window.renewFailures, held: window.auth.authResult?.accessToken,
    }));
    assert.deepEqual(renewFailures, []);
    const [renewal] = renewals;
    assert.ok(renewal.at < first.expiresAt, 'renewed before expiry');
    assert.ok(renewal.at >= first.expiresAt - 25_000 - 2000, `renewed too early: ${first.expiresAt - renewal.at} ms before expiry`);
    assert.notEqual(renewal.accessToken, first.accessToken);
    assert.ok(renewal.expiresAt > first.expiresAt);
    assert.equal(held, renewal.accessToken);
    const at = await verifyJwt(renewal.accessToken);
    assert.equal(at.client_id, 'spa-short');

    // The next renewal would be due ~5 s after the first one; after stopAutoRenew none comes.
    await page.evaluate(() => window.auth.stopAutoRenew());
    await sleep(7000);
    assert.equal(await page.evaluate(() => window.renewals.length), 1);
  });

  test('a provider on another site: login_required names third-party cookies, and auto-renew stops', { timeout: 90_000 }, async (t) => {
    // The app at 127.0.0.1:8080 is another site than the provider at localhost:3000, so Chromium
    // keeps the provider's session cookie out of the hidden iframe (third-party cookie blocking).
    const cross = 'http://127.0.0.1:8080/e2e.html';
    const config = sdkConfig({ clientId: 'spa-short', redirectUri: cross });
    const { page } = await freshPage(t);
    await gotoE2E(page, cross);
    await startSdkAuthorize(page, config);
    await login(page, { app: 'http://127.0.0.1:8080' });
    await waitForReady(page);
    expectOk(await parseHashIn(page, config), 'login parseHash'); // top-level redirects still work
    const attempts = recordRequests(page, /localhost:3000\/authorize\?.*prompt=none/);
    await page.evaluate(() => {
      window.renewals = 0;
      window.renewFailures = [];
      window.auth.startAutoRenew({
        secondsBeforeExpiry: 25,
        onRenewed: () => { window.renewals += 1; },
        onRenewFailed: (e) => window.renewFailures.push({ error: e.error, errorDescription: e.errorDescription }),
      });
    });
    await page.waitForFunction(() => window.renewFailures.length > 0, null, { timeout: 20_000 });
    // A passing failure would be retried 30 s later; login_required stops the renewal instead.
    await sleep(35_000);
    const o = await page.evaluate(() => ({ renewals: window.renewals, failures: window.renewFailures }));
    assert.equal(o.renewals, 0);
    assert.equal(o.failures.length, 1);
    assert.equal(o.failures[0].error, 'login_required');
    assert.match(o.failures[0].errorDescription, /another site than this app.*third-party\s+cookies.*custom domain/s);
    assert.equal(attempts.length, 1);
  });

  test('auth.fetch adds the token; on a 401 it renews once and retries once', T, async (t) => {
    const { page, first } = await loggedIn(t);
    const callApi = () => page.evaluate(() => window.settle(async () => {
      const res = await window.auth.fetch('/api/messages');
      return { status: res.status, body: await res.json() };
    }));

    const ok = expectOk(await callApi(), 'auth.fetch');
    assert.equal(ok.status, 200);
    assert.equal(ok.body.sub, 'ada');
    assert.ok(ok.body.messages.length > 0);

    const revoke = await fetch(`${APP}/api/revoke-issued-before-now`, { method: 'POST' });
    assert.equal(revoke.status, 200);
    // iat has a resolution of one second: let the clock pass the cut-off so that the renewed
    // token is accepted while the current one is now rejected.
    await sleep(1100);

    const apiCalls = recordRequests(page, /^http:\/\/localhost:8080\/api\/messages/);
    const authorizeCalls = recordRequests(page, /^http:\/\/localhost:3000\/authorize/);
    const retried = expectOk(await callApi(), 'auth.fetch after revocation');
    assert.equal(retried.status, 200);
    assert.equal(retried.body.sub, 'ada');
    assert.equal(apiCalls.length, 2, 'one 401, then one retry');
    assert.equal(authorizeCalls.length, 1, 'one silent renewal');
    const held = await page.evaluate(() => window.auth.authResult?.accessToken);
    assert.notEqual(held, first.accessToken);
  });

  test('logout goes to the provider end_session endpoint (/v2/logout) and forgets the tokens', T, async (t) => {
    const { page } = await loggedIn(t);

    // Answer the first navigation to /v2/logout with 204 No Content: the browser then stays on
    // the page (a held or aborted navigation would replace or freeze it), so the SDK's memory can
    // be inspected after logout() set off.
    let seen;
    const logoutUrl = new Promise((resolve) => { seen = resolve; });
    await page.route(/^http:\/\/localhost:3000\/v2\/logout\?/, (route) => {
      seen(route.request().url());
      return route.fulfill({ status: 204 });
    }, { times: 1 });
    const outcome = await page.evaluate(() => window.settle(() => window.auth.logout({ returnTo: 'http://localhost:8080/e2e.html' })));
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    const url = new URL(await logoutUrl);
    assert.equal(url.origin + url.pathname, `${PROVIDER}/v2/logout`);
    assert.equal(url.searchParams.get('post_logout_redirect_uri'), E2E);
    assert.ok(url.searchParams.get('client_id') === 'spa-test' || url.searchParams.get('id_token_hint'));

    const state = await page.evaluate(() => ({
      href: location.href, authResult: window.auth.authResult, expired: window.auth.isExpired(),
    }));
    assert.equal(state.href, E2E, 'still on the app page (the 204 kept it)');
    assert.equal(state.authResult, undefined);
    assert.equal(state.expired, true);

    // Now really go there: confirm at the provider, come back to returnTo, and the provider
    // session is gone.
    await page.goto(url.href);
    await Promise.all([
      page.waitForURL((u) => u.href.startsWith(E2E)),
      page.click('button[name=logout][value=yes]'),
    ]);
    await waitForReady(page);
    const o = await page.evaluate((cfg) => window.settle(() => new window.WebAuth(cfg).checkSession()), sdkConfig());
    assert.equal(o.ok, false);
    assert.equal(o.error.error, 'login_required');
  });
});

describe('the session: its user, its parameters, its end', () => {
  test('checkSession sends the held ID token as id_token_hint; the provider refuses another user\'s session', T, async (t) => {
    const { context, page, first } = await loggedIn(t);
    // The same browser, another page: the provider's session becomes alan's.
    const other = await context.newPage();
    const { outcome } = await sdkLogin(other, { options: { prompt: 'login' }, login: 'alan' });
    assert.equal(expectOk(outcome, 'alan').idTokenPayload.sub, 'alan');

    const silent = recordRequests(page, /^http:\/\/localhost:3000\/authorize\?/);
    const o = await checkSession(page);
    assert.equal(new URL(silent[0]).searchParams.get('id_token_hint'), first.idToken);
    assert.equal(o.ok, false);
    assert.equal(o.error.error, 'login_required', 'oidc-provider compares the hint with its session');
  });

  test('auto-renew against a provider that ignores the hint: session_user_changed, tokens forgotten, renewal over', { timeout: 90_000 }, async (t) => {
    const { context, page, first } = await loggedIn(t, sdkConfig({ clientId: 'spa-short' }));
    const other = await context.newPage();
    const { outcome } = await sdkLogin(other, {
      config: sdkConfig({ clientId: 'spa-short' }), options: { prompt: 'login' }, login: 'alan',
    });
    assert.equal(expectOk(outcome, 'alan').idTokenPayload.sub, 'alan');
    // Many providers answer for whoever holds their session, whatever the hint says.
    await page.route(/^http:\/\/localhost:3000\/authorize\?/, (route) => {
      const url = new URL(route.request().url());
      url.searchParams.delete('id_token_hint');
      return route.continue({ url: url.href });
    });
    await page.evaluate(() => {
      window.renewals = 0;
      window.failures = [];
      window.auth.startAutoRenew({
        secondsBeforeExpiry: 25,
        onRenewed: () => { window.renewals += 1; },
        onRenewFailed: (e) => window.failures.push(e.error),
      });
    });
    await page.waitForFunction(() => window.failures.length > 0, null, { timeout: 20_000 });
    const after = await page.evaluate(() => ({
      failures: window.failures, renewals: window.renewals, held: window.auth.authResult,
    }));
    assert.deepEqual(after.failures, ['session_user_changed']);
    assert.equal(after.renewals, 0);
    assert.equal(after.held, undefined, 'ada\'s tokens are forgotten, not replaced by alan\'s');
    assert.notEqual(first.idTokenPayload.sub, 'alan');
    await sleep(7000);
    assert.deepEqual(await page.evaluate(() => [window.failures.length, window.renewals]), [1, 0], 'renewal stopped');
  });

  test('logout forgets first: a logout URL that cannot be built still ends the session, in-flight calls too', T, async (t) => {
    const { page } = await loggedIn(t);
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    await page.route(/^http:\/\/localhost:3000\/authorize\?/, async (route) => {
      await gate;
      await route.continue().catch(() => {});
    });
    t.after(() => release());
    const o = await page.evaluate(async () => {
      window.auth.startAutoRenew({ secondsBeforeExpiry: 60 });
      const inFlight = window.settle(() => window.auth.checkSession());
      await new Promise((resolve) => setTimeout(resolve, 300));
      const logout = window.settle(() => window.auth.logout({ returnTo: 'http://evil.example/' }));
      const rightAfter = window.auth.authResult;
      return { logout: await logout, inFlight: await inFlight, rightAfter, held: window.auth.authResult,
        expired: window.auth.isExpired(), frames: document.querySelectorAll('iframe').length, href: location.href };
    });
    assert.equal(o.logout.ok, false);
    assert.equal(o.logout.error.error, 'invalid_request');
    assert.equal(o.rightAfter, undefined, 'forgotten before logout() returned');
    assert.equal(o.held, undefined);
    assert.equal(o.expired, true);
    assert.equal(o.inFlight.ok, false);
    assert.equal(o.inFlight.error.error, 'session_cleared');
    assert.equal(o.frames, 0);
    assert.equal(o.href, E2E, 'no navigation');
  });

  test('clearSession ends the session here only: the provider session stays', T, async (t) => {
    const { page, first } = await loggedIn(t);
    const o = await page.evaluate(async () => {
      const inFlight = window.settle(() => window.auth.checkSession());
      window.auth.clearSession();
      const cleared = { held: window.auth.authResult, expired: window.auth.isExpired() };
      const again = await window.settle(() => window.auth.checkSession());
      return { inFlight: await inFlight, cleared, again, frames: document.querySelectorAll('iframe').length };
    });
    assert.equal(o.cleared.held, undefined);
    assert.equal(o.cleared.expired, true);
    assert.equal(o.inFlight.ok, false);
    assert.equal(o.inFlight.error.error, 'session_cleared');
    const again = expectOk(o.again, 'checkSession after clearSession');
    assert.equal(again.idTokenPayload.sub, first.idTokenPayload.sub);
    assert.equal(o.frames, 0);
  });

  test('a web_message renewal: expiresAt follows expires_in (the access token), not the ID token', T, async (t) => {
    const { page } = await loggedIn(t);
    const before = Date.now();
    const r = expectOk(await checkSession(page, { responseMode: 'web_message' }), 'checkSession');
    assert.equal(typeof r.expiresIn, 'number');
    assert.ok(Math.abs(r.expiresAt - (before + r.expiresIn * 1000)) < 10_000, `expiresAt ${r.expiresAt - before} ms ahead`);
    assert.ok(r.expiresAt <= r.idTokenPayload.exp * 1000);
  });

  test('the timeout bounds the whole call: a hanging JWKS times out at the configured time, later calls are not stuck', T, async (t) => {
    const { page } = await loggedIn(t);
    await page.route(/^http:\/\/localhost:3000\/\.well-known\/jwks\.json/, () => {}); // never answered
    const o = await page.evaluate(async (cfg) => {
      // No keys yet: none in memory, and none kept from the login's page in sessionStorage.
      sessionStorage.removeItem('spa-auth.doc.http://localhost:3000/.well-known/jwks.json');
      const fresh = new window.WebAuth(cfg);
      const t0 = performance.now();
      const timed = (p) => window.settle(p).then((r) => ({ ...r, ms: performance.now() - t0 }));
      const [short, long] = await Promise.all([
        timed(() => fresh.checkSession({ timeout: 2000 })),
        timed(() => fresh.checkSession({ timeout: 4000 })),
      ]);
      window.fresh = fresh;
      return { short, long, frames: document.querySelectorAll('iframe').length, listeners: window.messageListeners };
    }, sdkConfig());
    assert.equal(o.short.error?.error, 'timeout');
    assert.ok(o.short.ms >= 1900 && o.short.ms < 3500, `took ${Math.round(o.short.ms)} ms`);
    assert.equal(o.long.error?.error, 'timeout', 'another timeout is another call');
    assert.ok(o.long.ms >= 3900 && o.long.ms < 5500, `took ${Math.round(o.long.ms)} ms`);
    assert.equal(o.frames, 0);
    assert.equal(o.listeners, 0);

    await page.unroute(/^http:\/\/localhost:3000\/\.well-known\/jwks\.json/);
    const later = await page.evaluate(() => window.settle(() => window.fresh.checkSession({ timeout: 2000 })));
    expectOk(later, 'a later call');
  });

  test('a hanging discovery fails a login on its own 10 s limit', { timeout: 60_000 }, async (t) => {
    const { page } = await freshPage(t);
    await gotoE2E(page);
    await page.route(/^http:\/\/localhost:3000\/\.well-known\/openid-configuration/, () => {});
    const o = await page.evaluate(async (cfg) => {
      const t0 = performance.now();
      const outcome = await window.settle(() => new window.WebAuth(cfg).authorize());
      return { ...outcome, ms: performance.now() - t0 };
    }, sdkConfig());
    assert.equal(o.ok, false);
    assert.equal(o.error.error, 'provider_error');
    assert.match(o.error.errorDescription, /did not answer within 10 s/);
    assert.ok(o.ms >= 9500 && o.ms < 13_000, `took ${Math.round(o.ms)} ms`);
  });

  test('auto-renew asks for the audience and scope the session was obtained with', T, async (t) => {
    // The configuration names no audience; the login asked for the API.
    const config = sdkConfig({ clientId: 'spa-short', audience: undefined, scope: 'openid profile' });
    const { context, page } = await env.newPage();
    t.after(() => context.close());
    const { outcome } = await sdkLogin(page, { config, options: { audience: API_AUDIENCE, scope: 'openid profile read:messages' } });
    expectOk(outcome, 'login');
    const silent = recordRequests(page, /^http:\/\/localhost:3000\/authorize\?/);
    await page.evaluate(() => {
      window.renewed = [];
      window.auth.startAutoRenew({ secondsBeforeExpiry: 25, onRenewed: (r) => window.renewed.push(r), onRenewFailed: (e) => window.renewed.push(e.error) });
    });
    await page.waitForFunction(() => window.renewed.length > 0, null, { timeout: 20_000 });
    await page.evaluate(() => window.auth.stopAutoRenew());
    const [renewed] = await page.evaluate(() => window.renewed);
    assert.equal(typeof renewed, 'object', JSON.stringify(renewed));
    const q = new URL(silent[0]).searchParams;
    assert.equal(q.get('audience'), API_AUDIENCE);
    assert.equal(q.get('scope'), 'openid profile read:messages');
    const at = await verifyJwt(renewed.accessToken);
    assert.ok([at.aud].flat().includes(API_AUDIENCE));
  });

  test('a renewal that fell due while timers were held back runs when the page becomes visible', { timeout: 60_000 }, async (t) => {
    const { page } = await loggedIn(t, sdkConfig({ clientId: 'spa-short' }));
    await page.evaluate(() => {
      // A background tab: long timers never fire.
      const real = window.setTimeout;
      window.setTimeout = (fn, ms, ...rest) => real(ms >= 4000 ? () => {} : fn, ms, ...rest);
      window.renewals = 0;
      window.auth.startAutoRenew({ secondsBeforeExpiry: 25, onRenewed: () => { window.renewals += 1; } });
    });
    await sleep(7000); // due 5 s after the login
    assert.equal(await page.evaluate(() => window.renewals), 0, 'the held-back timer did not fire');
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.waitForFunction(() => window.renewals === 1, null, { timeout: 10_000 });
    await page.evaluate(() => window.auth.stopAutoRenew());
  });
});
