// The demo app's server on http://localhost:8080. It serves an allow-list, by exact URL path:
//   /, /index.html, /app.js, /style.css, /silent-callback.html   the demo (www/)
//   /pkg/<file>            the wasm-pack output (pkg/ at the repository root), one level, no dotfiles
//   GET  /api/messages     a protected API: RS256 JWT access tokens of the local provider only
// and in test mode only (the end-to-end tests and the benchmark):
//   /e2e.html, /bench/*.html   the test and bench pages (TEST_PAGES in dev/constants.mjs)
//   /consumers/<app>/<path>    a consumer app's build (tests/consumers/<app>/dist/; CONSUMER_APPS)
//   /vendor/auth0.min.js       auth0-js, for the side-by-side benchmark
//   /vendor/auth0-spa-js.production.js   auth0-spa-js, for the benchmark (fetched by scripts/bench.sh)
//   POST /api/revoke-issued-before-now   reject every token issued up to this second
//   /e2e.html?isolated     the e2e page cross-origin isolated (COOP same-origin, COEP require-corp)
// Started by dev/start.mjs.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  API_AUDIENCE, API_READ_SCOPE, AUTH0_LIKE_PROVIDER, APP_PORT, BENCH_CODE_PROVIDER, CONSUMER_APPS, DJANGO_PROVIDER,
  HOSTILE, PROVIDER, TEST_PAGES,
} from './constants.mjs';
import { JwtError, providerKeys, verifyJwt } from './jwt.mjs';
import { listenLoopback } from './loopback.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const WWW = path.join(ROOT, 'www');
const PKG = path.join(ROOT, 'pkg');
const AUTH0_JS = path.join(ROOT, 'node_modules', 'auth0-js', 'dist', 'auth0.min.js');
const AUTH0_SPA_JS = path.join(ROOT, 'node_modules', '.cache', 'spa-auth-bench', 'auth0-spa-js.production.js');
const DEMO_FILES = ['index.html', 'app.js', 'style.css', 'silent-callback.html'];
// A file name directly in pkg/: no slash, no leading dot, no "..", nothing percent-encoded.
const PKG_FILE = /^\/pkg\/([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+)$/;
// A consumer app's file: /consumers/<app>/ (its index.html) or /consumers/<app>/<dir/…/name.ext>,
// every segment without a leading dot, nothing percent-encoded.
const CONSUMER_FILE = /^\/consumers\/([a-z]+)\/((?:[A-Za-z0-9_-]+\/)*[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+)?$/;
const CONSUMERS = path.join(ROOT, 'tests', 'consumers');

/** The file of a consumer app's build that `pathname` names (test mode), or undefined. */
function consumerFile(pathname) {
  const [, app, rest = 'index.html'] = CONSUMER_FILE.exec(pathname) ?? [];
  if (!CONSUMER_APPS.includes(app)) return undefined;
  return path.join(CONSUMERS, app, 'dist', ...rest.split('/'));
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

/** The files served by exact URL path (see the top of this file); /pkg/ is matched apart. */
function staticFiles(testMode) {
  const files = new Map([['/', path.join(WWW, 'index.html')]]);
  for (const name of DEMO_FILES) files.set(`/${name}`, path.join(WWW, name));
  if (testMode) {
    for (const [urlPath, file] of Object.entries(TEST_PAGES)) files.set(urlPath, path.join(ROOT, file));
    files.set('/vendor/auth0.min.js', AUTH0_JS);
    files.set('/vendor/auth0-spa-js.production.js', AUTH0_SPA_JS);
  }
  return files;
}

// Content-Security-Policy of our HTML pages: no eval (only WebAssembly compilation), scripts from
// this origin plus the page's own inline scripts by hash, frames and XHR only to the provider; the
// e2e page also frames the tests' attacker page and talks to their Auth0-shaped and Django providers.
function contentSecurityPolicy(html, providerOrigin, pathname) {
  const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)]
    .filter(([, body]) => body.trim())
    .map(([, body]) => `'sha256-${crypto.createHash('sha256').update(body).digest('base64')}'`);
  const frames = ["'self'", providerOrigin];
  const connect = ["'self'", providerOrigin];
  if (pathname === '/e2e.html') {
    frames.push(HOSTILE, AUTH0_LIKE_PROVIDER, DJANGO_PROVIDER);
    connect.push(AUTH0_LIKE_PROVIDER, DJANGO_PROVIDER);
  }
  if (pathname.startsWith('/bench/code-')) {
    frames.push(BENCH_CODE_PROVIDER);
    connect.push(BENCH_CODE_PROVIDER);
  }
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    `connect-src ${connect.join(' ')}`,
    `frame-src ${frames.join(' ')}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/** Serves `file` when it is a regular file (not a directory, not a symbolic link); 404 otherwise. */
async function serveFile(res, file, { pathname, providerOrigin, head }) {
  let stat;
  try {
    stat = await fs.lstat(file);
  } catch {
    return send(res, 404, 'Not found\n');
  }
  if (!stat.isFile()) return send(res, 404, 'Not found\n');
  const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers = { 'Content-Type': type, 'Content-Length': stat.size };
  const body = await fs.readFile(file);
  if (type.startsWith('text/html')) {
    headers['Content-Security-Policy'] = contentSecurityPolicy(body.toString('utf8'), providerOrigin, pathname);
  }
  res.writeHead(200, headers);
  res.end(head ? undefined : body);
}

function send(res, status, body, headers = {}) {
  const isJson = typeof body !== 'string';
  const text = isJson ? `${JSON.stringify(body)}\n` : body;
  res.writeHead(status, {
    'Content-Type': isJson ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
    ...headers,
  });
  res.end(text);
}

// ---------------------------------------------------------------------------------------------
// Access token validation (RFC 9068 JWT access tokens).

class TokenError extends Error {
  constructor(status, error, description) {
    super(description);
    this.status = status;
    this.error = error;
  }
}

async function validateAccessToken(authorization, keys, revokedBefore) {
  if (!authorization) throw new TokenError(401, null, 'missing bearer token');
  const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
  if (!token) throw new TokenError(401, 'invalid_token', 'not a bearer token');
  let verified;
  try {
    verified = await verifyJwt(token, keys);
  } catch (err) {
    if (!(err instanceof JwtError)) throw err;
    throw new TokenError(401, 'invalid_token', err.message);
  }
  const { header, payload: claims, issuer } = verified;
  if (header.typ !== 'at+jwt') throw new TokenError(401, 'invalid_token', 'not an access token (typ)');

  const now = Math.floor(Date.now() / 1000);
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== issuer) throw new TokenError(401, 'invalid_token', 'wrong issuer');
  if (!aud.includes(API_AUDIENCE)) throw new TokenError(401, 'invalid_token', 'wrong audience');
  if (typeof claims.exp !== 'number' || claims.exp <= now) throw new TokenError(401, 'invalid_token', 'expired');
  if (typeof claims.nbf === 'number' && claims.nbf > now) throw new TokenError(401, 'invalid_token', 'not yet valid');
  if (typeof claims.iat !== 'number' || claims.iat <= revokedBefore) {
    throw new TokenError(401, 'invalid_token', 'revoked');
  }
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  if (!scopes.includes(API_READ_SCOPE)) {
    throw new TokenError(403, 'insufficient_scope', `needs scope ${API_READ_SCOPE}`);
  }
  return claims;
}

const MESSAGES = [
  { id: 1, text: 'Hello from the protected API.' },
  { id: 2, text: 'Your access token was verified: RS256 signature, issuer, audience, expiry, scope.' },
  { id: 3, text: 'No refresh token was involved.' },
];

// ---------------------------------------------------------------------------------------------

/**
 * Starts the app server on http://localhost:`port` (0: any free port), trusting the provider at
 * `providerUrl`. `testMode` adds the test and bench pages, auth0-js and the revocation hook: never
 * in the demo. Returns { url, close() }.
 */
export async function startAppServer({ port = APP_PORT, providerUrl = PROVIDER, testMode = false } = {}) {
  const providerOrigin = new URL(providerUrl).origin;
  const files = staticFiles(testMode);
  const keys = providerKeys(providerUrl);
  let revokedBefore = 0; // tokens with iat <= this (seconds) are rejected

  async function handle(req, res) {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');

    // Only a path already in the URL parser's normal form can name anything (no dot segments, no
    // backslashes, nothing it would re-encode); it is compared with known paths, never joined to a
    // directory.
    const pathname = req.url.split('?', 1)[0];
    if (!pathname.startsWith('/') || URL.parse(`http://localhost${pathname}`)?.pathname !== pathname) {
      return send(res, 400, 'Bad request\n');
    }

    if (pathname === '/api/messages') {
      if (req.method !== 'GET') return send(res, 405, { error: 'method_not_allowed' }, { Allow: 'GET' });
      try {
        const claims = await validateAccessToken(req.headers.authorization, keys, revokedBefore);
        return send(res, 200, { messages: MESSAGES, sub: claims.sub, scope: claims.scope, client_id: claims.client_id });
      } catch (err) {
        if (!(err instanceof TokenError)) throw err;
        const params = [`realm="spa-auth-demo"`];
        if (err.error) params.push(`error="${err.error}"`, `error_description="${err.message}"`);
        if (err.error === 'insufficient_scope') params.push(`scope="${API_READ_SCOPE}"`);
        return send(res, err.status, { error: err.error ?? 'invalid_request', error_description: err.message }, {
          'WWW-Authenticate': `Bearer ${params.join(', ')}`,
        });
      }
    }
    if (testMode && pathname === '/api/revoke-issued-before-now') {
      if (req.method !== 'POST') return send(res, 405, { error: 'method_not_allowed' }, { Allow: 'POST' });
      revokedBefore = Math.floor(Date.now() / 1000);
      return send(res, 200, { revokedBefore });
    }

    const pkgFile = PKG_FILE.exec(pathname)?.[1];
    const file = pkgFile ? path.join(PKG, pkgFile)
      : files.get(pathname) ?? (testMode ? consumerFile(pathname) : undefined);
    if (!file) return send(res, 404, 'Not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
    if (testMode && pathname === '/e2e.html' && new URLSearchParams(req.url.split('?')[1]).has('isolated')) {
      // A cross-origin isolated page (COOP + COEP), where a frame of the provider cannot load.
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    return serveFile(res, file, { pathname, providerOrigin, head: req.method === 'HEAD' });
  }

  const server = await listenLoopback((req, res) => {
    handle(req, res).catch((err) => {
      console.error('[app] error:', err);
      if (!res.headersSent) send(res, 500, 'Internal error\n');
      else res.destroy();
    });
  }, port, 'App server');
  return { url: `http://localhost:${server.port}`, close: () => server.close() };
}
