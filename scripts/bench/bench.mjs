// Speed of spa-auth side by side with auth0-js 9 in the same run, in headless Chromium against the
// dev environment in test mode (dev/start.mjs: the local OpenID provider on localhost:3000 and the
// app server on localhost:8080), in this process.
//
//   node scripts/bench/bench.mjs [--runs N]     # after a release build: bash scripts/bench.sh does both
//
// Method
// - Log in once through the provider's dev login and consent pages, so that every later request
//   with prompt=none is answered at once from the provider's session.
// - page load → parseHash resolved, per library and run: open its bench page (pages/, served at /bench/), call
//   the library's authorize({ prompt: 'none' }) there (so the library stores its own transaction:
//   sessionStorage for spa-auth, a cookie for auth0-js); the browser's request to /authorize is
//   sent on with its cookies, but the provider's redirect is held back, so the callback URL with
//   its real, fresh fragment stays unread. Then go to about:blank and load that callback URL
//   directly (no redirect): the page records performance.now() (ms since its navigation started)
//   when parseHash resolved. The server sends no-store, so every load fetches and compiles the
//   library again (no HTTP or code cache). The two libraries alternate within each run.
// - checkSession overhead: in one page (pages/silent.html), per run, (a) a bare hidden iframe
//   to /authorize?prompt=none&response_mode=web_message until its message arrives, (b) spa-auth
//   checkSession(), (c) auth0-js checkSession(); the order rotates every run so noise hits all
//   three alike. Overhead = b − a and c − a, paired per run. Both libraries keep one instance.
// - Runs 1 warm-up round of everything first (not counted). Reports median and p90 (nearest rank).
// Token strings never leave the pages: they report timings and booleans only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { startDevEnv } from '../../dev/start.mjs';
import { APP, PROVIDER, launchBrowser, rawLogin, requirePkg } from '../../tests/e2e/harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const RUNS = Number(values.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive integer, not ${values.runs}`);

const LOAD_PAGES = { 'spa-auth': `${APP}/bench/spa-auth.html`, 'auth0-js': `${APP}/bench/auth0.html` };
const SILENT = ['bare', 'spaAuth', 'auth0js'];

/** Tokens must never be printed: blank out fragments and anything shaped like a JWT. */
const redact = (text) => String(text).replace(/#[^\s'"]+/g, '#…').replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, '<jwt>');
const log = (line) => console.log(`[bench] ${line}`);

/**
 * On `pageUrl`, lets the library start a prompt=none login and returns the callback URL the
 * provider answered with. The browser's request to /authorize goes out with its cookies
 * (route.fetch), but its redirect is not followed: the callback page must not read it yet.
 */
async function freshCallback(page, pageUrl) {
  await page.goto(pageUrl);
  await page.waitForFunction(() => window.bench);
  let location;
  const isAuthorize = (u) => u.origin === PROVIDER && u.pathname === '/authorize';
  const hold = async (route) => {
    location = (await route.fetch({ maxRedirects: 0 })).headers().location;
    await route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>held</title>' });
  };
  await page.route(isAuthorize, hold);
  try {
    const held = page.waitForURL(isAuthorize, { timeout: 10_000 });
    await page.evaluate(() => { setTimeout(() => window.login()); });
    await held;
  } finally {
    await page.unroute(isAuthorize, hold);
  }
  if (!location?.startsWith(`${pageUrl}#`)) throw new Error('the provider did not redirect back at once');
  const fragment = new URLSearchParams(new URL(location).hash.slice(1));
  if (fragment.has('error')) throw new Error(`the provider answered ${fragment.get('error')}`);
  return location;
}

/** Loads the callback URL afresh; returns what the page recorded, and its requests to the provider. */
async function timedLoad(page, callbackUrl) {
  await page.goto('about:blank');
  const toProvider = [];
  const onRequest = (req) => req.url().startsWith(PROVIDER) && toProvider.push(new URL(req.url()).pathname);
  page.on('request', onRequest);
  try {
    await page.goto(callbackUrl);
    await page.waitForFunction(() => window.bench, null, { timeout: 15_000 });
  } finally {
    page.off('request', onRequest);
  }
  const bench = await page.evaluate(() => window.bench);
  if (!bench.ok) throw new Error(`parseHash failed: ${bench.error}`);
  if (!bench.result?.accessToken) throw new Error('parseHash returned no tokens');
  return { ...bench, toProvider };
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return {
    median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2,
    p90: s[Math.ceil(0.9 * s.length) - 1],
  };
}
const fmt = (samples) => {
  if (!samples) return '—';
  const { median, p90 } = stats(samples);
  return `${median.toFixed(1).padStart(7)} / ${p90.toFixed(1).padStart(7)}`;
};

function sizes() {
  console.log('\nPackage sizes (bytes): spa-auth release package (scripts/size.sh --no-build)');
  execFileSync('bash', ['scripts/size.sh', '--no-build'], { cwd: ROOT, stdio: 'inherit' });
  const file = 'node_modules/auth0-js/dist/auth0.min.js';
  const raw = fs.readFileSync(path.join(ROOT, file));
  const gz = zlib.gzipSync(raw, { level: 9 }).length;
  const br = zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`\nauth0-js 9.32.0\n${file.padEnd(40)} raw ${raw.length}  gzip-9 ${gz}  brotli ${br}`);
  const ours = ['pkg/spa_auth_bg.wasm', 'pkg/spa_auth.js']
    .reduce((sum, f) => sum + zlib.gzipSync(fs.readFileSync(path.join(ROOT, f)), { level: 9 }).length, 0);
  return { 'spa-auth': ours, 'auth0-js': gz };
}

