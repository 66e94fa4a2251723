// The second real OpenID Provider, django-oauth-toolkit 3.x (dev/django), on its own: no SDK and
// no app server. The app's origin (localhost:8080) is a stub page served by the browser, so this
// file shows what a client of this provider gets, stock quirks included: no response_modes in
// discovery, error redirects in the query even for implicit and prompt=none, logout redirects
// without a confirmation page only with an id_token_hint.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { DJANGO_CLIENT_ID, DJANGO_USERS, startDjangoProvider } from '../../dev/django/start.mjs';

const T = { timeout: 60_000 };
const ISSUER = 'http://localhost:8000/o';
const APP = 'http://localhost:8080';
const E2E = `${APP}/e2e.html`;
const STUB = '<!doctype html><meta charset="utf-8"><title>stub app</title><p>stub app';

let provider;
let browser;

before(async () => {
  provider = await startDjangoProvider({ port: 8000 });
  // As tests/e2e/harness.mjs launches it (Debian's Chromium, loopback only); not imported from
  // there because the harness also loads the first provider and the app server.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    ],
  });
});

after(async () => {
  await browser?.close();
  await provider?.close();
});

const randomToken = () => crypto.randomBytes(16).toString('base64url');

/**
 * A page in a new browser context (closed when test t ends) on which http://localhost:8080 is a
 * stub page. Playwright's routes never see a redirect's next request (by design), and the
 * provider answers with redirects, so the stub is served through Chromium's own Fetch domain,
 * which pauses every hop. A stub served that way has no address, so Chromium's Local Network
 * Access checks would take it for a public page and block its requests to the provider: hence
 * the permission.
 */
async function freshPage(t) {
  const context = await browser.newContext();
  t.after(() => context.close());
  await context.grantPermissions(['local-network-access'], { origin: APP });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  cdp.on('Fetch.requestPaused', ({ requestId }) => {
    cdp.send('Fetch.fulfillRequest', {
      requestId,
      responseCode: 200,
      responseHeaders: [{ name: 'Content-Type', value: 'text/html; charset=utf-8' }],
      body: Buffer.from(STUB).toString('base64'),
    }).catch(() => {}); // the page may be closing
  });
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: `${APP}/*`, requestStage: 'Request' }] });
  return { context, page };
}

function authorizeUrl(params) {
  const url = new URL(`${ISSUER}/authorize/`);
  const all = { client_id: DJANGO_CLIENT_ID, redirect_uri: E2E, scope: 'openid profile email', ...params };
  for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
  return url.href;
}

