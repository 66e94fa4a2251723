//! The verification steps that need the browser: the provider's keys (fetched from the
//! configured or discovered `jwks_uri`, never from anything the token says), WebCrypto signature
//! checks and the `at_hash` digest.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::CryptoKey;

use crate::browser::crypto::{object, settle, sha256, subtle};
use crate::browser::fetch;
use crate::browser::object::{has, member, number, parse_json, string, strings};
use crate::encoding::base64url;
use crate::error::{Error, IdTokenError};
use crate::id_token::{Algorithm, Claims, Expectations, Header, Jwk, JwkSet, Jws};
use crate::text::concat;

/// The provider's JWKS, fetched once and kept; fetched again once when a token names a key it
/// does not hold (key rotation).
#[derive(Debug)]
pub struct KeyCache {
    jwks_uri: String,
    keys: RefCell<Option<Rc<JwkSet>>>,
}

impl KeyCache {
    /// A cache for the JWKS at `jwks_uri`, fetched on first use.
    pub fn new(jwks_uri: String) -> KeyCache {
        KeyCache {
            jwks_uri,
            keys: RefCell::new(None),
        }
    }

    /// A cache that starts with `keys`, as if they had been fetched.
    pub fn with_keys(jwks_uri: String, keys: JwkSet) -> KeyCache {
        KeyCache {
            jwks_uri,
            keys: RefCell::new(Some(Rc::new(keys))),
        }
    }

    async fn fetch(&self) -> Result<Rc<JwkSet>, Error> {
        let value = fetch::get_json(&self.jwks_uri).await?;
        let malformed = || {
            Error::Provider(concat(&[
                "the JWKS at ",
                &self.jwks_uri,
                " has no keys array",
            ]))
        };
        let set = Rc::new(jwk_set(&value).ok_or_else(malformed)?);
        *self.keys.borrow_mut() = Some(set.clone());
        Ok(set)
    }

    /// The key for `alg` and `kid`, refetching the JWKS once if the cached one has none.
    pub async fn key(&self, alg: Algorithm, kid: Option<&str>) -> Result<Jwk, Error> {
        let cached = self.keys.borrow().clone();
        if let Some(key) = cached.as_ref().and_then(|set| set.select(alg, kid)) {
            return Ok(key.clone());
        }
        let fresh = self.fetch().await?;
        let key = fresh.select(alg, kid).cloned();
        key.ok_or_else(|| IdTokenError::KeyNotFound(kid.map(Into::into)).into())
    }
}

/// Reads a JWK Set; `None` when it has no `keys` array.
pub fn jwk_set(value: &JsValue) -> Option<JwkSet> {
    let keys = member(value, "keys");
    let keys: Array = keys.dyn_into().ok()?;
    let jwk = |k: JsValue| Jwk {
        kty: string(&k, "kty"),
        kid: string(&k, "kid"),
        alg: string(&k, "alg"),
        use_: string(&k, "use"),
        n: string(&k, "n"),
        e: string(&k, "e"),
        crv: string(&k, "crv"),
        x: string(&k, "x"),
        y: string(&k, "y"),
    };
    Some(JwkSet {
        keys: keys.iter().map(jwk).collect(),
    })
}

fn header(json: &str) -> Option<Header> {
    let v = parse_json(json)?;
    Some(Header {
        alg: string(&v, "alg"),
        kid: string(&v, "kid"),
        crit: has(&v, "crit"),
    })
}

/// Picks the checked claims out of the payload; a claim of the wrong type counts as absent.
fn claims(v: &JsValue) -> Claims {
    Claims {
        iss: string(v, "iss"),
        sub: string(v, "sub"),
        aud: strings(v, "aud"),
        azp: string(v, "azp"),
        exp: number(v, "exp"),
        nbf: number(v, "nbf"),
        iat: number(v, "iat"),
        nonce: string(v, "nonce"),
        auth_time: number(v, "auth_time"),
        at_hash: string(v, "at_hash"),
    }
}

fn import_algorithm(alg: Algorithm) -> Object {
    match alg {
        Algorithm::RS256 => object(&[("name", "RSASSA-PKCS1-v1_5"), ("hash", "SHA-256")]),
        Algorithm::PS256 => object(&[("name", "RSA-PSS"), ("hash", "SHA-256")]),
        Algorithm::ES256 => object(&[("name", "ECDSA"), ("namedCurve", "P-256")]),
    }
}

