// The local OpenID provider, on its own (no SDK needed): Auth0-shaped discovery, the implicit flow
// through its real dev login and consent pages, silent errors, web_message, PKCE, and never a
// refresh token.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import {
  API_AUDIENCE, APP, E2E, PROVIDER, authorizeUrl, decodeJwt, gotoE2E, login, randomToken, rawLogin,
  verifyJwt,
  useEnv,
} from './harness.mjs';

const T = { timeout: 60_000 };

const env = useEnv();

const freshPage = (t) => env.freshPage(t);

describe('provider', () => {
  test('discovery has the Auth0-style endpoints and no refresh_token grant', T, async () => {
    const res = await fetch(`${PROVIDER}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const d = await res.json();
    assert.equal(d.issuer, PROVIDER);
    assert.equal(d.authorization_endpoint, `${PROVIDER}/authorize`);
    assert.equal(d.token_endpoint, `${PROVIDER}/oauth/token`);
    assert.equal(d.jwks_uri, `${PROVIDER}/.well-known/jwks.json`);
    assert.equal(d.end_session_endpoint, `${PROVIDER}/v2/logout`);
    assert.equal(d.userinfo_endpoint, `${PROVIDER}/userinfo`);
    assert.ok(d.response_types_supported.includes('id_token token'));
    assert.ok(d.response_modes_supported.includes('web_message'));
    assert.deepEqual(d.code_challenge_methods_supported, ['S256']);
    assert.ok(!d.grant_types_supported.includes('refresh_token'), d.grant_types_supported.join());
    assert.ok(!d.scopes_supported.includes('offline_access'));
    assert.deepEqual(d.id_token_signing_alg_values_supported, ['RS256']);

    const jwks = await (await fetch(d.jwks_uri)).json();
    assert.equal(jwks.keys.length, 1);
    const [key] = jwks.keys;
    assert.equal(key.kty, 'RSA');
    assert.equal(key.alg, 'RS256');
    assert.ok(key.kid);
    assert.equal(key.d, undefined, 'the JWKS must not leak the private key');
  });

  test('implicit id_token token login through the dev login and consent pages', T, async (t) => {
    const { page } = await freshPage(t);
    const { state, nonce, url, fragment } = await rawLogin(page, {});

    assert.ok(url.startsWith(`${E2E}#`), url);
    assert.equal(fragment.state, state);
    assert.ok(fragment.id_token);
    assert.ok(fragment.access_token);
    assert.equal(fragment.token_type, 'Bearer');
    assert.equal(fragment.expires_in, '3600');
    assert.equal(fragment.scope, 'read:messages', 'with an audience the fragment scope is the API scopes');
    assert.equal(fragment.refresh_token, undefined);

    const id = await verifyJwt(fragment.id_token);
    assert.equal(id.iss, PROVIDER);
    assert.equal(id.aud, 'spa-test');
    assert.equal(id.nonce, nonce);
    assert.equal(id.sub, 'ada');
    assert.equal(id.name, 'Ada Lovelace');
    assert.equal(id.email, 'ada@example.test');
    assert.equal(id.email_verified, true);
    assert.ok(id.at_hash, 'id_token token responses carry at_hash');
    // at_hash = left half of SHA-256 of the access token (RS256), base64url.
    const digest = crypto.createHash('sha256').update(fragment.access_token).digest();
    assert.equal(id.at_hash, digest.subarray(0, 16).toString('base64url'));

    const at = await verifyJwt(fragment.access_token);
    assert.equal(decodeJwt(fragment.access_token).header.typ, 'at+jwt');
    assert.equal(at.iss, PROVIDER);
    assert.deepEqual([at.aud].flat(), [API_AUDIENCE]);
    assert.equal(at.scope, 'read:messages');
    assert.equal(at.client_id, 'spa-test');
    assert.equal(at.sub, 'ada');
    assert.ok(at.exp - at.iat === 3600);
    assert.ok(id.exp - id.iat > at.exp - at.iat, 'the ID token outlives the access token');
  });

  test('spa-short gets 30 s access tokens, and ID tokens that live longer', T, async (t) => {
    const { page } = await freshPage(t);
    const { fragment } = await rawLogin(page, { client_id: 'spa-short' });
    assert.equal(fragment.expires_in, '30');
    const at = decodeJwt(fragment.access_token).payload;
    assert.equal(at.exp - at.iat, 30);
    const id = decodeJwt(fragment.id_token).payload;
    assert.ok(id.exp - id.iat > 30, `ID token lifetime ${id.exp - id.iat} s`);
  });

  test('prompt=none without a session answers login_required', T, async (t) => {
    const { page } = await freshPage(t);
    const { state, url, fragment } = await rawLogin(page, { prompt: 'none' });
    assert.ok(url.startsWith(`${E2E}#`), url);
    assert.equal(fragment.error, 'login_required');
    assert.equal(fragment.state, state);
    assert.equal(fragment.access_token, undefined);
  });

  test('an unknown audience is rejected with invalid_target', T, async (t) => {
    const { page } = await freshPage(t);
    const { fragment } = await rawLogin(page, { audience: 'https://other.example.test/' });
    assert.equal(fragment.error, 'invalid_target');
    assert.equal(fragment.access_token, undefined);
  });

  test('web_message: a hidden prompt=none iframe gets the tokens by postMessage from the provider', T, async (t) => {
    const { page } = await freshPage(t);
    await rawLogin(page, {}); // establishes the provider session
    await page.goto(`${APP}/e2e.html`); // the module may fail without pkg/; only the origin matters
    const url = authorizeUrl({
      response_type: 'id_token token',
      response_mode: 'web_message',
      prompt: 'none',
      scope: 'openid profile email read:messages',
      audience: API_AUDIENCE,
      state: 'st-web-message',
      nonce: randomToken(),
    });
    const message = await page.evaluate((src) => new Promise((resolve, reject) => {
      const frame = document.createElement('iframe');
      frame.style.display = 'none';
      const timer = setTimeout(() => reject(new Error('no message within 10 s')), 10_000);
      window.addEventListener('message', (event) => {
        if (event.source !== frame.contentWindow) return;
        clearTimeout(timer);
        frame.remove();
        resolve({ origin: event.origin, data: event.data });
      });
      frame.src = src;
      document.body.append(frame);
    }), url);
    assert.equal(message.origin, PROVIDER);
    assert.equal(message.data.type, 'authorization_response');
    const r = message.data.response;
    assert.equal(r.state, 'st-web-message');
    assert.ok(r.access_token && r.id_token);
    assert.equal(r.refresh_token, undefined);
  });

  test('offline_access never yields a refresh token (implicit, even with prompt=consent)', T, async (t) => {
    const { page } = await freshPage(t);
    const { fragment } = await rawLogin(page, {
      scope: 'openid profile email offline_access read:messages',
      prompt: 'consent',
    });
    assert.ok(fragment.access_token, JSON.stringify(Object.keys(fragment)));
    assert.equal(fragment.refresh_token, undefined);
    assert.ok(!fragment.scope.includes('offline_access'));
  });

  test('offline_access never yields a refresh token (code + PKCE, token request)', T, async (t) => {
    const { page } = await freshPage(t);
    const verifier = randomToken(32);
    const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
    const state = randomToken();
    await page.goto(authorizeUrl({
      response_type: 'code',
      scope: 'openid profile email offline_access',
      prompt: 'consent',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }));
    await login(page);
    const back = new URL(page.url());
    assert.equal(back.searchParams.get('state'), state);
    const code = back.searchParams.get('code');
    assert.ok(code, page.url());

    const res = await fetch(`${PROVIDER}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: APP },
      body: new URLSearchParams({
        grant_type: 'authorization_code', code, redirect_uri: E2E, client_id: 'spa-test', code_verifier: verifier,
      }),
    });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(res.headers.get('access-control-allow-origin'), APP);
    assert.ok(body.access_token && body.id_token);
    assert.equal(body.refresh_token, undefined);
    assert.ok(!(body.scope ?? '').includes('offline_access'));

    const refresh = await fetch(`${PROVIDER}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'spa-test' }),
    });
    assert.equal(refresh.status, 400);
    assert.equal((await refresh.json()).error, 'unsupported_grant_type');
  });

  test('code flow without PKCE is refused', T, async (t) => {
    const { page } = await freshPage(t);
    await page.goto(authorizeUrl({ response_type: 'code', scope: 'openid', state: 's' }));
    const back = new URL(page.url());
    assert.equal(back.origin + back.pathname, E2E);
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.match(back.searchParams.get('error_description'), /PKCE/);
  });

  test('an unregistered redirect_uri is refused at the provider', T, async (t) => {
    const { page } = await freshPage(t);
    const res = await page.goto(authorizeUrl({
      response_type: 'id_token token', scope: 'openid', nonce: 'n', state: 's',
      redirect_uri: 'http://localhost:8081/steal',
    }));
    assert.equal(new URL(page.url()).origin, PROVIDER, 'no redirect to an unregistered URI');
    assert.equal(res.status(), 400);
  });

  test('the e2e page loads the SDK when pkg/ is built', T, async (t) => {
    const { page } = await freshPage(t);
    const pkg = await fetch(`${APP}/pkg/spa_auth.js`);
    if (pkg.status === 404) return t.skip('pkg/ is not built yet');
    await gotoE2E(page);
    assert.equal(await page.evaluate(() => document.body.dataset.ready), '1');
    assert.equal(await page.evaluate(() => typeof window.WebAuth), 'function');
  });
});
