// The dev environment's addresses and names, shared by the provider, the app server, the tests and
// the benchmark. The browser pages (www/, the test and bench pages) spell the same values out in
// their configuration, as a real app would.

export const PROVIDER_PORT = 3000;
export const PROVIDER = `http://localhost:${PROVIDER_PORT}`;

export const APP_PORT = 8080;
export const APP = `http://localhost:${APP_PORT}`;
/** The same app server seen from 127.0.0.1: another site than the provider (third-party cookies). */
export const APP_OTHER_SITE = `http://127.0.0.1:${APP_PORT}`;

/** The e2e tests' attacker page server, on another origin than the app. */
export const HOSTILE_PORT = 8081;
export const HOSTILE = `http://localhost:${HOSTILE_PORT}`;
/** The e2e test of `domain` mode runs a second provider here, with an Auth0-shaped issuer. */
export const AUTH0_LIKE_PROVIDER = 'http://localhost:3001';
/** The second real provider of the e2e tests, django-oauth-toolkit (dev/django). */
export const DJANGO_PROVIDER = 'http://localhost:8000';

/** The protected API: its audience, the scope it requires, and every scope the provider grants for it. */
export const API_AUDIENCE = 'https://api.example.test/';
export const API_READ_SCOPE = 'read:messages';
export const API_SCOPES = `${API_READ_SCOPE} write:messages`;
/** What the demo, the tests and the benchmark ask for. */
export const SDK_SCOPE = `openid profile email ${API_READ_SCOPE}`;

/**
 * Pages the app server serves only in test mode (URL path → file from the repository root); the
 * provider accepts them as redirect targets.
 */
export const TEST_PAGES = {
  '/e2e.html': 'tests/e2e/pages/e2e.html',
  '/bench/spa-auth.html': 'scripts/bench/pages/spa-auth.html',
  '/bench/auth0.html': 'scripts/bench/pages/auth0.html',
  '/bench/silent.html': 'scripts/bench/pages/silent.html',
  '/bench/code-spa-auth.html': 'scripts/bench/pages/code-spa-auth.html',
  '/bench/code-auth0-spa-js.html': 'scripts/bench/pages/code-auth0-spa-js.html',
};

/**
 * The consumer apps of the tests (tests/consumers/<app>/): each installs the packed npm tarball,
 * builds into its dist/, and is served in test mode at /consumers/<app>/, a redirect URI the
 * provider accepts.
 */
export const CONSUMER_APPS = ['vite', 'webpack', 'esbuild', 'plain'];

/**
 * The benchmark's second provider for the code + PKCE comparison, Auth0-shaped (issuer
 * `http://127.0.0.1:3001/`, with the slash): auth0-spa-js 2.x accepts an `http://` domain but
 * derives the issuer it expects as `${domain}/`. On 127.0.0.1 so that its session cookie does not
 * collide with the main provider's (cookies ignore ports).
 */
export const BENCH_CODE_PROVIDER = 'http://127.0.0.1:3001';

