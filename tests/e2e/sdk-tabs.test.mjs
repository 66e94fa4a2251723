// Many tabs, one session: the tabs of one browser context (pages of one Playwright context share
// its origin's BroadcastChannel and Web Locks, as tabs of one browser profile do), in Chromium
// against the local provider. Needs pkg/.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  PROVIDER, appStorage, codeConfig, expectOk, gotoE2E, sdkConfig, sdkLogin, sleep, useEnv,
} from './harness.mjs';

const T = { timeout: 90_000 };
const AUTHORIZE = /^http:\/\/localhost:3000\/authorize\?/;

const env = useEnv({ sdk: true });

/** The channel name the SDK uses for a client of the local provider (src/core/tabs.rs). */
const channelName = (clientId) =>
  `spa-auth issuer=${encodeURIComponent(PROVIDER)}&client_id=${encodeURIComponent(clientId)}`;

/** A context (one browser profile) whose /authorize requests, from any tab or iframe, are counted. */
async function profile(t) {
  const context = await env.newContext();
  t.after(() => context.close());
  const authorize = [];
  context.on('request', (req) => {
    if (AUTHORIZE.test(req.url())) authorize.push(req.url());
  });
  return { context, authorize };
}

/** A first tab that logged in; window.auth holds its tokens. */
async function firstTab(context, config = sdkConfig()) {
  const page = await context.newPage();
  const { outcome } = await sdkLogin(page, { config });
  return { page, first: expectOk(outcome, 'login parseHash') };
}

/** Another tab on the e2e page, with its own WebAuth (window.auth) holding nothing yet. */
async function newTab(context, config = sdkConfig()) {
  const page = await context.newPage();
  await gotoE2E(page);
  await page.evaluate((cfg) => {
    window.auth = new window.WebAuth(cfg);
    window.changes = [];
    window.auth.onSessionChange((r) => window.changes.push(r ? { sub: r.idTokenPayload.sub, accessToken: r.accessToken } : null));
  }, config);
  return page;
}

const checkSession = (page, options = {}) =>
  page.evaluate((opts) => window.settle(() => window.auth.checkSession(opts)), options);