async function main() {
  requirePkg();
  const env = await startDevEnv({ testMode: true });
  let browser;
  try {
    browser = await launchBrowser();
    // A plain context: none of the harness's test hooks in these pages.
    const page = await (await browser.newContext()).newPage();
    log(`Chromium ${browser.version()}, ${RUNS} runs (+1 warm-up), provider ${PROVIDER}, app ${APP}`);
    await rawLogin(page, {});
    log('logged in once at the provider (ada); consent given');

    const load = { 'spa-auth': [], 'auth0-js': [] };
    const parse = { 'spa-auth': [], 'auth0-js': [] };
    const seen = {};
    for (let run = 0; run <= RUNS; run += 1) {
      const order = run % 2 ? ['auth0-js', 'spa-auth'] : ['spa-auth', 'auth0-js'];
      for (const lib of order) {
        const result = await timedLoad(page, await freshCallback(page, LOAD_PAGES[lib]));
        seen[lib] = result;
        if (run === 0) continue; // warm-up
        load[lib].push(result.done);
        parse[lib].push(result.done - result.ready);
      }
    }
    log(`page load → parseHash: ${RUNS} fresh callbacks per library`);

    await page.goto(`${APP}/bench/silent.html`);
    await page.waitForFunction(() => window.silentReady === true, null, { timeout: 15_000 });
    const silent = { bare: [], spaAuth: [], auth0js: [] };
    const fetched = { bare: new Set(), spaAuth: new Set(), auth0js: new Set() }; // besides /authorize
    let current;
    page.on('request', (req) => {
      const { origin, pathname } = new URL(req.url());
      if (current && origin === PROVIDER && pathname !== '/authorize') current.add(pathname);
    });
    for (let run = 0; run <= RUNS; run += 1) {
      const order = [...SILENT.slice(run % 3), ...SILENT.slice(0, run % 3)];
      for (const kind of order) {
        current = run > 0 ? fetched[kind] : undefined;
        const ms = await page.evaluate((k) => window.silent[k](), kind);
        if (run > 0) silent[kind].push(ms);
      }
    }
    current = undefined;
    const overhead = (kind) => silent[kind].map((ms, i) => ms - silent.bare[i]);
    log(`checkSession: ${RUNS} interleaved rounds`);

    const gzip = sizes();
    const rows = [
      ['page load → parseHash resolved', load['spa-auth'], load['auth0-js']],
      ['  of which library ready → resolved', parse['spa-auth'], parse['auth0-js']],
      ['bare prompt=none iframe (shared floor)', silent.bare, silent.bare],
      ['checkSession()', silent.spaAuth, silent.auth0js],
      ['checkSession overhead over bare iframe', overhead('spaAuth'), overhead('auth0js')],
    ];
    const line = '-'.repeat(84);
    console.log(`\nSummary: ${RUNS} runs each, median / p90 in ms (Chromium ${browser.version()}, headless, loopback)`);
    console.log(line);
    console.log(`${''.padEnd(42)}${'spa-auth'.padStart(19)}${'auth0-js'.padStart(21)}`);
    console.log(line);
    for (const [name, a, b] of rows) console.log(`${name.padEnd(42)}  ${fmt(a)}    ${fmt(b)}`);
    console.log(line);
    console.log(`${'package, gzip -9 bytes'.padEnd(42)}${String(gzip['spa-auth']).padStart(19)}${String(gzip['auth0-js']).padStart(21)}`);
    console.log(line);
    const list = (paths) => [...paths].join(' + ') || 'none';
    const atHash = (lib) => (seen[lib].result.atHash ? 'yes' : 'no');
    console.log(`Requests to the provider during one callback load (after the HTML and the library):
  spa-auth  ${list(seen['spa-auth'].toProvider)}
  auth0-js  ${list(seen['auth0-js'].toProvider)}
Requests to the provider per checkSession besides /authorize (after the warm-up round):
  spa-auth  ${list(fetched.spaAuth)}
  auth0-js  ${list(fetched.auth0js)}
What was verified (the ID tokens carried at_hash: spa-auth ${atHash('spa-auth')}, auth0-js ${atHash('auth0-js')}):
  spa-auth  state against its sessionStorage transaction (consumed once), response shape; ID token
            alg from an allow-list, RS256 signature with WebCrypto against the JWKS named by
            discovery (both cached per instance); iss (exact, from discovery), aud, azp, sub,
            exp/iat/nbf with leeway, nonce; at_hash, required whenever an access token came.
            checkSession listens to the iframe's own window at the provider's exact origin only.
  auth0-js  state against its cookie transaction; ID token RS256 signature in pure JS (jsbn
            BigInteger, not WebCrypto) against overrides.__jwks_uri, fetched again for every token
            (no key cache); iss = overrides.__token_issuer, aud, azp (only when aud is an array),
            sub, exp/nbf with leeway, iat present, nonce; at_hash only when the ID token has one;
            checkSession's message listener checks type and state only, not event.origin/source.`);
  } finally {
    await browser?.close().catch(() => {});
    await env.close();
  }
}

main().catch((err) => {
  console.error(`[bench] failed: ${redact(err?.stack ?? err)}`);
  process.exitCode = 1;
});
