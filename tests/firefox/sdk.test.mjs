// The SDK end to end in Firefox ESR (puppeteer-core over WebDriver BiDi, tests/firefox/browser.mjs)
// against the local provider, on the e2e page: redirect login with a verified result, silent
// renewal when the provider is on the same site, and the cross-site case (app on 127.0.0.1:8080,
// provider on localhost:3000). There Total Cookie Protection partitions the provider's session
// cookie out of the hidden iframe, and checkSession answers login_required with the third-party
// cookie explanation, except right after a redirect login from that very app: Firefox's
// storage-access heuristics then grant the provider its cookies in frames on the app's site (for a
// limited time), and silent renewal works. Needs pkg/.
//
//   node --test tests/firefox/
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { APP_OTHER_SITE } from '../../dev/constants.mjs';
import { startDevEnv } from '../../dev/start.mjs';
import { APP, E2E, PROVIDER, requirePkg, sdkConfig, verifyJwt } from '../e2e/harness.mjs';
import { STORAGE_ACCESS_HEURISTICS_OFF, launchFirefox, waitForUrl } from './browser.mjs';

const T = { timeout: 60_000 };
const CROSS_SITE = { app: APP_OTHER_SITE, config: sdkConfig({ redirectUri: `${APP_OTHER_SITE}/e2e.html` }) };
const THIRD_PARTY_EXPLANATION = /another site than this app.*third-party\s+cookies.*custom domain/s;
let dev;

before(async () => {
  requirePkg();
  dev = await startDevEnv({ testMode: true });
});
after(async () => {
  await dev?.close();
});

/** One Firefox (with `prefs`) for the enclosing describe. */
function useFirefox(prefs) {
  const holder = {};
  before(async () => {
    holder.browser = await launchFirefox(prefs);
  });
  after(async () => {
    await holder.browser?.close();
  });
  return holder;
}

/** A page in a fresh browser context (its own cookies and storage), closed when test t ends. */
async function freshPage(firefox, t) {
  const context = await firefox.browser.createBrowserContext();
  t.after(() => context.close().catch(() => {}));
  return context.newPage();
}

/** Opens the e2e page at `url` and waits until the wasm package is loaded. */
async function openE2E(page, url = E2E) {
  await page.goto(url);
  await page.waitForFunction(() => window.spaAuthReady === true, { timeout: 15_000 });
}

/** auth.checkSession() in the page; { ok, value } or { ok: false, error } with the SDK's fields. */
function checkSession(page) {
  return page.evaluate(async () => {
    try {
      return { ok: true, value: await window.auth.checkSession({ timeout: 10_000 }) };
    } catch (e) {
      return { ok: false, error: { error: e.error, errorDescription: e.errorDescription, message: String(e.message ?? e) } };
    }
  });
}

const ok = (outcome, what) => {
  if (!outcome.ok) throw new Error(`${what} rejected: ${JSON.stringify(outcome.error)}`);
  return outcome.value;
};

/**
 * authorize() on the e2e page at `app`, then the provider's dev login and consent pages, back to
 * the app, and parseHash(). Leaves window.auth holding the tokens; returns the result.
 */
async function redirectLogin(page, { app = APP, config = sdkConfig() } = {}) {
  await openE2E(page, `${app}/e2e.html`);
  await page.evaluate((cfg) => {
    window.auth = new window.WebAuth(cfg);
    window.auth.authorize(); // navigates away
  }, config);
  await waitForUrl(page, (u) => u.origin === PROVIDER, { what: 'the provider' });
  for (let step = 0; ; step += 1) {
    const url = await waitForUrl(page, (u) => u.origin === app || u.pathname.startsWith('/interaction/'),
      { what: 'a login page or the app' });
    if (url.origin === app) break;
    if (step === 4) throw new Error(`still at the provider after 4 pages: ${url.href}`);
    await page.waitForSelector('button[type=submit]');
    const prompt = await page.$eval('input[name=prompt]', (e) => e.value).catch(() => null);
    if (prompt === 'login') {
      await page.type('input[name=login]', 'ada');
      await page.type('input[name=password]', 'any-password');
    } else if (prompt !== 'consent') {
      throw new Error(`unexpected provider page ${url.href}`);
    }
    const left = page.url();
    await page.click('button[type=submit]');
    await waitForUrl(page, (u) => u.href !== left, { what: 'the next page' });
  }
  await page.waitForFunction(() => window.spaAuthReady === true, { timeout: 15_000 });
  return ok(await page.evaluate(async (cfg) => {
    window.auth = new window.WebAuth(cfg);
    try {
      return { ok: true, value: await window.auth.parseHash() };
    } catch (e) {
      return { ok: false, error: { error: e.error, errorDescription: e.errorDescription } };
    }
  }, config), 'parseHash');
}

