// The app server on its own (no SDK needed): an allow-list of static files, no traversal, no
// source, the test pages and hooks in test mode only, and the protected API's token validation
// with real tokens of the local provider.
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, test } from 'node:test';
import { startAppServer } from '../../dev/app-server.mjs';
import { APP, PROVIDER, decodeJwt, rawLogin, sleep, useEnv } from './harness.mjs';

const T = { timeout: 60_000 };
const env = useEnv();

/** GET with the request target sent exactly as given (fetch would normalise it first). */
const rawGet = (target) => new Promise((resolve, reject) => {
  const { hostname, port } = new URL(APP);
  http.get({ hostname, port, path: target }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => { body += chunk; });
    res.on('end', () => resolve({ status: res.statusCode, body }));
  }).on('error', reject);
});

const api = (token) => fetch(`${APP}/api/messages`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});

async function tokens(t, params = {}) {
  const { context, page } = await env.newPage();
  t.after(() => context.close());
  const { fragment } = await rawLogin(page, params);
  assert.ok(fragment.access_token, JSON.stringify(fragment));
  return fragment;
}

describe('static files', () => {
  test('pages, MIME types, no-store, CSP without unsafe-eval', T, async () => {
    for (const [path, type] of [
      ['/', 'text/html; charset=utf-8'],
      ['/index.html', 'text/html; charset=utf-8'],
      ['/e2e.html', 'text/html; charset=utf-8'],
      ['/silent-callback.html', 'text/html; charset=utf-8'],
      ['/app.js', 'text/javascript; charset=utf-8'],
      ['/style.css', 'text/css; charset=utf-8'],
      ['/vendor/auth0.min.js', 'text/javascript; charset=utf-8'],
    ]) {
      const res = await fetch(APP + path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), type, path);
      assert.equal(res.headers.get('cache-control'), 'no-store', path);
      if (type.startsWith('text/html')) {
        const scriptSrc = res.headers.get('content-security-policy').split(';').find((d) => d.trim().startsWith('script-src'));
        assert.match(scriptSrc, /'self' 'wasm-unsafe-eval'/, path);
        assert.doesNotMatch(scriptSrc, /'unsafe-eval'|'unsafe-inline'/, path);
      }
    }
  });

  test('the wasm package is served as application/wasm when built', T, async (t) => {
    const js = await fetch(`${APP}/pkg/spa_auth.js`);
    if (js.status === 404) return t.skip('pkg/ is not built yet');
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    const wasm = await fetch(`${APP}/pkg/spa_auth_bg.wasm`);
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  });

  test('no directory traversal and no server code', T, async () => {
    for (const path of [
      '/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/pkg/..%2f..%2fpackage.json',
      '/x/..%2fprovider/provider.mjs', '/provider/provider.mjs', '/provider/loopback.mjs', '/server.mjs',
      '/pkg/%2e%2e/www/server.mjs', '/%00', '/nope.html',
    ]) {
      const res = await fetch(APP + path);
      assert.ok([400, 404].includes(res.status), `${path} → ${res.status}`);
      await res.arrayBuffer();
    }
  });

  test('only known files: no trailing slash, dot segment, encoding trick or directory serves a file', T, async () => {
    for (const path of [
      '/server.mjs/', '/provider/provider.mjs/', '/provider/', '/index.html/', '/app.js/', '/e2e.html/',
      '/app.js/.', '/app.js%2f', '/app%2ejs', '/.%2fapp.js', '/dev/app-server.mjs', '/dev/app-server.mjs/',
      '/dev/', '/dev/jwt.mjs', '/../dev/app-server.mjs', '/%2e%2e/dev/app-server.mjs', '/..%5cdev%5capp-server.mjs',
      '/www/index.html', '/tests/e2e/pages/e2e.html', '/package.json', '/.git/config', '/node_modules/auth0-js/package.json',
      '/pkg', '/pkg/', '/pkg/.', '/pkg/..', '/pkg/.gitignore', '/pkg/spa_auth.js/', '/pkg/%2e%2e/dev/app-server.mjs',
      '/pkg/..%2fdev%2fapp-server.mjs', '/pkg/x/../../dev/app-server.mjs', '/vendor/', '/vendor/auth0.min.js/',
      '/pkg/../dev/app-server.mjs', '/x/../../dev/start.mjs', '/\\..\\dev\\app-server.mjs', '//dev/app-server.mjs',
      'dev/app-server.mjs', '*',
    ]) {
      const { status, body } = await rawGet(path);
      assert.ok([400, 404].includes(status), `${path} → ${status}`);
      assert.doesNotMatch(body, /\bimport\b|startAppServer|<html/, path);
    }
  });
});