/** Fills and submits Django's login page, which the page must be on. */
async function submitLogin(page, login) {
  await page.fill('input[name=username]', login);
  await page.fill('input[name=password]', DJANGO_USERS[login]);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

/** Signs the context's browser in at the provider (its session cookie), without any client. */
async function signIn(page, login = 'ada') {
  await page.goto(`${provider.url}/accounts/login/`);
  await submitLogin(page, login);
  assert.equal(await page.textContent('#user'), login);
}

/** Opens an authorize URL and waits until the browser is back at the app; returns that URL. */
async function authorizeAt(page, params) {
  await page.goto(authorizeUrl(params));
  await page.waitForURL((u) => u.origin === APP);
  return new URL(page.url());
}

const fragmentOf = (url) => Object.fromEntries(new URLSearchParams(url.hash.slice(1)));
const queryOf = (url) => Object.fromEntries(url.searchParams);

async function jwks() {
  const discovery = await (await fetch(`${ISSUER}/.well-known/openid-configuration`)).json();
  return (await (await fetch(discovery.jwks_uri)).json()).keys;
}

/** Checks an RS256 JWT's signature against the provider's JWKS; returns its payload. */
async function verifyJwt(token) {
  const [h, p, s] = token.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  assert.equal(header.alg, 'RS256');
  const jwk = (await jwks()).find((k) => k.kid === header.kid);
  assert.ok(jwk, `no key ${header.kid} in the JWKS`);
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  assert.ok(crypto.verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')), 'bad signature');
  return JSON.parse(Buffer.from(p, 'base64url'));
}

const atHash = (accessToken) =>
  crypto.createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');

describe('django-oauth-toolkit provider', () => {
  test('discovery: exact issuer, end_session_endpoint, and no response_modes_supported', T, async () => {
    const res = await fetch(`${ISSUER}/.well-known/openid-configuration`, { headers: { Origin: APP } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const d = await res.json();
    assert.equal(provider.issuer, ISSUER);
    assert.equal(d.issuer, ISSUER);
    assert.equal(d.authorization_endpoint, `${ISSUER}/authorize/`);
    assert.equal(d.token_endpoint, `${ISSUER}/token/`);
    assert.equal(d.jwks_uri, `${ISSUER}/.well-known/jwks.json`);
    assert.equal(d.end_session_endpoint, `${ISSUER}/logout/`);
    // Absent means query and fragment only (OpenID Connect Discovery §3): no web_message.
    assert.equal(d.response_modes_supported, undefined);
    assert.equal(d.grant_types_supported, undefined);
    assert.ok(d.response_types_supported.includes('id_token token'));
    assert.ok(d.response_types_supported.includes('id_token'));
    assert.deepEqual(d.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(d.prompt_values_supported, ['none', 'login']);
    // Stock DOT also lists HS256 (for applications configured with it); ours signs RS256.
    assert.deepEqual(d.id_token_signing_alg_values_supported, ['RS256', 'HS256']);
  });

  test('JWKS: one RSA 2048 key for RS256 with a kid, public part only', T, async () => {
    const res = await fetch(`${ISSUER}/.well-known/jwks.json`);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const { keys } = await res.json();
    assert.equal(keys.length, 1);
    const [key] = keys;
    assert.equal(key.kty, 'RSA');
    assert.equal(key.alg, 'RS256');
    assert.equal(key.use, 'sig');
    assert.ok(key.kid);
    assert.equal(key.d, undefined, 'the JWKS must not leak the private key');
    assert.equal(Buffer.from(key.n, 'base64url').length * 8, 2048);
  });

  test('login page, then implicit id_token token: verified tokens in the fragment', T, async (t) => {
    const { page } = await freshPage(t);
    const state = randomToken();
    const nonce = randomToken();
    await page.goto(authorizeUrl({ response_type: 'id_token token', state, nonce }));
    assert.equal(new URL(page.url()).pathname, '/accounts/login/', 'no session: the login page');
    await submitLogin(page, 'ada');
    await page.waitForURL((u) => u.origin === APP);

    const url = new URL(page.url());
    assert.equal(url.origin + url.pathname, E2E);
    assert.equal(url.search, '');
    const f = fragmentOf(url);
    assert.equal(f.state, state);
    assert.ok(f.access_token);
    assert.equal(f.token_type, 'Bearer');
    assert.equal(f.expires_in, '600');
    assert.equal(f.scope, 'openid profile email');
    assert.equal(f.refresh_token, undefined);

    const id = await verifyJwt(f.id_token);
    assert.equal(id.iss, ISSUER);
    assert.equal(id.aud, DJANGO_CLIENT_ID);
    assert.equal(id.nonce, nonce);
    assert.equal(id.at_hash, atHash(f.access_token));
    assert.equal(id.preferred_username, 'ada');
    assert.equal(id.name, 'Ada Lovelace');
    assert.equal(id.email, 'ada@example.test');
    assert.match(id.sub, /^\d+$/, 'sub is the user\'s database id');
    assert.equal(id.exp - id.iat, 3600, 'the ID token outlives the 600 s access token');
  });

  test('implicit id_token alone: an ID token and no access token', T, async (t) => {
    const { page } = await freshPage(t);
    await signIn(page);
    const nonce = randomToken();
    const f = fragmentOf(await authorizeAt(page, { response_type: 'id_token', state: 's-id', nonce }));
    assert.equal(f.state, 's-id');
    assert.equal(f.access_token, undefined);
    const id = await verifyJwt(f.id_token);
    assert.equal(id.nonce, nonce);
    assert.equal(id.at_hash, undefined);
  });

  test('prompt=none with a session: tokens in the fragment, for the session\'s user', T, async (t) => {
    const { page } = await freshPage(t);
    await signIn(page, 'alan');
    const state = randomToken();
    const nonce = randomToken();
    const url = await authorizeAt(page, { response_type: 'id_token token', prompt: 'none', state, nonce });
    assert.equal(url.search, '');
    const f = fragmentOf(url);
    assert.equal(f.state, state);
    assert.ok(f.access_token);
    const id = await verifyJwt(f.id_token);
    assert.equal(id.nonce, nonce);
    assert.equal(id.preferred_username, 'alan');
  });

  test('prompt=none without a session: login_required in the QUERY, not the fragment', T, async (t) => {
    const { page } = await freshPage(t);
    const state = randomToken();
    const url = await authorizeAt(page, { response_type: 'id_token token', prompt: 'none', state, nonce: randomToken() });
    assert.equal(url.origin + url.pathname, E2E);
    assert.equal(url.hash, '', 'stock DOT answers errors in the query even for implicit (RFC 6749 §4.2.2.1 says fragment)');
    assert.deepEqual(queryOf(url), { error: 'login_required', state });
  });

  test('other errors come in the query too (prompt=none combined with login)', T, async (t) => {
    const { page } = await freshPage(t);
    await signIn(page);
    const url = await authorizeAt(page, {
      response_type: 'id_token token', prompt: 'none login', state: 's-err', nonce: randomToken(),
    });
    assert.equal(url.hash, '');
    const q = queryOf(url);
    assert.equal(q.error, 'invalid_request');
    assert.equal(q.state, 's-err');
    assert.ok(q.error_description);
  });

  test('code + PKCE: the app\'s page exchanges the code cross-origin, and gets no refresh token', T, async (t) => {
    const { page } = await freshPage(t);
    await signIn(page);
    const verifier = randomToken() + randomToken();
    const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
    const nonce = randomToken();
    const url = await authorizeAt(page, {
      response_type: 'code', state: 's-code', nonce, code_challenge: challenge, code_challenge_method: 'S256',
    });
    const { code, state } = queryOf(url);
    assert.equal(state, 's-code');
    assert.ok(code, url.href);

    // From the stub page on localhost:8080, so Chromium enforces CORS on the real token endpoint.
    const exchange = (codeVerifier) => page.evaluate(async ([tokenEndpoint, body]) => {
      const res = await fetch(tokenEndpoint, { method: 'POST', body: new URLSearchParams(body) });
      return { status: res.status, body: await res.json() };
    }, [`${ISSUER}/token/`, {
      grant_type: 'authorization_code', code, redirect_uri: E2E, client_id: DJANGO_CLIENT_ID, code_verifier: codeVerifier,
    }]);
    const ok = await exchange(verifier);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(Object.keys(ok.body).sort(), ['access_token', 'expires_in', 'id_token', 'scope', 'token_type']);
    assert.equal(ok.body.expires_in, 600, 'a number in JSON');
    const id = await verifyJwt(ok.body.id_token);
    assert.equal(id.nonce, nonce);
    assert.equal(id.at_hash, atHash(ok.body.access_token));

    // A used code: the error is readable cross-origin as well.
    const again = await exchange(verifier);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
  });

  test('plain PKCE is refused', T, async (t) => {
    const { page } = await freshPage(t);
    await signIn(page);
    const verifier = randomToken() + randomToken();
    const q = queryOf(await authorizeAt(page, {
      response_type: 'code', state: 's-plain', code_challenge: verifier, code_challenge_method: 'plain',
    }));
    assert.equal(q.error, 'invalid_request');
    assert.equal(q.code, undefined);
  });

  test('logout with id_token_hint redirects at once, and ends the provider session', T, async (t) => {
    const { page } = await freshPage(t);
    await signIn(page);
    const f = fragmentOf(await authorizeAt(page, { response_type: 'id_token', state: 's', nonce: randomToken() }));
    const logout = new URL(`${ISSUER}/logout/`);
    for (const [k, v] of Object.entries({
      client_id: DJANGO_CLIENT_ID, id_token_hint: f.id_token, post_logout_redirect_uri: E2E, state: 's-logout',
    })) logout.searchParams.set(k, v);
    await page.goto(logout.href);
    await page.waitForURL((u) => u.origin === APP);
    assert.equal(page.url(), `${E2E}?state=s-logout`);

    const url = await authorizeAt(page, { response_type: 'id_token', prompt: 'none', state: 's-after', nonce: randomToken() });
    assert.equal(queryOf(url).error, 'login_required');
  });
});
