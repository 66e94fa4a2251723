// A real OpenID Provider on http://localhost:3000 for the demo and the end-to-end tests:
// oidc-provider 9.x shaped like an Auth0 tenant (routes, `audience`), with its built-in development
// login and consent pages (any login, any password). Never for production. Started by dev/start.mjs;
// a test may start a second one: `const op = await startProvider({ port }); … await op.close();`
import crypto from 'node:crypto';
import Provider, { errors } from 'oidc-provider';
import { API_AUDIENCE, API_SCOPES, APP, APP_OTHER_SITE, CONSUMER_APPS, PROVIDER_PORT, TEST_PAGES } from './constants.mjs';
import { listenLoopback } from './loopback.mjs';

const REDIRECT_URIS = [`${APP}/`, `${APP}/index.html`, `${APP}/silent-callback.html`,
  ...Object.keys(TEST_PAGES).map((page) => `${APP}${page}`),
  // The consumer apps (tests/consumers/): the npm tarball in Vite, webpack, esbuild, a plain page.
  ...CONSUMER_APPS.map((app) => `${APP}/consumers/${app}/`),
  // The same app seen from another site than the provider: the cross-site demo and e2e tests.
  `${APP_OTHER_SITE}/`, `${APP_OTHER_SITE}/e2e.html`];
const POST_LOGOUT_REDIRECT_URIS = [`${APP}/`, `${APP}/e2e.html`, `${APP_OTHER_SITE}/`];

/**
 * Test mode only: `spa_auth_test_framing=deny` (X-Frame-Options: DENY) or `=csp` (CSP
 * frame-ancestors 'none') in an /authorize query makes the provider refuse to be framed in its
 * answer, as many providers do, for the tests of the SDK's detection of a refused frame.
 */
const FRAMING_REFUSALS = {
  deny: ['X-Frame-Options', 'DENY'],
  csp: ['Content-Security-Policy', "frame-ancestors 'none'"],
};

function refuseFramingOnRequest(provider) {
  provider.use(async (ctx, next) => {
    await next();
    const refusal = ctx.path === '/authorize' && FRAMING_REFUSALS[ctx.query.spa_auth_test_framing];
    if (refusal) ctx.set(...refusal);
  });
}

// Lifetimes (seconds). Access tokens live shorter than ID tokens, as at most providers, so that an
// SDK which reads expires_in behaves differently from one falling back to the ID token's exp.
// spa-short's 30 s access tokens let the tests watch automatic renewal.
const ACCESS_TOKEN_TTL = { 'spa-test': 60 * 60, 'spa-short': 30 };
const accessTokenTtl = (_ctx, _token, client) => ACCESS_TOKEN_TTL[client?.clientId] ?? 60 * 60;
const ID_TOKEN_TTL = 2 * 60 * 60;

/** The test-only client of a provider started with `refreshTokens: true`. */
export const REFRESH_CLIENT = 'spa-refresh';

function spaClient(clientId, extraGrants = []) {
  return {
    client_id: clientId,
    client_name: `spa-auth ${clientId}`,
    token_endpoint_auth_method: 'none', // public client: a SPA cannot keep a secret
    application_type: 'web',
    // No refresh_token grant (but for the test-only spa-refresh): the SDK must never get one.
    grant_types: ['implicit', 'authorization_code', ...extraGrants],
    response_types: ['id_token token', 'id_token', 'code'],
    redirect_uris: REDIRECT_URIS,
    post_logout_redirect_uris: POST_LOGOUT_REDIRECT_URIS,
  };
}

// Dev accounts: whatever login the dev login page receives becomes the `sub`.
const KNOWN_NAMES = { ada: 'Ada Lovelace', alan: 'Alan Turing', grace: 'Grace Hopper' };

async function findAccount(_ctx, sub) {
  return {
    accountId: sub,
    async claims() {
      return {
        sub,
        name: KNOWN_NAMES[sub] ?? sub,
        email: `${sub}@example.test`,
        email_verified: true,
      };
    },
  };
}

function signingKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: `dev-${crypto.randomBytes(6).toString('hex')}`, alg: 'RS256', use: 'sig' };
}