describe('demo mode', () => {
  test('serves the demo but neither the test pages nor the revocation hook', T, async (t) => {
    const demo = await startAppServer({ port: 0, providerUrl: PROVIDER });
    t.after(() => demo.close());
    for (const path of ['/', '/index.html', '/app.js', '/style.css', '/silent-callback.html']) {
      const res = await fetch(demo.url + path);
      assert.equal(res.status, 200, path);
      await res.arrayBuffer();
    }
    for (const path of ['/e2e.html', '/bench/spa-auth.html', '/bench/auth0.html', '/bench/silent.html', '/vendor/auth0.min.js',
      '/bench/code-spa-auth.html', '/bench/code-auth0-spa-js.html', '/vendor/auth0-spa-js.production.js']) {
      const res = await fetch(demo.url + path);
      assert.equal(res.status, 404, path);
      await res.arrayBuffer();
    }
    const revoke = await fetch(`${demo.url}/api/revoke-issued-before-now`, { method: 'POST' });
    assert.equal(revoke.status, 404);
  });
});

describe('GET /api/messages', () => {
  test('401 without a token, with a Bearer challenge', T, async () => {
    const res = await api();
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate'), /^Bearer /);
  });

  test('200 with a real access token; 401 for the ID token and for tampered tokens', T, async (t) => {
    const f = await tokens(t);
    const ok = await api(f.access_token);
    assert.equal(ok.status, 200);
    const body = await ok.json();
    assert.equal(body.sub, 'ada');
    assert.ok(body.messages.length > 0);

    const bad = [
      f.id_token, // right issuer and signature, but aud is the client and typ is not at+jwt
      `${f.access_token.slice(0, -4)}AAAA`, // signature tampered
      (() => { // payload changed (extra scope), signature kept
        const [h, , s] = f.access_token.split('.');
        const p = decodeJwt(f.access_token).payload;
        p.scope = 'read:messages write:messages';
        return `${h}.${Buffer.from(JSON.stringify(p)).toString('base64url')}.${s}`;
      })(),
      (() => { // alg none
        const p = f.access_token.split('.')[1];
        return `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${p}.`;
      })(),
      'not-a-jwt',
    ];
    for (const token of bad) {
      const res = await api(token);
      assert.equal(res.status, 401, token.slice(0, 12));
      assert.match(res.headers.get('www-authenticate'), /error="invalid_token"/);
      await res.arrayBuffer();
    }
  });

  test('403 insufficient_scope without read:messages', T, async (t) => {
    const f = await tokens(t, { scope: 'openid write:messages' });
    assert.equal(f.scope, 'write:messages');
    const res = await api(f.access_token);
    assert.equal(res.status, 403);
    assert.match(res.headers.get('www-authenticate'), /error="insufficient_scope"/);
  });

  test('POST /api/revoke-issued-before-now rejects earlier tokens only', T, async (t) => {
    const before = await tokens(t);
    assert.equal((await api(before.access_token)).status, 200);
    const revoke = await fetch(`${APP}/api/revoke-issued-before-now`, { method: 'POST' });
    assert.equal(revoke.status, 200);
    const res = await api(before.access_token);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate'), /error="invalid_token"/);

    await sleep(1100); // a token issued now has a later iat (seconds) than the cut-off
    const fresh = await tokens(t);
    assert.equal((await api(fresh.access_token)).status, 200);
  });
});