describe('tabs share one session', () => {
  for (const [flow, config] of [['implicit', sdkConfig()], ['code + PKCE', codeConfig()]]) {
    test(`a second tab's checkSession takes the first tab's tokens: no /authorize, nothing stored (${flow})`, T, async (t) => {
      const { context, authorize } = await profile(t);
      const { first } = await firstTab(context, config);
      const before = authorize.length;

      const second = await newTab(context, config);
      const started = Date.now();
      const shared = expectOk(await checkSession(second), 'checkSession in the second tab');
      const took = Date.now() - started;

      assert.equal(authorize.length, before, 'no /authorize request from the second tab');
      assert.equal(shared.accessToken, first.accessToken);
      assert.equal(shared.idToken, first.idToken);
      assert.equal(shared.idTokenPayload.sub, 'ada');
      assert.equal(shared.expiresAt, first.expiresAt);
      assert.ok(took < 2000, `took ${took} ms`);
      assert.deepEqual(await second.evaluate(() => window.changes), [{ sub: 'ada', accessToken: first.accessToken }]);
      assert.equal(await second.evaluate(() => document.querySelectorAll('iframe').length), 0);
      const stored = await appStorage(context, second);
      assert.ok(!stored.all.includes(first.accessToken) && !stored.all.includes(first.idToken), 'tokens in browser storage');
    });
  }

  test('a second tab\'s restoreSession takes the first tab\'s tokens: restoredBy tab, no /authorize, no iframe', T, async (t) => {
    const { context, authorize } = await profile(t);
    const { first } = await firstTab(context);
    const before = authorize.length;

    const second = await newTab(context);
    const restored = expectOk(
      await second.evaluate(() => window.settle(() => window.auth.restoreSession())),
      'restoreSession in the second tab',
    );
    assert.equal(authorize.length, before, 'no /authorize request from the second tab');
    assert.equal(restored.restoredBy, 'tab');
    assert.equal(restored.accessToken, first.accessToken);
    assert.equal(await second.evaluate(() => document.querySelectorAll('iframe').length), 0);
  });

  test('restoreSession with maxAge takes no held or shared tokens (their auth_time was not checked against it): the iframe answers', T, async (t) => {
    const { context, authorize } = await profile(t);
    const { first } = await firstTab(context);
    const second = await newTab(context);
    const before = authorize.length;
    const restored = expectOk(
      await second.evaluate(() => window.settle(() => window.auth.restoreSession({ maxAge: 3600 }))),
      'restoreSession({ maxAge }) in the second tab',
    );
    assert.equal(restored.restoredBy, 'iframe');
    assert.equal(authorize.length - before, 1);
    assert.match(authorize.at(-1), /[?&]max_age=3600(&|$)/);
    assert.notEqual(restored.accessToken, first.accessToken);
  });

  test('logout in one tab signs every tab out within a second', T, async (t) => {
    const { context } = await profile(t);
    const { page: first } = await firstTab(context);
    const second = await newTab(context);
    expectOk(await checkSession(second), 'checkSession in the second tab');
    await second.evaluate(() => {
      window.renewFailures = [];
      window.auth.startAutoRenew({ onRenewFailed: (e) => window.renewFailures.push(e.error) });
    });

    const third = await newTab(context);
    expectOk(await checkSession(third), 'checkSession in the third tab');
    await third.evaluate(() => window.auth.clearSession());
    for (const tab of [first, second]) {
      await tab.waitForFunction(() => window.auth.authResult === undefined, null, { timeout: 1000 });
    }
    assert.deepEqual((await second.evaluate(() => window.changes)).at(-1), null);

    // The same through logout(), which also sends its tab to the provider.
    const { page: again } = await firstTab(context);
    expectOk(await checkSession(second), 'checkSession after the new login');
    assert.equal(await second.evaluate(() => window.auth.authResult?.idTokenPayload.sub), 'ada');
    const started = Date.now();
    await again.evaluate(() => { window.auth.logout({ returnTo: location.href }); });
    await second.waitForFunction(() => window.auth.authResult === undefined, null, { timeout: 1000 });
    assert.ok(Date.now() - started < 1000);
    assert.deepEqual(await second.evaluate(() => window.renewFailures), []);
  });

  test('three tabs renewing at once make one /authorize request and share its tokens', T, async (t) => {
    const { context, authorize } = await profile(t);
    const { page: first, first: login } = await firstTab(context);
    const second = await newTab(context);
    const third = await newTab(context);
    expectOk(await checkSession(second), 'second tab');
    expectOk(await checkSession(third), 'third tab');
    let previous = login.accessToken;
    for (let round = 1; round <= 3; round += 1) {
      const before = authorize.length;
      const outcomes = await Promise.all([first, second, third].map((tab) => checkSession(tab)));
      const results = outcomes.map((o, i) => expectOk(o, `round ${round}: checkSession in tab ${i + 1}`));
      assert.equal(authorize.length - before, 1, `round ${round}: one /authorize request, not ${authorize.length - before}`);
      assert.notEqual(results[0].accessToken, previous, `round ${round}: renewed`);
      for (const r of results) assert.equal(r.accessToken, results[0].accessToken);
      for (const tab of [first, second, third]) {
        assert.equal(await tab.evaluate(() => window.auth.authResult?.accessToken), results[0].accessToken);
      }
      previous = results[0].accessToken;
    }
  });

  test('automatic renewal in three tabs: their timers fire together, one /authorize renews them all', T, async (t) => {
    const { context, authorize } = await profile(t);
    const config = sdkConfig({ clientId: 'spa-short' });
    const { page: first, first: login } = await firstTab(context, config);
    const others = [await newTab(context, config), await newTab(context, config)];
    for (const tab of others) expectOk(await checkSession(tab), 'checkSession in a new tab');
    const tabs = [first, ...others];
    const before = authorize.length;
    // spa-short's tokens live 30 s: due 25 s before expiry, that is 5 s after the login.
    for (const tab of tabs) {
      await tab.evaluate(() => {
        window.renewed = [];
        window.auth.startAutoRenew({ secondsBeforeExpiry: 25, onRenewFailed: (e) => window.renewed.push(e.error) });
        window.auth.onSessionChange((r) => window.renewed.push(r?.accessToken ?? null));
      });
    }
    await first.waitForFunction((at) => window.auth.authResult?.accessToken !== at, login.accessToken, { timeout: 20_000 });
    await sleep(1000);
    for (const tab of tabs) await tab.evaluate(() => window.auth.stopAutoRenew());
    const held = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.auth.authResult?.accessToken)));
    assert.equal(authorize.length - before, 1, `one /authorize request, not ${authorize.length - before}`);
    for (const token of held) assert.equal(token, held[0]);
    assert.notEqual(held[0], login.accessToken);
    const failures = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.renewed.filter((r) => typeof r !== 'string' || r.length < 40))));
    assert.deepEqual(failures, [[], [], []]);
  });

  test('a hidden tab whose tokens expired while it slept renews when it becomes visible', T, async (t) => {
    const { context, authorize } = await profile(t);
    // spa-short's access tokens live 30 s; with a 20 s leeway they count as expired after 10 s.
    const config = sdkConfig({ clientId: 'spa-short', leeway: 20 });
    const { page, first } = await firstTab(context, config);
    await page.evaluate(() => {
      // Hidden, as a background tab: document.visibilityState and hidden answer so, and long timers
      // never fire (the browser throttles them). The visibilitychange event is dispatched by hand.
      window.visibility = 'hidden';
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => window.visibility });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => window.visibility === 'hidden' });
      const real = window.setTimeout;
      window.setTimeout = (fn, ms, ...rest) => real(ms >= 4000 ? () => {} : fn, ms, ...rest);
      window.renewals = [];
      window.auth.startAutoRenew({ secondsBeforeExpiry: 20, onRenewed: (r) => window.renewals.push(r.accessToken) });
    });
    await page.waitForFunction(() => window.auth.isExpired(), null, { timeout: 20_000, polling: 250 });
    await sleep(500);
    const before = authorize.length;
    assert.deepEqual(await page.evaluate(() => window.renewals), [], 'no renewal while hidden');

    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await sleep(500);
    assert.deepEqual(await page.evaluate(() => window.renewals), [], 'still hidden: no renewal');
    await page.evaluate(() => {
      window.visibility = 'visible';
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await page.waitForFunction(() => window.renewals.length === 1, null, { timeout: 10_000 });
    assert.equal(authorize.length - before, 1);
    const renewed = await page.evaluate(() => window.auth.authResult);
    assert.notEqual(renewed.accessToken, first.accessToken);
    assert.equal(await page.evaluate(() => window.auth.isExpired()), false);
    await page.evaluate(() => window.auth.stopAutoRenew());
  });
});

