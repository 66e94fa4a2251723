// Shared helpers of the end-to-end tests (node's test runner + playwright-core + Debian's Chromium).
// Each test file calls startEnv() once: it starts the dev environment in test mode (dev/start.mjs:
// the OpenID provider on localhost:3000, the app server on localhost:8080) in this process,
// launches one headless Chromium, and env.close() stops all of it. Every test gets a fresh
// browser context from env.newPage(). The page the tests drive is pages/e2e.html, served at /e2e.html.
//
//   node --test --test-concurrency=1 tests/e2e/
import { after, before } from 'node:test';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { API_AUDIENCE, APP, HOSTILE_PORT, PROVIDER, SDK_SCOPE } from '../../dev/constants.mjs';
import { providerKeys, verifyJwt as verifySignedJwt } from '../../dev/jwt.mjs';
import { listenLoopback } from '../../dev/loopback.mjs';
import { startDevEnv } from '../../dev/start.mjs';

export { API_AUDIENCE, APP, PROVIDER };
export { decodeJwt } from '../../dev/jwt.mjs';
export const E2E = `${APP}/e2e.html`;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PKG_JS = path.join(ROOT, 'pkg', 'spa_auth.js');

/**
 * The SDK configuration the tests use unless they say otherwise: the implicit flow, named
 * explicitly since the default became code + PKCE. codeConfig() is the same without it.
 */
export const sdkConfig = (overrides = {}) => ({
  issuer: PROVIDER,
  clientId: 'spa-test',
  redirectUri: E2E,
  audience: API_AUDIENCE,
  scope: SDK_SCOPE,
  responseType: 'id_token token',
  ...overrides,
});

/** The SDK configuration of the code-flow tests: the default responseType (code + PKCE). */
export const codeConfig = (overrides = {}) => {
  const { responseType, ...config } = sdkConfig(overrides);
  return overrides.responseType ? { ...config, responseType } : config;
};

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Throws a clear message when the wasm package has not been built (for the SDK test files). */
export function requirePkg() {
  if (!fs.existsSync(PKG_JS)) {
    throw new Error(
      `${path.relative(ROOT, PKG_JS)} is missing: build the SDK first ` +
      '(bash scripts/build.sh).',
    );
  }
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      // Loopback only: the provider's dev pages @import a web font; fail that at once.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    ],
  });
}

// Installed in every page: runs fn (or awaits a promise) and returns a serialisable outcome, so
// the tests can read the SDK's error fields (.error, .errorDescription, .state, .reason).
function installSettle() {
  window.settle = (fn) =>
    new Promise((resolve) => resolve(typeof fn === 'function' ? fn() : fn)).then(
      (value) => ({ ok: true, value }),
      (e) => ({
        ok: false,
        error: {
          isError: e instanceof Error,
          name: e?.name,
          message: e?.message ?? String(e),
          error: e?.error,
          errorDescription: e?.errorDescription,
          state: e?.state,
          reason: e?.reason,
        },
      }),
    );
  // Counts the window's live `message` listeners, so tests can see that none is left behind.
  window.messageListeners = 0;
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  const live = new Set();
  EventTarget.prototype.addEventListener = function (type, listener, ...rest) {
    if (this === window && type === 'message' && !live.has(listener)) live.add(listener);
    window.messageListeners = live.size;
    return add.call(this, type, listener, ...rest);
  };
  EventTarget.prototype.removeEventListener = function (type, listener, ...rest) {
    if (this === window && type === 'message') live.delete(listener);
    window.messageListeners = live.size;
    return remove.call(this, type, listener, ...rest);
  };
}

/**
 * Starts the dev environment in test mode and one Chromium.
 * Returns { browser, newContext(), newPage(), stopProvider(), startProvider(), close() }.
 */
export async function startEnv() {
  const dev = await startDevEnv({ testMode: true });
  let browser;
  try {
    browser = await launchBrowser();
  } catch (err) {
    await dev.close();
    throw err;
  }
  const contexts = new Set();
  return {
    browser,
    async newContext() {
      const context = await browser.newContext();
      await context.addInitScript(installSettle);
      contexts.add(context);
      context.on('close', () => contexts.delete(context));
      return context;
    },
    async newPage() {
      const context = await this.newContext();
      return { context, page: await context.newPage() };
    },
    stopProvider: () => dev.stopProvider(),
    startProvider: () => dev.startProvider(),
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await dev.close();
    },
  };
}

