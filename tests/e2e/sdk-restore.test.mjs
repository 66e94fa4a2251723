// restoreSession() at page load, in Chromium against the local provider: the hidden iframe on the
// provider's site, one guarded top-level prompt=none redirect where the iframe cannot work (the
// app on 127.0.0.1, another site than the provider on localhost, so that Chromium's default
// third-party cookie blocking keeps the provider's session cookie out of the iframe; a provider
// that refuses framing; a cross-origin isolated page), and null without looping when there is no
// session. Needs pkg/.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  APP, E2E, PROVIDER, appStorage, codeConfig, expectOk, gotoE2E, login, parseHashIn, sdkConfig,
  sdkLogin, startSdkAuthorize, useEnv, waitForReady,
} from './harness.mjs';
import { APP_OTHER_SITE } from '../../dev/constants.mjs';

const T = { timeout: 60_000 };
const CROSS_E2E = `${APP_OTHER_SITE}/e2e.html`;
const crossConfig = (overrides = {}) => codeConfig({ redirectUri: CROSS_E2E, ...overrides });
const GUARD = 'spa-auth.restore.spa-test';

const env = useEnv({ sdk: true });

/**
 * Watches a page: the top-level requests to the provider's /authorize, the top-level documents
 * the provider showed (none may be), and the Cookie header of each /authorize request, top-level
 * or framed (the session cookie is `_session`).
 */
function watch(page) {
  const seen = { topAuthorize: 0, providerPages: 0, framedAuthorize: 0, topCookies: [], framedCookies: [] };
  page.on('request', async (req) => {
    if (!req.url().startsWith(`${PROVIDER}/authorize?`)) return;
    const top = req.frame() === page.mainFrame();
    if (top) seen.topAuthorize += 1;
    else seen.framedAuthorize += 1;
    const cookie = (await req.allHeaders()).cookie ?? '';
    (top ? seen.topCookies : seen.framedCookies).push(/(^|; )_session=/.test(cookie));
  });
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame() && new URL(frame.url()).origin === PROVIDER) seen.providerPages += 1;
  });
  return seen;
}

/** A new WebAuth in the page, and its restoreSession(options)'s outcome (which may never come). */
const startRestore = (page, config, options = {}) => page.evaluate(([cfg, opts]) => {
  window.auth = new window.WebAuth(cfg);
  window.restoring = window.settle(() => window.auth.restoreSession(opts));
}, [config, options]);

const restore = async (page, config, options = {}) => {
  await startRestore(page, config, options);
  return page.evaluate(() => window.restoring);
};

/** restoreSession on a page that it sends away and back: resolves once the app is loaded again. */
async function restoreThroughRedirect(page, config, options = {}) {
  const back = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 30_000 });
  await startRestore(page, config, options);
  await back;
  await waitForReady(page);
}

const guard = (page) => page.evaluate((key) => sessionStorage.getItem(key), GUARD);

/** A context with a provider session, made by a redirect login from `app`'s e2e page. */
async function withProviderSession(t, { app = APP_OTHER_SITE, config = crossConfig() } = {}) {
  const context = await env.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await gotoE2E(page, `${app}/e2e.html`);
  await startSdkAuthorize(page, config);
  await login(page, { app });
  await waitForReady(page);
  expectOk(await parseHashIn(page, config), 'login parseHash');
  await page.close();
  return context;
}