describe('shareAcrossTabs', () => {
  test('false: the tab neither asks nor answers; a wrong type is invalid_configuration', T, async (t) => {
    const { context, authorize } = await profile(t);
    const { page: first, first: login } = await firstTab(context, sdkConfig({ shareAcrossTabs: false }));
    const alone = await newTab(context, sdkConfig({ shareAcrossTabs: false }));
    const sharing = await newTab(context);
    const before = authorize.length;
    const own = expectOk(await checkSession(alone), 'checkSession with sharing off');
    expectOk(await checkSession(sharing), 'checkSession in a sharing tab');
    assert.equal(authorize.length - before, 2, 'both went to the provider');
    assert.notEqual(own.accessToken, login.accessToken);
    await first.evaluate(() => window.auth.clearSession());
    await sleep(300);
    assert.notEqual(await alone.evaluate(() => window.auth.authResult), undefined, 'not ended by another tab');
    assert.notEqual(await sharing.evaluate(() => window.auth.authResult), undefined, 'not ended by a tab that does not share');
    const o = await alone.evaluate((cfg) => window.settle(() => new window.WebAuth({ ...cfg, shareAcrossTabs: 'no' })), sdkConfig());
    assert.equal(o.error?.error, 'invalid_configuration');
    assert.match(o.error.errorDescription, /shareAcrossTabs must be a boolean/);
  });
});