/**
 * Registers before/after hooks that start the environment once for the test file (checking that
 * pkg/ is built when `sdk`) and stop it. Returns the environment's methods plus freshPage(t),
 * a page in a new context that is closed when test t ends.
 */
export function useEnv({ sdk = false } = {}) {
  let env;
  before(async () => {
    if (sdk) requirePkg();
    env = await startEnv();
  });
  after(async () => {
    await env?.close();
  });
  return {
    get browser() {
      return env.browser;
    },
    newContext: () => env.newContext(),
    newPage: () => env.newPage(),
    stopProvider: () => env.stopProvider(),
    startProvider: () => env.startProvider(),
    async freshPage(t) {
      const { context, page } = await env.newPage();
      t.after(() => context.close());
      return { context, page };
    },
  };
}

/** Opens the e2e page (optionally with a hash) and waits until the wasm package is initialised. */
export async function gotoE2E(page, url = E2E) {
  await page.goto(url);
  await waitForReady(page);
}

export async function waitForReady(page) {
  try {
    await page.waitForFunction(() => window.spaAuthReady === true, null, { timeout: 15_000 });
  } catch (err) {
    throw new Error(`e2e.html never set window.spaAuthReady (is ${path.relative(ROOT, PKG_JS)} built and loadable?): ${err.message}`);
  }
}

/**
 * Goes through the provider's development login and consent pages, starting from wherever the
 * page is (the provider, or on its way there), until the browser is back on the app.
 */
export async function login(page, { login = 'ada', password = 'any-password', app = APP } = {}) {
  for (let step = 0; step < 5; step += 1) {
    await page.waitForURL((u) => u.origin === app || u.pathname.startsWith('/interaction/'), {
      waitUntil: 'domcontentloaded',
    });
    if (new URL(page.url()).origin === app) return;
    const promptInput = page.locator('input[name=prompt]');
    const prompt = (await promptInput.count()) ? await promptInput.getAttribute('value') : null;
    const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() });
    if (prompt === 'login') {
      await page.fill('input[name=login]', login);
      await page.fill('input[name=password]', password);
      await page.click('button[type=submit]');
    } else if (prompt === 'consent') {
      await page.click('button[type=submit]');
    } else {
      throw new Error(`unexpected provider page ${page.url()}: ${(await page.textContent('body'))?.trim().slice(0, 300)}`);
    }
    await navigated;
  }
  throw new Error(`still at the provider after 5 pages: ${page.url()}`);
}

/** Calls auth.authorize() in the page and waits until the top page has set off for the provider. */
export async function startSdkAuthorize(page, config, options = {}, provider = PROVIDER) {
  const leaving = page.waitForRequest(
    (req) => req.isNavigationRequest() && req.frame() === page.mainFrame() && req.url().startsWith(`${provider}/`),
    { timeout: 10_000 },
  );
  // …and until that navigation has committed (at the provider, or back at the app already when
  // the provider answers at once), so that login() below starts from the right page.
  const committed = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 15_000 });
  committed.catch(() => {});
  await page.evaluate(([cfg, opts]) => {
    window.auth = new window.WebAuth(cfg);
    window.authorizeOutcome = window.settle(() => window.auth.authorize(opts));
  }, [config, options]);
  try {
    await leaving;
  } catch {
    const outcome = await page.evaluate(() => window.authorizeOutcome);
    throw new Error(`authorize() did not navigate to the provider: ${JSON.stringify(outcome)}`);
  }
  await committed;
}

/** Runs auth.parseHash() on a fresh WebAuth in the page (window.auth) and returns its outcome. */
export function parseHashIn(page, config) {
  return page.evaluate((cfg) => {
    window.auth = new window.WebAuth(cfg);
    return window.settle(() => window.auth.parseHash());
  }, config);
}

/**
 * A full SDK login: e2e page → authorize() → dev login/consent → back → parseHash().
 * Leaves window.auth holding the tokens. Returns { outcome, callbackUrl }.
 */