/** Everything the app's origin keeps in the browser (cookies readable by script, both storages). */
const appStorage = (page) => page.evaluate(() => [document.cookie,
  ...Object.entries(localStorage).map(([k, v]) => `${k}=${v}`),
  ...Object.entries(sessionStorage).map(([k, v]) => `${k}=${v}`)].join('\n'));

describe('Firefox ESR, default settings', () => {
  const firefox = useFirefox();

  test('redirect login: a verified result, the URL cleaned, no token in storage', T, async (t) => {
    const page = await freshPage(firefox, t);
    const r = await redirectLogin(page);
    assert.equal(r.idTokenPayload.sub, 'ada');
    assert.equal(r.idTokenPayload.iss, PROVIDER);
    assert.equal(r.idTokenPayload.aud, 'spa-test');
    assert.deepEqual(await verifyJwt(r.idToken), r.idTokenPayload);
    await verifyJwt(r.accessToken);
    assert.equal(page.url(), E2E, 'the response is gone from the address bar');
    const stored = await appStorage(page);
    assert.ok(!stored.includes(r.idToken) && !stored.includes(r.accessToken), 'a token in browser storage');
  });

  test('silent renewal with the provider on the same site: fresh tokens, no iframe left', T, async (t) => {
    const page = await freshPage(firefox, t);
    const first = await redirectLogin(page);
    const r = ok(await checkSession(page), 'checkSession');
    assert.equal(r.idTokenPayload.sub, 'ada');
    assert.notEqual(r.accessToken, first.accessToken);
    assert.notEqual(r.idTokenPayload.nonce, first.idTokenPayload.nonce);
    assert.equal((await verifyJwt(r.idToken)).sub, 'ada');
    assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length), 0);
    const stored = await appStorage(page);
    assert.ok(!stored.includes(r.idToken) && !stored.includes(r.accessToken), 'a token in browser storage');
  });

  test('another site, provider session from elsewhere: Total Cookie Protection gives login_required, explained', T, async (t) => {
    // The user signed in at the provider through another app (here the same-site one); this app
    // on 127.0.0.1 never sent them through the provider, so its iframe gets the provider's
    // partitioned cookie jar, without the session.
    const page = await freshPage(firefox, t);
    await redirectLogin(page);
    await openE2E(page, `${APP_OTHER_SITE}/e2e.html`);
    await page.evaluate((cfg) => {
      window.auth = new window.WebAuth(cfg);
    }, CROSS_SITE.config);
    const o = await checkSession(page);
    assert.equal(o.ok, false, 'silent authentication should fail across sites');
    assert.equal(o.error.error, 'login_required');
    assert.match(o.error.errorDescription, THIRD_PARTY_EXPLANATION);
    assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length), 0);
  });

  test('another site, right after a redirect login from this app: storage-access heuristics let renewal work', T, async (t) => {
    const page = await freshPage(firefox, t);
    const first = await redirectLogin(page, CROSS_SITE);
    assert.equal(first.idTokenPayload.sub, 'ada');
    const r = ok(await checkSession(page), 'checkSession across sites after the redirect login');
    assert.equal(r.idTokenPayload.sub, 'ada');
    assert.notEqual(r.accessToken, first.accessToken);
  });
});

describe('Firefox ESR, storage-access heuristics off (Total Cookie Protection alone)', () => {
  const firefox = useFirefox(STORAGE_ACCESS_HEURISTICS_OFF);

  test('another site, even right after a redirect login from this app: login_required, explained', T, async (t) => {
    const page = await freshPage(firefox, t);
    const first = await redirectLogin(page, CROSS_SITE); // top-level redirects still work
    assert.equal(first.idTokenPayload.sub, 'ada');
    const o = await checkSession(page);
    assert.equal(o.ok, false, 'silent authentication should fail across sites');
    assert.equal(o.error.error, 'login_required');
    assert.match(o.error.errorDescription, THIRD_PARTY_EXPLANATION);
    assert.equal(await page.evaluate(() => document.querySelectorAll('iframe').length), 0);
  });
});