function configuration({ refreshTokens }) {
  const refresh = refreshTokens && {
    // A provider that hands this client a refresh token with every code it redeems, offline_access
    // or not, as some do: the SDK must drop it. Setting this hook at all switches the
    // refresh_token grant on provider-wide, hence only in a provider started for that test.
    issueRefreshToken: async (_ctx, client) => client.clientId === REFRESH_CLIENT,
  };
  return {
    clients: [spaClient('spa-test'), spaClient('spa-short'),
      ...(refreshTokens ? [spaClient(REFRESH_CLIENT, ['refresh_token'])] : [])],
    ...refresh,
    jwks: { keys: [signingKey()] },
    findAccount,
    // Auth0-style endpoint paths; discovery stays at /.well-known/openid-configuration.
    routes: {
      authorization: '/authorize',
      token: '/oauth/token',
      jwks: '/.well-known/jwks.json',
      end_session: '/v2/logout',
      userinfo: '/userinfo',
    },
    responseTypes: ['id_token token', 'id_token', 'code'],
    // No offline_access here: listing it would switch on the refresh_token grant provider-wide.
    scopes: ['openid', 'profile', 'email'],
    claims: {
      openid: ['sub'],
      profile: ['name'],
      email: ['email', 'email_verified'],
    },
    // Put the profile/email claims into the ID token even when an access token is issued too.
    conformIdTokenClaims: false,
    // Auth0's `audience` authorization parameter; mapped to a resource indicator below.
    extraParams: ['audience'],
    pkce: { required: () => true }, // S256 is the only method oidc-provider 9 accepts
    clientBasedCORS: () => true,
    cookies: {
      keys: ['spa-auth-dev-cookie-key-1', 'spa-auth-dev-cookie-key-0'],
      // SameSite=None; Secure, as hosted providers set their session cookie (Auth0 does), so that
      // only the browser's third-party cookie policy decides whether a hidden iframe on another
      // site gets it. With oidc-provider's default (Lax) no browser would send it there, whatever
      // its policy. Browsers accept Secure cookies from http://localhost; see secureCookiesOverHttp.
      long: { httpOnly: true, sameSite: 'none', secure: true },
      short: { httpOnly: true, sameSite: 'none', secure: true },
    },
    ttl: {
      AccessToken: accessTokenTtl,
      IdToken: ID_TOKEN_TTL,
      AuthorizationCode: 60,
      Interaction: 60 * 60,
      Session: 8 * 60 * 60,
      Grant: 8 * 60 * 60,
    },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      userinfo: { enabled: true },
      // Experimental in oidc-provider: enabling it needs the exact draft identifier it implements.
      webMessageResponseMode: { enabled: true, ack: 'individual-draft-01' },
      resourceIndicators: {
        enabled: true,
        // oneOf is set when several resources were requested; otherwise use Auth0's `audience`.
        defaultResource: (ctx, _client, oneOf) => oneOf ?? ctx.oidc.params?.audience ?? undefined,
        // At the token endpoint (code flow) keep the resource granted at authorization.
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, resourceIndicator) {
          if (resourceIndicator === API_AUDIENCE) {
            return {
              scope: API_SCOPES,
              audience: API_AUDIENCE,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'RS256' } },
            };
          }
          throw new errors.InvalidTarget(); // unknown audience
        },
      },
    },
  };
}

// oidc-provider refuses implicit-flow clients whose redirect URIs are http:// or localhost. This
// provider exists to serve http://localhost:8080, so lift exactly those two checks, and only when
// every redirect and post-logout URI of the client is on localhost.
const LOCALHOST_IMPLICIT_CHECKS = new Set(['implicit-force-https', 'implicit-forbid-localhost']);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);

function allowLocalhostImplicit(provider) {
  const { invalidate } = provider.Client.Schema.prototype;
  provider.Client.Schema.prototype.invalidate = function relaxedInvalidate(message, code) {
    if (LOCALHOST_IMPLICIT_CHECKS.has(code)) {
      const uris = [...(this.redirect_uris ?? []), ...(this.post_logout_redirect_uris ?? [])];
      if (uris.length && uris.every((u) => LOOPBACK_HOSTS.has(URL.parse(u)?.hostname))) return;
    }
    invalidate.call(this, message, code);
  };
}

// The `cookies` module refuses to set a Secure cookie on a plain-http request; this provider runs
// on http://localhost only, where browsers keep Secure cookies, so let it.
function secureCookiesOverHttp(provider) {
  const { createContext } = provider;
  provider.createContext = function createContextWithSecureCookies(req, res) {
    const ctx = createContext.call(this, req, res);
    ctx.cookies.secure = true;
    return ctx;
  };
}

/**
 * Starts the provider on http://localhost:`port`. `issuer` defaults to that origin; Auth0's issuers
 * end in a slash (`https://{domain}/`), which `issuer: 'http://localhost:3001/'` imitates.
 * `refreshTokens` (tests only) adds the client spa-refresh, which gets refresh tokens regardless.
 * `testMode` adds the framing switch above. Returns { url, provider, close() }.
 */
export async function startProvider({
  port = PROVIDER_PORT, issuer = `http://localhost:${port}`, refreshTokens = false, testMode = false,
} = {}) {
  const url = `http://localhost:${port}`;
  const provider = new Provider(issuer, configuration({ refreshTokens }));
  allowLocalhostImplicit(provider);
  secureCookiesOverHttp(provider);
  if (testMode) refuseFramingOnRequest(provider);
  // Static clients are validated lazily; validate them now so a bad config fails at start.
  const clients = ['spa-test', 'spa-short', ...(refreshTokens ? [REFRESH_CLIENT] : [])];
  for (const id of clients) await provider.Client.find(id);

  provider.on('server_error', (_ctx, err) => console.error('[provider] server_error:', err));

  const server = await listenLoopback(provider.callback(), port, 'OpenID provider');
  return { url, provider, close: () => server.close() };
}
