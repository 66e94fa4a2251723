// Speed of spa-auth side by side with auth0-js 9 (implicit) and auth0-spa-js 2 (code + PKCE) in the
// same run, in headless Chromium against the dev environment in test mode (dev/start.mjs: the local
// OpenID provider on localhost:3000 and the app server on localhost:8080) plus a second, Auth0-shaped
// provider for the code + PKCE pair (BENCH_CODE_PROVIDER, issuer http://127.0.0.1:3001/), in this process.
//
//   node scripts/bench/bench.mjs [--runs N] [--markdown FILE]   # after a release build: bash scripts/bench.sh
//
// Libraries and pages (pages/, served at /bench/): spa-auth implicit (spa-auth.html) vs auth0-js
// (auth0.html) on localhost:3000; spa-auth code + PKCE in domain mode (code-spa-auth.html) vs
// auth0-spa-js with its defaults (code-auth0-spa-js.html, response_mode=query) on 127.0.0.1:3001.
// auth0-spa-js expects the issuer `${domain}/` (the main provider's has no slash), hence the second
// provider; 127.0.0.1 so its session cookie does not collide with localhost:3000's (cookies ignore ports).
//
// Method
// - Log in once through the provider's dev login and consent pages, so that every later request
//   with prompt=none is answered at once from the provider's session.
// - page load → tokens (parseHash / handleRedirectCallback resolved), per library and run: open its bench page (pages/, served at /bench/), call
//   the library's authorize({ prompt: 'none' }) (auth0-spa-js: loginWithRedirect) there (so the library stores its own transaction:
//   sessionStorage for spa-auth and auth0-spa-js, a cookie for auth0-js); the browser's request to /authorize is
//   sent on with its cookies, but the provider's redirect is held back, so the callback URL with
//   its real, fresh fragment stays unread. Then go to about:blank and load that callback URL
//   directly (no redirect): the page records performance.now() (ms since its navigation started)
//   when parseHash resolved, then logs `bench:done`, which this script waits for (no script of
//   Playwright's is injected into the page or polls it while it works). The server sends
//   no-store, so every load fetches and compiles the library again (no HTTP or code cache). The
//   four libraries rotate within each run.
// - checkSession overhead: in one page (pages/silent.html), per run, (a) a bare hidden iframe
//   to /authorize?prompt=none&response_mode=web_message until its message arrives, (b) spa-auth
//   checkSession(), (c) auth0-js checkSession(); the order rotates every run so noise hits all
//   three alike. Overhead = b − a and c − a, paired per run. Both libraries keep one instance.
// - Leak check: then, in the same page, 500 spa-auth checkSession() calls in a row (and 500 of auth0-js):
//   iframes and window `message` listeners left (DevTools protocol), JS heap growth after a forced GC,
//   and the growth of spa-auth's wasm memory.
// - The spa-auth pages carry the preload hints the README recommends (modulepreload for the glue,
//   preload as=fetch for the wasm); the server sends the wasm as application/wasm (streaming compilation).
// - Runs 1 warm-up round of everything first (not counted). Reports median and p90 (nearest rank).
// Token strings never leave the pages: they report timings and booleans only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import os from 'node:os';
import { BENCH_CODE_PROVIDER } from '../../dev/constants.mjs';
import { startProvider } from '../../dev/provider.mjs';
import { startDevEnv } from '../../dev/start.mjs';
import { APP, PROVIDER, launchBrowser, login, rawLogin, requirePkg } from '../../tests/e2e/harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, markdown: { type: 'string' } } });
const RUNS = Number(values.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive integer, not ${values.runs}`);

// Per library: its bench page and the provider it talks to. The code + PKCE pair both use the
// Auth0-shaped bench provider (BENCH_CODE_PROVIDER in dev/constants.mjs: auth0-spa-js 2.x expects the
// issuer `${domain}/`); the implicit pair the main dev provider, as before.
const LOAD_PAGES = {
  'spa-auth': [`${APP}/bench/spa-auth.html`, PROVIDER],
  'auth0-js': [`${APP}/bench/auth0.html`, PROVIDER],
  'spa-auth code': [`${APP}/bench/code-spa-auth.html`, BENCH_CODE_PROVIDER],
  'auth0-spa-js': [`${APP}/bench/code-auth0-spa-js.html`, BENCH_CODE_PROVIDER],
};
const LIBS = Object.keys(LOAD_PAGES);
const PROVIDERS = [PROVIDER, BENCH_CODE_PROVIDER];
const SILENT = ['bare', 'spaAuth', 'auth0js'];

/** Tokens must never be printed: blank out fragments and anything shaped like a JWT. */
const redact = (text) => String(text).replace(/#[^\s'"]+/g, '#…').replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, '<jwt>');
const log = (line) => console.log(`[bench] ${line}`);

/**
 * On `pageUrl`, lets the library start a prompt=none login and returns the callback URL the
 * provider answered with. The browser's request to /authorize goes out with its cookies
 * (route.fetch), but its redirect is not followed: the callback page must not read it yet.
 */
async function freshCallback(page, [pageUrl, provider]) {
  await page.goto(pageUrl);
  await page.waitForFunction(() => window.bench);
  let location;
  const isAuthorize = (u) => u.origin === provider && u.pathname === '/authorize';
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
  if (!location?.startsWith(`${pageUrl}#`) && !location?.startsWith(`${pageUrl}?`)) {
    throw new Error('the provider did not redirect back at once');
  }
  const back = new URL(location);
  for (const params of [new URLSearchParams(back.hash.slice(1)), back.searchParams]) {
    if (params.has('error')) throw new Error(`the provider answered ${params.get('error')}`);
  }
  return location;
}