describe('restoreSession across sites (app 127.0.0.1, provider localhost)', () => {
  test('with a provider session: tokens after one top-level redirect, no provider page shown', T, async (t) => {
    const context = await withProviderSession(t);
    const page = await context.newPage();
    await gotoE2E(page, `${CROSS_E2E}?tab=orders`);
    const seen = watch(page);

    const t0 = Date.now();
    await restoreThroughRedirect(page, crossConfig(), { appState: { tab: 'orders' } });
    const r = expectOk(await restore(page, crossConfig()), 'restoreSession after the redirect');
    t.diagnostic(`restored by the redirect ${Date.now() - t0} ms after the first call (iframe, redirect, reload, code exchange)`);

    assert.equal(r.restoredBy, 'redirect');
    assert.equal(r.redirectReason, 'third_party_cookies_blocked');
    assert.equal(r.idTokenPayload.sub, 'ada');
    assert.deepEqual(r.appState, { tab: 'orders' });
    assert.equal(page.url(), `${CROSS_E2E}?tab=orders`, 'the path and query the app was on, no fragment');
    assert.equal(seen.framedAuthorize, 1, 'the iframe was tried first');
    assert.deepEqual(seen.framedCookies, [false], "Chromium kept the provider's cookie out of the cross-site iframe");
    assert.equal(seen.topAuthorize, 1, 'exactly one top-level navigation to the provider');
    assert.deepEqual(seen.topCookies, [true], 'the top-level request carried the session cookie');
    assert.equal(seen.providerPages, 0, 'no provider page was shown');
    assert.equal(await guard(page), null, 'a successful return leaves no guard');
    const stored = await appStorage(context, page);
    assert.ok(!stored.all.includes(r.accessToken) && !stored.all.includes(r.idToken), 'tokens in browser storage');

    // The same page asks again: the tokens it holds, without any request.
    const again = expectOk(await page.evaluate(() => window.settle(() => window.auth.restoreSession())), 'again');
    assert.equal(again.restoredBy, 'memory');
    assert.equal(again.accessToken, r.accessToken);
    assert.equal(seen.framedAuthorize + seen.topAuthorize, 2);
  });

  test('implicit: the fragment comes back through the same redirect', T, async (t) => {
    const config = sdkConfig({ redirectUri: CROSS_E2E });
    const context = await withProviderSession(t, { config });
    const page = await context.newPage();
    await gotoE2E(page, CROSS_E2E);
    const seen = watch(page);
    await restoreThroughRedirect(page, config);
    const r = expectOk(await restore(page, config), 'restoreSession after the redirect');
    assert.equal(r.restoredBy, 'redirect');
    assert.equal(typeof r.accessToken, 'string');
    assert.equal(seen.topAuthorize, 1);
    assert.equal(seen.providerPages, 0);
    assert.equal(page.url(), CROSS_E2E);
  });

  test('without a session: null, and a reload does not redirect again until a login', T, async (t) => {
    const { page } = await env.freshPage(t);
    await gotoE2E(page, CROSS_E2E);
    const seen = watch(page);
    await restoreThroughRedirect(page, crossConfig());
    assert.deepEqual(await restore(page, crossConfig()), { ok: true, value: null });
    assert.equal(seen.topAuthorize, 1);
    assert.equal(seen.providerPages, 0);
    assert.equal(page.url(), CROSS_E2E);
    assert.equal(await guard(page), 'status=ended');

    await page.reload();
    await waitForReady(page);
    assert.deepEqual(await restore(page, crossConfig()), { ok: true, value: null });
    assert.equal(seen.topAuthorize, 1, 'no second redirect');
    assert.equal(seen.framedAuthorize, 1, 'no second iframe either');

    await page.evaluate((cfg) => new window.WebAuth(cfg).buildAuthorizeUrl(), crossConfig());
    assert.equal(await guard(page), null, 'a login removes the guard');
  });

  test("silentFallback 'none': no redirect, the typed third-party cookie error", T, async (t) => {
    const context = await withProviderSession(t);
    const page = await context.newPage();
    await gotoE2E(page, CROSS_E2E);
    const seen = watch(page);
    const o = await restore(page, crossConfig({ silentFallback: 'none' }));
    assert.equal(o.ok, false);
    assert.equal(o.error.name, 'AuthError');
    assert.equal(o.error.error, 'login_required');
    assert.equal(o.error.reason, 'third_party_cookies_blocked');
    assert.match(o.error.errorDescription, /custom domain/);
    assert.equal(seen.topAuthorize, 0);
    assert.equal(page.url(), CROSS_E2E);
  });
});