export async function sdkLogin(page, { config = sdkConfig(), options = {}, login: who = 'ada', provider = PROVIDER } = {}) {
  await gotoE2E(page);
  await startSdkAuthorize(page, config, options, provider);
  await login(page, { login: who });
  const callbackUrl = page.url();
  await waitForReady(page);
  const outcome = await parseHashIn(page, config);
  return { outcome, callbackUrl };
}

/** Fails the test with the SDK's error when an outcome is a rejection. */
export function expectOk(outcome, what = 'call') {
  if (!outcome.ok) throw new Error(`${what} rejected: ${JSON.stringify(outcome.error)}`);
  return outcome.value;
}

/** Records the requests of a page (and its frames) whose URL matches `re`. */
export function recordRequests(page, re) {
  const seen = [];
  page.on('request', (req) => {
    if (re.test(req.url())) seen.push(req.url());
  });
  return seen;
}

/** Everything localhost:8080 keeps in the browser: cookies, localStorage, sessionStorage. */
export async function appStorage(context, page) {
  const cookies = (await context.cookies(APP)).map((c) => `${c.name}=${c.value}`);
  const stores = await page.evaluate(() => ({
    local: Object.entries(localStorage).map(([k, v]) => `${k}=${v}`),
    session: Object.entries(sessionStorage).map(([k, v]) => `${k}=${v}`),
  }));
  return { cookies, ...stores, all: [...cookies, ...stores.local, ...stores.session].join('\n') };
}

export function fragmentParams(url) {
  return Object.fromEntries(new URLSearchParams(new URL(url).hash.slice(1)));
}

// ---------------------------------------------------------------------------------------------
// What the provider issues, checked on the node side independently of the SDK (dev/jwt.mjs).

const providerSigningKeys = providerKeys(PROVIDER);

/** Verifies an RS256 JWT against the provider's published keys; returns the payload. */
export async function verifyJwt(token) {
  return (await verifySignedJwt(token, providerSigningKeys)).payload;
}

export function randomToken(bytes = 16) {
  return crypto.randomBytes(bytes).toString('base64url');
}

/** An authorize URL of the provider (raw, without the SDK). */
export function authorizeUrl(params) {
  const url = new URL(`${PROVIDER}/authorize`);
  for (const [k, v] of Object.entries({ client_id: 'spa-test', redirect_uri: E2E, ...params })) {
    if (v !== undefined) url.searchParams.set(k, v);
  }
  return url.href;
}

/**
 * A raw implicit login without the SDK: opens the provider's /authorize with `params`, logs in,
 * and returns the parameters of the fragment the provider redirected back with.
 */
export async function rawLogin(page, params, { login: who = 'ada' } = {}) {
  const state = randomToken();
  const nonce = randomToken();
  await page.goto(authorizeUrl({
    response_type: 'id_token token',
    scope: SDK_SCOPE,
    audience: API_AUDIENCE,
    state,
    nonce,
    ...params,
  }));
  await login(page, { login: who });
  return { state, nonce, url: page.url(), fragment: fragmentParams(page.url()) };
}

// ---------------------------------------------------------------------------------------------
// An attacker's page on another origin (http://localhost:8081/hostile.html?state=…): framed into
// the app, it posts a forged authorization response with the right state to the app's origin.

const HOSTILE_PAGE = `<!doctype html><meta charset="utf-8"><title>hostile</title><script>
  var q = new URLSearchParams(location.search);
  var forged = { state: q.get('state'), access_token: 'forged', id_token: 'forged.forged.forged',
    token_type: 'Bearer', expires_in: '86400', scope: 'read:messages write:messages' };
  parent.postMessage({ type: 'authorization_response', response: forged }, ${JSON.stringify(APP)});
  fetch('/posted', { method: 'POST' });
</script>`;

export async function startHostileServer({ port = HOSTILE_PORT } = {}) {
  let onPost = () => {};
  const server = await listenLoopback((req, res) => {
    if (req.url.startsWith('/hostile.html')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      return res.end(HOSTILE_PAGE);
    }
    if (req.url === '/posted' && req.method === 'POST') {
      onPost();
      res.writeHead(204);
      return res.end();
    }
    res.writeHead(404);
    return res.end();
  }, port, 'Hostile test page server');
  return {
    url: `http://localhost:${port}`,
    /** A promise for the next time a hostile page reports that it has posted its forged message. */
    nextPost: () => new Promise((resolve) => { onPost = resolve; }),
    close: () => server.close(),
  };
}