/** Loads the callback URL afresh; returns what the page recorded, and its requests to the provider. */
async function timedLoad(page, callbackUrl) {
  await page.goto('about:blank');
  const toProvider = [];
  const onRequest = (req) => PROVIDERS.some((p) => req.url().startsWith(p)) && toProvider.push(new URL(req.url()).pathname);
  page.on('request', onRequest);
  try {
    // The page says `bench:done` on its console once it recorded its times; nothing is injected
    // into it or polled meanwhile. (page.waitForFunction injects Playwright's script once the load
    // event fired, and its compile takes the main thread for 10–20 ms: a spa-auth page fires load
    // while its module still awaits the wasm, before its token request, so that compile landed in
    // spa-auth's timed window and after auth0-spa-js's.)
    const done = page.waitForEvent('console', { predicate: (m) => m.text() === 'bench:done', timeout: 15_000 });
    await page.goto(callbackUrl, { waitUntil: 'commit' });
    await done;
  } finally {
    page.off('request', onRequest);
  }
  // The token request's span by the page's own clock, read once the page is done: when it left
  // (fetchStart) and when its answer was in (responseEnd).
  const bench = await page.evaluate(() => {
    const token = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/oauth/token'));
    return { ...window.bench, token: token && { sent: token.fetchStart, answered: token.responseEnd } };
  });
  if (!bench.ok) throw new Error(`parseHash failed on ${callbackUrl.split(/[?#]/)[0]}: ${bench.error}`);
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

const CACHE = 'node_modules/.cache/spa-auth-bench'; // filled by scripts/bench.sh (npm pack)
const OTHERS = [
  ['auth0-js 9.32.0', 'node_modules/auth0-js/dist/auth0.min.js', 'minified UMD'],
  ['auth0-spa-js 2.28.3', `${CACHE}/auth0-spa-js.production.js`, 'minified UMD'],
  ['oidc-client-ts 3.5.0', `${CACHE}/oidc-client-ts.min.js`, 'minified browser bundle'],
  ['oauth4webapi 3.8.8', `${CACHE}/oauth4webapi.js`, 'its ESM build, not minified'],
];

function measure(files) {
  const sum = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of files) {
    const raw = fs.readFileSync(path.join(ROOT, f));
    sum.raw += raw.length;
    sum.gzip += zlib.gzipSync(raw, { level: 9 }).length;
    sum.brotli += zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return sum;
}

/** Sizes in bytes (raw, gzip -9, brotli 11) of spa-auth's pkg and of the others that are here. */
function sizes() {
  const rows = [['spa-auth (this build)', 'pkg/spa_auth_bg.wasm + pkg/spa_auth.js', 'release, wasm-opt', measure(['pkg/spa_auth_bg.wasm', 'pkg/spa_auth.js'])]];
  for (const [name, file, note] of OTHERS) {
    if (fs.existsSync(path.join(ROOT, file))) rows.push([name, file, note, measure([file])]);
  }
  return rows;
}

const LEAK_CALLS = 500;

/** The parts of the code flow's ready → tokens (timedLoad: the token request's resource timing). */
const SPLIT = [
  ['before', 'ready → token request sent'],
  ['request', 'token request (sent → answer in)'],
  ['after', 'answer in → tokens'],
];

/** The page's `message` listeners on window, and the JS heap in use after a full GC (DevTools protocol). */
async function pageState(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
  const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
  return { heap: usedSize, listeners: listeners.filter((l) => l.type === 'message').length };
}

/** LEAK_CALLS checkSession() calls in a row: iframes and message listeners left, JS heap and wasm memory growth. */
async function leakCheck(page, kind) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const before = await pageState(cdp);
    const { frames, wasmGrowth } = await page.evaluate(([k, n]) => window.leak(k, n), [kind, LEAK_CALLS]);
    const after = await pageState(cdp);
    return { frames, listeners: after.listeners - before.listeners, heapGrowth: after.heap - before.heap, wasmGrowth };
  } finally {
    await cdp.detach();
  }
}