fn verify_algorithm(alg: Algorithm) -> Object {
    match alg {
        Algorithm::RS256 => object(&[("name", "RSASSA-PKCS1-v1_5")]),
        Algorithm::ES256 => object(&[("name", "ECDSA"), ("hash", "SHA-256")]),
        Algorithm::PS256 => {
            let params = object(&[("name", "RSA-PSS")]);
            let _ = Reflect::set(&params, &"saltLength".into(), &JsValue::from(32));
            params
        }
    }
}

/// The key's public members only, so that `alg`, `use` or `key_ops` in the JWKS cannot change how
/// WebCrypto imports it.
fn public_jwk(key: &Jwk) -> Object {
    let members = [
        ("kty", &key.kty),
        ("n", &key.n),
        ("e", &key.e),
        ("crv", &key.crv),
        ("x", &key.x),
        ("y", &key.y),
    ];
    let present: Vec<(&str, &str)> = members
        .iter()
        .filter_map(|(n, v)| Some((*n, v.as_deref()?)))
        .collect();
    object(&present)
}

/// Checks the JWS signature with `key` through `SubtleCrypto.verify`.
pub async fn check_signature(alg: Algorithm, key: &Jwk, jws: &Jws<'_>) -> Result<(), Error> {
    let subtle = subtle()?;
    let usages = Array::of1(&"verify".into());
    let imported = subtle.import_key_with_object(
        "jwk",
        &public_jwk(key),
        &import_algorithm(alg),
        false,
        &usages,
    );
    let crypto_key: CryptoKey = settle(imported, "importing the provider's key")
        .await
        .map_err(|_| Error::Provider("the provider's signing key could not be imported".into()))?
        .into();
    let verified = subtle.verify_with_object_and_u8_array_and_u8_array(
        &verify_algorithm(alg),
        &crypto_key,
        &jws.signature,
        jws.signing_input.as_bytes(),
    );
    match settle(verified, "crypto.subtle.verify").await?.as_bool() {
        Some(true) => Ok(()),
        _ => Err(IdTokenError::SignatureInvalid.into()),
    }
}

/// `at_hash` for an access token: the left half of its SHA-256, base64url (OIDC Core §3.2.2.9).
pub async fn access_token_hash(access_token: &str) -> Result<String, Error> {
    let mut digest = sha256(access_token.as_bytes()).await?;
    digest.truncate(16);
    Ok(base64url(&digest))
}

/// An ID token whose signature and claims were verified.
pub struct VerifiedIdToken {
    /// The payload as the app sees it (`idTokenPayload`).
    pub payload: JsValue,
    /// The claims checked.
    pub claims: Claims,
}

impl core::fmt::Debug for VerifiedIdToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifiedIdToken").finish_non_exhaustive()
    }
}

/// Verifies an ID token: shape, algorithm, key, signature, claims, then `at_hash` whenever an
/// access token came with it. The signature is checked before any claim is trusted.
pub async fn verify(
    id_token: &str,
    access_token: Option<&str>,
    keys: &KeyCache,
    algorithms: &[Algorithm],
    expect: &Expectations<'_>,
) -> Result<VerifiedIdToken, Error> {
    let jws = Jws::parse(id_token)?;
    let header =
        header(&jws.header).ok_or(IdTokenError::Malformed("the header is not a JSON object"))?;
    let alg = header.algorithm(algorithms)?;
    let payload = parse_json(&jws.payload)
        .ok_or(IdTokenError::Malformed("the payload is not a JSON object"))?;
    let claims = claims(&payload);
    if jws.signature.is_empty() {
        return Err(IdTokenError::Malformed("the signature is empty").into());
    }
    let key = keys.key(alg, header.kid.as_deref()).await?;
    check_signature(alg, &key, &jws).await?;
    claims.check(expect)?;
    if let Some(access_token) = access_token {
        let expected = claims
            .at_hash
            .as_deref()
            .ok_or(IdTokenError::AccessTokenHashMissing)?;
        if access_token_hash(access_token).await? != expected {
            return Err(IdTokenError::AccessTokenHashMismatch.into());
        }
    }
    Ok(VerifiedIdToken { payload, claims })
}
