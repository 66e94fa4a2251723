// RS256 JWT verification against an OpenID provider's published keys, with node:crypto only: the
// app server checks access tokens with it, and the tests check what the provider issues with it,
// independently of the SDK.
import crypto from 'node:crypto';

/** Why a token was refused; the message never repeats the token or anything read from it. */
export class JwtError extends Error {}

/** The header and payload of a compact JWS, unverified. Throws a JwtError when it is not one. */
export function decodeJwt(token) {
  const parts = String(token).split('.');
  if (parts.length !== 3 || !parts.every((part) => /^[A-Za-z0-9_-]+$/.test(part))) throw new JwtError('not a JWT');
  try {
    const [header, payload] = parts.slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    return { header, payload };
  } catch {
    throw new JwtError('malformed JWT');
  }
}

/**
 * The signing keys of the provider at `providerUrl`, from the jwks_uri of its discovery document,
 * with the issuer it names. An unknown kid fetches them again, at most once a second: the local
 * provider makes a new key each time it starts.
 */
export function providerKeys(providerUrl) {
  let issuer;
  let keys = new Map();
  let fetchedAt = 0;

  async function refresh() {
    fetchedAt = Date.now();
    const discovery = await (await fetch(`${providerUrl}/.well-known/openid-configuration`)).json();
    const jwks = await (await fetch(discovery.jwks_uri)).json();
    issuer = discovery.issuer;
    keys = new Map(
      jwks.keys
        .filter((k) => k.kty === 'RSA' && (!k.use || k.use === 'sig'))
        .map((k) => [k.kid, crypto.createPublicKey({ key: k, format: 'jwk' })]),
    );
  }

  return {
    /** { issuer, key } for `kid`; key is undefined when the provider has no such key. */
    async get(kid) {
      if (!keys.has(kid) && Date.now() - fetchedAt > 1000) await refresh();
      return { issuer, key: keys.get(kid) };
    },
  };
}

/**
 * Checks that `token` is an RS256 JWT signed by one of `keys` (providerKeys). Returns its header,
 * its payload and the provider's issuer; the claims are the caller's to check.
 */
export async function verifyJwt(token, keys) {
  const { header, payload } = decodeJwt(token);
  if (header.alg !== 'RS256') throw new JwtError('unexpected alg');
  let found;
  try {
    found = await keys.get(header.kid);
  } catch {
    throw new JwtError('cannot reach the provider for its keys');
  }
  if (!found.key) throw new JwtError('unknown signing key');
  const [h, p, s] = token.split('.');
  if (!crypto.verify('sha256', Buffer.from(`${h}.${p}`), found.key, Buffer.from(s, 'base64url'))) {
    throw new JwtError('bad signature');
  }
  return { header, payload, issuer: found.issuer };
}