describe('what a tab refuses', () => {
  /**
   * A fake tab on the channel of `clientId` answering every question with `answer` (a message
   * as the SDK writes them, built from `tokens`); the tab under test then asks.
   */
  async function fakeTab(context, clientId, fields, { first = [] } = {}) {
    const page = await context.newPage();
    await gotoE2E(page);
    await page.evaluate(([name, messages]) => {
      const channel = new BroadcastChannel(name);
      channel.onmessage = (e) => {
        if (e.data === 'type=ask') for (const m of messages) channel.postMessage(m);
      };
      window.fakeChannel = channel;
    }, [channelName(clientId), [...first, new URLSearchParams({ type: 'tokens', ...fields }).toString()]]);
    return page;
  }

  const answerOf = (r, overrides = {}) => ({
    id_token: r.idToken,
    access_token: r.accessToken,
    expires_in: String(r.expiresIn),
    expires_at: String(r.expiresAt),
    scope: r.scope,
    asked_scope: 'openid profile email read:messages',
    audience: 'https://api.example.test/',
    ...overrides,
  });

  /** Closes the first tab (its WebAuth would answer too) and keeps its tokens. */
  async function tokensThenClose(context, config) {
    const { page, first } = await firstTab(context, config);
    await page.close();
    return first;
  }

  test('tokens past their expiry are not taken', T, async (t) => {
    const { context, authorize } = await profile(t);
    const first = await tokensThenClose(context);
    await fakeTab(context, 'spa-test', answerOf(first, { expires_at: String(Date.now() - 1000) }));
    const tab = await newTab(context);
    const before = authorize.length;
    const r = expectOk(await checkSession(tab), 'checkSession');
    assert.equal(authorize.length - before, 1, 'the tab went to the provider instead');
    assert.notEqual(r.accessToken, first.accessToken);
    assert.deepEqual(await tab.evaluate(() => window.changes), []);
  });

  test('a restore that no tab answers asks them once, then the iframe renews: no second question', T, async (t) => {
    const { context, authorize } = await profile(t);
    await tokensThenClose(context);
    // A tab on the channel that only counts questions (the provider's session cookie stays).
    const listener = await context.newPage();
    await gotoE2E(listener);
    await listener.evaluate((name) => {
      window.asked = 0;
      window.listening = new BroadcastChannel(name);
      window.listening.onmessage = (e) => { if (e.data === 'type=ask') window.asked += 1; };
    }, channelName('spa-test'));
    const tab = await newTab(context);
    const before = authorize.length;
    const o = await tab.evaluate(() => window.settle(() => window.auth.restoreSession()));
    assert.equal(expectOk(o, 'restoreSession').restoredBy, 'iframe');
    assert.equal(authorize.length - before, 1, 'one /authorize, the iframe');
    assert.equal(await listener.evaluate(() => window.asked), 1, 'the tabs asked once');
  });

  test('a tab that hears `ended` while it asks takes no tokens after it: restoreSession resolves null, no iframe', T, async (t) => {
    const { context, authorize } = await profile(t);
    const first = await tokensThenClose(context);
    // Another tab answers the question, but the session ended first (a logout racing a new tab).
    await fakeTab(context, 'spa-test', answerOf(first), { first: ['type=ended'] });
    const tab = await newTab(context);
    const before = authorize.length;
    const o = await tab.evaluate(() => window.settle(() => window.auth.restoreSession()));
    await sleep(300);
    assert.equal(expectOk(o, 'restoreSession'), null);
    assert.equal(authorize.length - before, 0, 'no iframe after the session ended');
    assert.equal(await tab.evaluate(() => window.auth.authResult), undefined, 'tokens taken after ended');
    assert.deepEqual(await tab.evaluate(() => window.changes), []);
  });

  test('a tab of another client_id ignores the tokens, on its channel or not', T, async (t) => {
    const { context, authorize } = await profile(t);
    const first = await tokensThenClose(context);
    // A real spa-test tab stays open on spa-test's channel, and a fake one answers on spa-short's.
    await firstTab(context);
    await fakeTab(context, 'spa-short', answerOf(first));
    const other = await newTab(context, sdkConfig({ clientId: 'spa-short' }));
    const before = authorize.length;
    const o = await checkSession(other);
    assert.equal(authorize.length - before, 1, 'the spa-short tab went to the provider');
    assert.deepEqual(await other.evaluate(() => window.changes), []);
    const held = await other.evaluate(() => window.auth.authResult);
    if (o.ok) {
      assert.equal(o.value.idTokenPayload.aud, 'spa-short');
      assert.notEqual(held.accessToken, first.accessToken);
    } else {
      assert.equal(held, undefined);
    }
  });

  test('forged or altered tokens are not taken', T, async (t) => {
    const { context, authorize } = await profile(t);
    const first = await tokensThenClose(context);
    const [header, payload] = first.idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url'));
    const altered = Buffer.from(JSON.stringify({ ...claims, sub: 'mallory' })).toString('base64url');
    const forged = `${header}.${altered}.${first.idToken.split('.')[2]}`;
    // The control: the same fake tab answering with the tokens as they are is heard and believed.
    const control = await fakeTab(context, 'spa-test', answerOf(first));
    const taking = await newTab(context);
    const before = authorize.length;
    const taken = expectOk(await checkSession(taking), 'checkSession (the genuine tokens)');
    assert.equal(authorize.length, before, 'the genuine tokens were taken');
    assert.equal(taken.accessToken, first.accessToken);
    await Promise.all([control.close(), taking.close()]);

    for (const [what, fields] of [
      ['a changed payload', answerOf(first, { id_token: forged })],
      ['another access token (at_hash)', answerOf(first, { access_token: `${first.accessToken}x` })],
      ['an unknown field', { ...answerOf(first), refresh_token: 'r' }],
    ]) {
      const fake = await fakeTab(context, 'spa-test', fields);
      const tab = await newTab(context);
      const before = authorize.length;
      const r = expectOk(await checkSession(tab), `checkSession (${what})`);
      assert.equal(authorize.length - before, 1, `${what}: the tab went to the provider instead`);
      assert.equal(r.idTokenPayload.sub, 'ada', what);
      assert.notEqual(r.accessToken, first.accessToken, what);
      await Promise.all([fake.close(), tab.close()]);
    }
  });
});