describe('restoreSession on the provider\'s site', () => {
  test('with a provider session: the iframe, no navigation', T, async (t) => {
    const context = await withProviderSession(t, { app: APP, config: codeConfig() });
    const page = await context.newPage();
    await gotoE2E(page);
    const seen = watch(page);
    let topNavigations = 0;
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) topNavigations += 1;
    });
    const r = expectOk(await restore(page, codeConfig()), 'restoreSession');
    assert.equal(r.restoredBy, 'iframe');
    assert.equal(r.redirectReason, undefined);
    assert.equal(r.idTokenPayload.sub, 'ada');
    assert.deepEqual(seen.framedCookies, [true]);
    assert.equal(seen.topAuthorize, 0);
    assert.equal(topNavigations, 0);
  });

  test('without a session: null, no redirect', T, async (t) => {
    const { page } = await env.freshPage(t);
    await gotoE2E(page);
    const seen = watch(page);
    assert.deepEqual(await restore(page, codeConfig()), { ok: true, value: null });
    assert.equal(seen.framedAuthorize, 1);
    assert.equal(seen.topAuthorize, 0);
    assert.equal(await guard(page), null);
  });

  test('the URL\'s authorization response first: restoredBy url', T, async (t) => {
    const { page } = await env.freshPage(t);
    await gotoE2E(page);
    await startSdkAuthorize(page, codeConfig());
    await login(page);
    await waitForReady(page);
    const seen = watch(page);
    const r = expectOk(await restore(page, codeConfig()), 'restoreSession');
    assert.equal(r.restoredBy, 'url');
    assert.equal(seen.framedAuthorize + seen.topAuthorize, 0);
  });

  test('after clearSession() a reload restores nothing, until the next login', T, async (t) => {
    const { page } = await env.freshPage(t);
    expectOk((await sdkLogin(page, { config: codeConfig() })).outcome, 'login');
    await page.evaluate(() => window.auth.clearSession());
    assert.equal(await guard(page), 'status=ended');
    await page.reload();
    await waitForReady(page);
    const seen = watch(page);
    assert.deepEqual(await restore(page, codeConfig()), { ok: true, value: null });
    assert.equal(seen.framedAuthorize + seen.topAuthorize, 0, 'the provider session is not used');
  });

  for (const framing of ['deny', 'csp']) {
    test(`a provider that refuses framing (${framing}): frame_refused well before the timeout`, T, async (t) => {
      const context = await withProviderSession(t, { app: APP, config: codeConfig() });
      const page = await context.newPage();
      await gotoE2E(page);
      const options = { timeout: 30_000, extraParams: { spa_auth_test_framing: framing } };
      const o = await page.evaluate(async ([cfg, opts]) => {
        const t0 = performance.now();
        const outcome = await window.settle(() => new window.WebAuth(cfg).restoreSession(opts));
        return { ...outcome, ms: performance.now() - t0, frames: document.querySelectorAll('iframe').length };
      }, [codeConfig({ silentFallback: 'none' }), options]);
      assert.equal(o.ok, false, JSON.stringify(o));
      assert.equal(o.error.error, 'frame_refused');
      assert.equal(o.error.reason, 'frame_refused');
      assert.ok(o.ms > 1_900 && o.ms < 6_000, `took ${Math.round(o.ms)} ms`);
      assert.equal(o.frames, 0);
      t.diagnostic(`frame_refused (${framing}) after ${Math.round(o.ms)} ms, against a 30 s timeout`);
    });
  }

  test('framing refused, silentFallback redirect: the tokens by one top-level redirect', T, async (t) => {
    const context = await withProviderSession(t, { app: APP, config: codeConfig() });
    const page = await context.newPage();
    await gotoE2E(page);
    const seen = watch(page);
    await restoreThroughRedirect(page, codeConfig(), { extraParams: { spa_auth_test_framing: 'deny' } });
    const r = expectOk(await restore(page, codeConfig()), 'restoreSession after the redirect');
    assert.equal(r.restoredBy, 'redirect');
    assert.equal(r.redirectReason, 'frame_refused');
    assert.equal(seen.topAuthorize, 1);
    assert.equal(seen.providerPages, 0);
    assert.equal(page.url(), E2E);
  });

  test('a cross-origin isolated page: cross_origin_isolated at once, no iframe', T, async (t) => {
    const { page } = await env.freshPage(t);
    await gotoE2E(page, `${E2E}?isolated`);
    assert.equal(await page.evaluate(() => window.crossOriginIsolated), true);
    const seen = watch(page);
    const o = await restore(page, codeConfig({ silentFallback: 'none' }));
    assert.equal(o.ok, false);
    assert.equal(o.error.error, 'cross_origin_isolated');
    assert.equal(o.error.reason, 'cross_origin_isolated');
    const c = await page.evaluate((cfg) => window.settle(() => new window.WebAuth(cfg).checkSession()), codeConfig());
    assert.equal(c.error?.error, 'cross_origin_isolated');
    assert.equal(seen.framedAuthorize + seen.topAuthorize, 0);
  });
});

describe('the demo', () => {
  test('served cross-site: a reload restores the session by one redirect and says why; a new tab takes it from the open tab', T, async (t) => {
    const context = await env.newContext();
    t.after(() => context.close());
    const page = await context.newPage();
    await page.goto(`${APP_OTHER_SITE}/`);
    await page.waitForSelector('#btn-login:not([disabled])');
    await page.waitForFunction(() => document.getElementById('restore').textContent === 'no session');
    await Promise.all([page.waitForURL((u) => u.origin === PROVIDER), page.click('#btn-login')]);
    await login(page, { app: APP_OTHER_SITE });
    await page.waitForSelector('#signed-in:not([hidden])');

    // The only tab reloads: no other tab holds tokens, the iframe gets no cookie, one redirect.
    const seen = watch(page);
    await page.reload();
    await page.waitForFunction(() => /redirect/.test(document.getElementById('restore').textContent));
    await page.waitForSelector('#signed-in:not([hidden])');
    assert.equal(await page.textContent('#user-name'), 'Ada Lovelace');
    assert.match(await page.textContent('#restore'), /one top-level prompt=none redirect — .*third-party cookies/);
    assert.match(await page.textContent('#cfg-site'), /another site than the provider/);
    assert.equal(seen.topAuthorize, 1);
    assert.equal(seen.providerPages, 0);
    assert.equal(page.url(), `${APP_OTHER_SITE}/`);

    // A second tab asks the first: no iframe, no redirect.
    const tab = await context.newPage();
    const seenInTab = watch(tab);
    await tab.goto(`${APP_OTHER_SITE}/`);
    await tab.waitForSelector('#signed-in:not([hidden])');
    assert.equal(await tab.textContent('#user-name'), 'Ada Lovelace');
    assert.match(await tab.textContent('#restore'), /shared by another tab/);
    assert.equal(seenInTab.topAuthorize + seenInTab.framedAuthorize, 0);
  });
});