async function loginAt(page, provider) {
  const url = new URL(`${provider}/authorize`);
  url.search = new URLSearchParams({
    client_id: 'spa-test', redirect_uri: `${APP}/bench/code-spa-auth.html`, response_type: 'id_token token',
    scope: 'openid profile email read:messages', audience: 'https://api.example.test/', state: 'bench', nonce: 'bench',
  });
  await page.goto(url.href);
  await login(page, {});
}

async function main() {
  requirePkg();
  const env = await startDevEnv({ testMode: true });
  let codeProvider;
  let browser;
  try {
    codeProvider = await startProvider({ port: Number(new URL(BENCH_CODE_PROVIDER).port), issuer: `${BENCH_CODE_PROVIDER}/` });
    browser = await launchBrowser();
    // A plain context: none of the harness's test hooks in these pages.
    const page = await (await browser.newContext()).newPage();
    log(`Chromium ${browser.version()}, ${RUNS} runs (+1 warm-up), providers ${PROVIDER} and ${BENCH_CODE_PROVIDER}/, app ${APP}`);
    await rawLogin(page, {});
    await loginAt(page, BENCH_CODE_PROVIDER);
    log('logged in once at both providers (ada); consent given');

    const load = Object.fromEntries(LIBS.map((l) => [l, []]));
    const parse = Object.fromEntries(LIBS.map((l) => [l, []]));
    // The code flow's ready → tokens in three: until the token request left, the request, after its answer.
    const CODE = ['spa-auth code', 'auth0-spa-js'];
    const split = Object.fromEntries(CODE.map((l) => [l, { before: [], request: [], after: [] }]));
    const seen = {};
    for (let run = 0; run <= RUNS; run += 1) {
      const order = [...LIBS.slice(run % LIBS.length), ...LIBS.slice(0, run % LIBS.length)];
      for (const lib of order) {
        const result = await timedLoad(page, await freshCallback(page, LOAD_PAGES[lib]));
        seen[lib] = result;
        if (run === 0) continue; // warm-up
        load[lib].push(result.done);
        parse[lib].push(result.done - result.ready);
        if (split[lib] && result.token) {
          split[lib].before.push(result.token.sent - result.ready);
          split[lib].request.push(result.token.answered - result.token.sent);
          split[lib].after.push(result.done - result.token.answered);
        }
      }
    }
    log(`page load → tokens: ${RUNS} fresh callbacks per library`);

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
    const leaks = {};
    for (const kind of ['spaAuth', 'auth0js']) leaks[kind] = await leakCheck(page, kind);
    log(`leak check: ${LEAK_CALLS} checkSession calls each`);

    const sizeRows = sizes();
    const med = (samples) => stats(samples).median;
    const ratio = (a, b) => (med(a) / med(b)).toFixed(2);
    const rows = [
      ['page load → tokens verified', load['spa-auth'], load['auth0-js']],
      ['  of which library ready → tokens', parse['spa-auth'], parse['auth0-js']],
      ['bare prompt=none iframe (shared floor)', silent.bare, silent.bare],
      ['checkSession()', silent.spaAuth, silent.auth0js],
      ['checkSession overhead over bare iframe', overhead('spaAuth'), overhead('auth0js')],
    ];
    const line = '-'.repeat(84);
    console.log(`\nImplicit ('id_token token'): ${RUNS} runs each, median / p90 in ms (Chromium ${browser.version()}, headless, loopback)`);
    console.log(line);
    console.log(`${''.padEnd(42)}${'spa-auth'.padStart(19)}${'auth0-js'.padStart(21)}`);
    console.log(line);
    for (const [name, a, b] of rows) console.log(`${name.padEnd(42)}  ${fmt(a)}    ${fmt(b)}`);
    console.log(line);
    console.log(`\nCode + PKCE: ${RUNS} runs each, median / p90 in ms`);
    console.log(line);
    console.log(`${''.padEnd(42)}${'spa-auth'.padStart(19)}${'auth0-spa-js'.padStart(21)}`);
    console.log(line);
    console.log(`${'page load → tokens'.padEnd(42)}  ${fmt(load['spa-auth code'])}    ${fmt(load['auth0-spa-js'])}`);
    console.log(`${'  of which library ready → tokens'.padEnd(42)}  ${fmt(parse['spa-auth code'])}    ${fmt(parse['auth0-spa-js'])}`);
    for (const [part, name] of SPLIT) {
      console.log(`${`    ${name}`.padEnd(42)}  ${fmt(split['spa-auth code'][part])}    ${fmt(split['auth0-spa-js'][part])}`);
    }
    console.log(line);
    console.log(`Ratios of medians, page load → tokens: spa-auth implicit / auth0-js ${ratio(load['spa-auth'], load['auth0-js'])}, ` +
      `spa-auth code / auth0-spa-js ${ratio(load['spa-auth code'], load['auth0-spa-js'])}`);
    const list = (paths) => [...paths].join(' + ') || 'none';
    const atHash = (lib) => (seen[lib].result.atHash ? 'yes' : 'no');
    console.log(`Requests to the providers during one callback load (after the HTML and the library):
${LIBS.map((l) => `  ${l.padEnd(14)} ${list(seen[l].toProvider)}`).join('\n')}
Requests to the provider per checkSession besides /authorize (after the warm-up round):
  spa-auth  ${list(fetched.spaAuth)}
  auth0-js  ${list(fetched.auth0js)}`);
    const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
    const leakLine = (l) => `${l.frames} iframes, ${l.listeners} message listeners left; JS heap ${l.heapGrowth >= 0 ? '+' : ''}${kb(l.heapGrowth)}` +
      (l.wasmGrowth === undefined ? '' : `, wasm memory +${kb(l.wasmGrowth)}`);
    console.log(`\n${LEAK_CALLS} checkSession calls in a row:\n  spa-auth  ${leakLine(leaks.spaAuth)}\n  auth0-js  ${leakLine({ ...leaks.auth0js, wasmGrowth: undefined })}`);
    console.log('\nSizes (bytes): raw / gzip -9 / brotli 11');
    for (const [name, file, note, z] of sizeRows) console.log(`  ${name.padEnd(22)} ${String(z.raw).padStart(8)} ${String(z.gzip).padStart(8)} ${String(z.brotli).padStart(8)}  ${file} (${note})`);

    if (values.markdown) {
      const md = (samples) => `${stats(samples).median.toFixed(1)} / ${stats(samples).p90.toFixed(1)}`;
      const mem = (os.totalmem() / 2 ** 30).toFixed(1);
      const text = `# Benchmarks

Written by \`bash scripts/bench.sh\` (method: the header of \`scripts/bench/bench.mjs\`). **One run of ${RUNS}
rounds (+1 warm-up) on a busy machine: ${os.availableParallelism()} cores (nproc), ${mem} GiB memory, headless Chromium ${browser.version()},
${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.** Numbers are medians / p90 (nearest rank) in ms from this one run on a shared
2-core machine; other work on it moves them. The libraries rotate within every round, so noise hits them
alike: **the ratios are what counts**, not the absolute milliseconds.

## Page load → verified tokens on the callback

The provider's redirect carrying a fresh code or fresh tokens is held back and then loaded directly, with
no-store (no HTTP or code cache): the time from the callback page's navigation start until the library
hands over tokens (spa-auth \`parseHash()\`, auth0-js \`parseHash\`, auth0-spa-js \`handleRedirectCallback()\`).
For code + PKCE that includes the token request. "Library ready" is when the page's script could start
(for spa-auth: after \`init()\` fetched, compiled and instantiated the wasm), so the difference between the two
columns is mostly fetching and compiling the library.

| flow | library | page load → tokens | of which library ready → tokens |
|---|---|---|---|
| implicit \`id_token token\` | spa-auth | ${md(load['spa-auth'])} | ${md(parse['spa-auth'])} |
| implicit \`id_token token\` | auth0-js 9.32.0 | ${md(load['auth0-js'])} | ${md(parse['auth0-js'])} |
| code + PKCE | spa-auth | ${md(load['spa-auth code'])} | ${md(parse['spa-auth code'])} |
| code + PKCE | auth0-spa-js 2.28.3 | ${md(load['auth0-spa-js'])} | ${md(parse['auth0-spa-js'])} |

The code flow's ready → tokens in parts, by the page's resource timing of the token request (\`fetchStart\`,
\`responseEnd\`), median / p90:

| part | spa-auth | auth0-spa-js 2.28.3 |
|---|---|---|
${SPLIT.map(([part, name]) => `| ${name} | ${md(split['spa-auth code'][part])} | ${md(split['auth0-spa-js'][part])} |`).join('\n')}

**Ratios of the medians (page load → tokens):** spa-auth implicit / auth0-js = **${ratio(load['spa-auth'], load['auth0-js'])}**;
spa-auth code / auth0-spa-js = **${ratio(load['spa-auth code'], load['auth0-spa-js'])}** (below 1: spa-auth is faster).

Requests to the providers during one callback load (after the HTML and the library):
${LIBS.map((l) => `- ${l}: ${list(seen[l].toProvider)}`).join('\n')}

Set-up of each pair:
- Implicit: both against the dev provider (\`http://localhost:3000\`, issuer without a slash); spa-auth in
  \`issuer\` mode (discovery), auth0-js with \`overrides\` for the issuer and JWKS (pages/spa-auth.html, pages/auth0.html).
  spa-auth's login page fetched discovery and the JWKS from its constructor on and kept them in
  sessionStorage, so its callback reads them there (auth0-js fetches the JWKS on every callback).
- Code + PKCE: both against a second instance of the same provider, Auth0-shaped (\`http://127.0.0.1:3001\`,
  issuer \`http://127.0.0.1:3001/\`). auth0-spa-js 2.x takes a \`domain\` starting with \`http://\` as its base URL as
  is, but expects the issuer \`\${domain}/\` (its \`issuer\` option only takes \`https://\` or a bare host), so the
  dev provider's slash-less issuer cannot be used with it. spa-auth runs in \`domain\` mode there (Auth0
  conventions, no discovery request). auth0-spa-js with its defaults (\`response_mode=query\`, in-memory
  cache, transaction in sessionStorage); it checks the ID token's claims but not its signature; spa-auth
  verifies the RS256 signature with WebCrypto against the JWKS, which its login page fetched before it left
  and kept in sessionStorage (public documents only, at most 10 minutes), so the callback sends only the
  token request.
- Only these two pairs: auth0-spa-js 2 has no implicit flow, and auth0-js 9 is measured in the implicit flow
  its SPA users run.

## checkSession overhead (implicit, web_message)

Per round in one page: a bare hidden \`prompt=none\` iframe (\`id_token token\`, nothing verified), spa-auth
\`checkSession()\` with \`responseType: 'id_token token'\`, auth0-js \`checkSession()\`, order rotating. Overhead = library − bare, paired per round.

| | spa-auth | auth0-js 9.32.0 |
|---|---|---|
| bare prompt=none iframe (shared floor) | ${md(silent.bare)} | ${md(silent.bare)} |
| checkSession() | ${md(silent.spaAuth)} | ${md(silent.auth0js)} |
| overhead over the bare iframe | ${md(overhead('spaAuth'))} | ${md(overhead('auth0js'))} |

Requests to the provider per checkSession besides /authorize: spa-auth ${list(fetched.spaAuth)}; auth0-js ${list(fetched.auth0js)}.

### Leaks: ${LEAK_CALLS} checkSession() calls in a row (same page, after the rounds above)

Counted after the calls: hidden iframes in the page, \`message\` listeners on \`window\` (DevTools
\`DOMDebugger.getEventListeners\`, after − before), JS heap in use after a forced GC (after − before), and
the growth of spa-auth's wasm memory (it never shrinks, so this is what the calls kept at their peak).

| | spa-auth | auth0-js 9.32.0 |
|---|---|---|
| iframes left | ${leaks.spaAuth.frames} | ${leaks.auth0js.frames} |
| message listeners left | ${leaks.spaAuth.listeners} | ${leaks.auth0js.listeners} |
| JS heap growth | ${kb(leaks.spaAuth.heapGrowth)} | ${kb(leaks.auth0js.heapGrowth)} |
| wasm memory growth | ${kb(leaks.spaAuth.wasmGrowth)} | — |

## Sizes (bytes)

| library | raw | gzip -9 | brotli 11 | file |
|---|---:|---:|---:|---|
${sizeRows.map(([name, file, note, z]) => `| ${name} | ${z.raw} | ${z.gzip} | ${z.brotli} | \`${file}\` (${note}) |`).join('\n')}

auth0-spa-js, oidc-client-ts and oauth4webapi come from \`npm pack\` (scripts/bench.sh, into \`${CACHE}\`, not
committed); a library missing from this table could not be fetched. They are not like for like: auth0-spa-js
bundles its own JWT/DPoP code; oidc-client-ts is a generic OIDC client (its minified browser bundle) and
oauth4webapi a low-level OAuth/OIDC toolkit (size of its unminified ESM build); neither has an Auth0-style API.
`;
      fs.writeFileSync(path.resolve(values.markdown), text);
      log(`wrote ${values.markdown}`);
    }
  } finally {
    await browser?.close().catch(() => {});
    await codeProvider?.close();
    await env.close();
  }
}

main().catch((err) => {
  console.error(`[bench] failed: ${redact(err?.stack ?? err)}`);
  process.exitCode = 1;
});
