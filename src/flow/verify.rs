//! The verification of a response's tokens ([`Client::verified`], every flow's last step) and what
//! it needs from the browser: the provider's keys (fetched from the configured or discovered
//! `jwks_uri`, never from anything the token says), WebCrypto signature checks and the `at_hash`
//! digest.

use alloc::{string::String, vec::Vec};
use core::cell::RefCell;

use js_sys::{Array, Object, Promise};
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::crypto::{check_signature, import_key, sha256, NO_SUBTLE};
use crate::browser::json::{member, parse_json, set};
use crate::browser::{decode, failure, promised, Settle};
use crate::core::claims::{CheckedClaims, Claims, Expectations};
use crate::core::config::{Config, ResponseType};
use crate::core::error::{Error, IdTokenError};
use crate::core::jwks::{public_members, select};
use crate::core::jws::{Algorithm, Jws};
use crate::core::key_age::FetchedAt;
use crate::core::response::Tokens;
use crate::core::secret::Secret;
use crate::flow::documents::Documents;
use crate::flow::redirect::{Asked, Client, Verified};
use crate::flow::single_flight::Landing;

/// The provider's JWKS, fetched on first use (or read back from storage, [`Documents`]) and kept
/// for a bounded time ([`FetchedAt`]), so that a key the provider withdrew stops verifying;
/// fetched again early when a token names a key it does not hold (key rotation), at most every
/// 30 s. The last key imported into WebCrypto is kept too, for the next token it signed. A plain
/// part of its [`Client`], which hands it the `jwks_uri` and the [`Documents`] it reads through:
/// no `Rc` of its own nor copy of the URL (wasm size). The JWKS is held as the browser parsed it,
/// its `keys` array, and its keys are read there ([`crate::core::jwks::PublishedKey`]), not
/// copied (wasm size).
#[derive(Debug, Default)]
pub(crate) struct KeyCache(RefCell<Option<Held>>);

/// The JWKS held, when it was fetched, and the last of its keys whose import was started: one
/// cell, and a set held anew forgets the import of the set it replaces, whose keys are other
/// objects (wasm size).
#[derive(Debug)]
struct Held {
    keys: Array,
    at: FetchedAt,
    imported: Option<Imported>,
}

/// A key whose import into WebCrypto was started, for `alg`: the very object `key` of the held
/// JWKS, so that it names that key only (JS identity, `===`). The same key of a set fetched or
/// read again is another object, imported again (at most every 30 s); no copy of its material is
/// kept to recognise it (wasm size).
#[derive(Debug)]
struct Imported {
    alg: Algorithm,
    key: JsValue,
    started: Promise,
}

impl KeyCache {
    /// A cache that starts with the JWKS `value`, as if it had been fetched at `fetched_at`.
    #[cfg(all(test, target_arch = "wasm32"))]
    pub(crate) fn with_keys(value: &JsValue, fetched_at: f64) -> KeyCache {
        let cache = KeyCache::default();
        let _ = cache.hold(value, FetchedAt(fetched_at));
        cache
    }

    /// The keys held and not stale at `now_ms`: in memory, or else as stored (with the time they
    /// were fetched then) in `documents` for `jwks_uri`, by an earlier page or by a fetch of this
    /// page that no caller waited for (see [`KeyCache::warm`]). A stored JWKS is not judged stale
    /// again here: [`Documents::stored`] gives only one fresh on the browser's clock, which
    /// `now_ms` reads too.
    fn held(
        &self,
        documents: &Documents,
        jwks_uri: &str,
        now_ms: f64,
    ) -> Option<(Array, FetchedAt)> {
        if let Some(held) = &*self.0.borrow() {
            if !held.at.is_stale(now_ms) {
                return Some((held.keys.clone(), held.at));
            }
        }
        let (value, at) = documents.stored(jwks_uri)?;
        Some((self.hold(&value, at).ok()?, at))
    }

    /// Holds the JWKS `value`, fetched `at`, and gives its keys; refused when it has no keys
    /// array. The stored and the fetched one are read in this one place (wasm size).
    pub(crate) fn hold(&self, value: &JsValue, at: FetchedAt) -> Result<Array, Error> {
        let Some(keys) = decode::jwk_set(value) else {
            return Err(Error::Provider("the JWKS has no keys array".into()));
        };
        *self.0.borrow_mut() = Some(Held {
            keys: keys.clone(),
            at,
            imported: None,
        });
        Ok(keys)
    }

    /// Starts, at `now_ms`, what the first token will need, so that it finds it ready: when the
    /// keys are held (fetched or read from storage) and `only` is the one algorithm accepted and
    /// the JWKS holds a single key for it, the import of that key, kept; when they are not held,
    /// their fetch, given back to wait for. Dropped, the fetch runs on and stores the JWKS, and the
    /// verification that needs it joins or reads it. Work done ahead: a failure is left to that
    /// verification, which tries again. A plain function, with no task or async step of its own
    /// (wasm size).
    pub(crate) fn warm(
        &self,
        documents: &Documents,
        jwks_uri: &str,
        only: Option<Algorithm>,
        now_ms: f64,
    ) -> Option<Landing<Result<JsValue, Error>>> {
        let Some((keys, _)) = self.held(documents, jwks_uri, now_ms) else {
            return Some(documents.fetch(jwks_uri));
        };
        if let Some(alg) = only {
            // Kept in the cache, for the first token signed with it.
            let _ = self.import(&keys, alg, None);
        }
        None
    }

    /// The held keys (fetched less than ten minutes ago) to choose the key for `alg` and `kid`
    /// from at `now_ms`; `None` when the JWKS must be fetched first ([`KeyCache::hold`] then
    /// holds it): none is held, or none of the held keys serves and their fetch is at least 30 s
    /// old. With the fetch awaited by the verification itself, the key's import has no async step
    /// of its own, and one call of [`select`] and [`KeyCache::import`] serves the held and the
    /// fetched keys (wasm size).
    pub(crate) fn usable(
        &self,
        documents: &Documents,
        jwks_uri: &str,
        alg: Algorithm,
        kid: Option<&str>,
        now_ms: f64,
    ) -> Option<Array> {
        let (keys, at) = self.held(documents, jwks_uri, now_ms)?;
        (!at.may_refetch(now_ms) || select(keys.iter(), alg, kid).is_ok()).then_some(keys)
    }

    /// Starts importing the key of `keys` (the held JWKS's) that [`select`] chooses for `alg` and
    /// `kid` into WebCrypto, or gives the import already started for it: one import per key,
    /// shared by the tokens it signed. The choice made here, so that the verification has one
    /// call and one failure for both (wasm size).
    pub(crate) fn import(
        &self,
        keys: &Array,
        alg: Algorithm,
        kid: Option<&str>,
    ) -> Result<Promise, Error> {
        let key = select(keys.iter(), alg, kid)?;
        let mut held = self.0.borrow_mut();
        if let Some(Held {
            imported: Some(imported),
            ..
        }) = &*held
        {
            if imported.alg == alg && imported.key == key {
                return Ok(imported.started.clone());
            }
        }
        let usages = Array::of1(&"verify".into());
        let started = import_key(
            "jwk",
            &public_jwk(&key, alg),
            &algorithm(alg),
            false,
            &usages,
        )
        .map_err(failure(NO_SUBTLE))?;
        // Kept with the keys it is one of, which are held: `key` was chosen among them.
        if let Some(held) = &mut *held {
            held.imported = Some(Imported {
                alg,
                key,
                started: started.clone(),
            });
        }
        Ok(started)
    }
}

/// The WebCrypto algorithm for `alg`, one object for both the key's import and the signature
/// check: each operation reads the members it needs (`hash` and `namedCurve` on import, `hash` for
/// ECDSA and `saltLength` for RSA-PSS on verify) and ignores the others (WebIDL dictionaries).
/// Parsed from a constant JSON text, with no member set one by one (wasm size).
fn algorithm(alg: Algorithm) -> Object {
    let json = match alg {
        Algorithm::RS256 => r#"{"name":"RSASSA-PKCS1-v1_5","hash":"SHA-256"}"#,
        Algorithm::ES256 => r#"{"name":"ECDSA","namedCurve":"P-256","hash":"SHA-256"}"#,
        Algorithm::PS256 => r#"{"name":"RSA-PSS","hash":"SHA-256","saltLength":32}"#,
    };
    // The texts are JSON objects: parsing them cannot fail.
    parse_json(json).unwrap_or_default().unchecked_into()
}

/// The public members of `key` for `alg` only ([`public_members`]), so that `alg`, `use` or
/// `key_ops` in the JWKS cannot change how WebCrypto imports it. Copied as the JS values they are:
/// [`select`] chose the key only if each of them is a string.
fn public_jwk(key: &JsValue, alg: Algorithm) -> Object {
    let jwk = Object::new();
    for name in public_members(alg) {
        set(&jwk, name, &member(key, name));
    }
    jwk
}

/// An ID token split and decoded, its signature not yet checked: nothing in it is trusted yet.
/// Its header, read here, is not kept.
struct Unverified<'a> {
    /// The payload's JSON text.
    payload: String,
    /// The bytes that were signed, and the signature.
    signing_input: &'a str,
    signature: Vec<u8>,
    alg: Algorithm,
    kid: Option<String>,
    claims: Claims,
}

impl Unverified<'_> {
    /// The check of its signature with `key`, the `CryptoKey` imported for its algorithm: one
    /// call in the verification's body (wasm size).
    fn signature_check(&self, key: &JsValue) -> Settle {
        let data = self.signing_input.as_bytes();
        check_signature(&algorithm(self.alg), key, &self.signature, data)
    }
}

/// Splits and decodes the ID token and picks its algorithm from the allow-list. A synchronous
/// step of its own, so that the async [`Client::verified`] holds only its result across the
/// awaits and its failures drop nothing of the future's state (wasm size). Every failure here is
/// the token's own, made into an [`Error`] once, at the caller's `?` (wasm size).
fn decode_token<'a>(
    id_token: &'a Secret,
    algorithms: &[Algorithm],
) -> Result<Unverified<'a>, IdTokenError> {
    let Jws {
        header,
        payload,
        signing_input,
        signature,
    } = Jws::parse(id_token.expose())?;
    // `let … else`, not `ok_or`: an error built eagerly is dropped on success, in the wasm too.
    let Some(header) = decode::header(&header) else {
        return Err(IdTokenError::Malformed("the header is not a JSON object"));
    };
    let alg = header.algorithm(algorithms)?;
    let Some(claims) = parse_json(&payload) else {
        return Err(IdTokenError::Malformed("the payload is not a JSON object"));
    };
    if signature.is_empty() {
        return Err(IdTokenError::Malformed("the signature is empty"));
    }
    Ok(Unverified {
        claims: decode::claims(&claims),
        alg,
        kid: header.kid,
        payload,
        signing_input,
        signature,
    })
}

/// The claims' checks against what `config` and `asked` expect at `now_ms`. A synchronous step,
/// like [`decode_token`]; what the claims must say is built here, once the signature holds, and
/// nothing of it is held across the waits (wasm size).
fn check_claims(
    config: &Config,
    asked: &Asked,
    claims: &Claims,
    now_ms: f64,
) -> Result<CheckedClaims, Error> {
    let expect = Expectations {
        issuer: config.issuer(),
        client_id: &config.client_id,
        nonce: asked.nonce.as_ref().map(Secret::expose),
        max_age: asked.max_age,
        leeway: config.leeway,
        now: now_ms / 1000.0,
    };
    Ok(claims.check(&expect)?)
}

impl Client {
    /// Verifies tokens against what was `asked`, at `now_ms`, and makes the result. Their ID
    /// token: shape, algorithm, key, signature, claims (the nonce unless they answer another tab's
    /// request, see [`Client::verify_shared`]), then `at_hash` against the access token that came
    /// with it: required for `id_token token` (OIDC Core §3.2.2.10), checked when present
    /// otherwise (`code`, §3.1.3.8). The signature is checked before any claim is trusted; the
    /// access token's digest runs meanwhile, not after it. The endpoints are looked up here (held by
    /// then for every caller but a shared token's), so that [`Client::verify_shared`] needs no
    /// async step of its own. Every step in this one body (wasm size).
    pub(crate) async fn verified(
        &self,
        tokens: Tokens,
        asked: Asked,
        now_ms: f64,
    ) -> Result<Verified, Error> {
        let endpoints = self.endpoints().await?;
        let token = decode_token(&tokens.id_token, &self.config.algorithms)?;
        let (keys, uri, kid) = (&self.keys, &endpoints.jwks_uri, token.kid.as_deref());
        // The keys in a block of their own: not held across the waits after it (wasm size).
        let imported = {
            let set = match keys.usable(&self.documents, uri, token.alg, kid, now_ms) {
                Some(set) => set,
                // One await point for both reasons to fetch, so that it is compiled once (wasm
                // size).
                None => {
                    let value = self.documents.fetch(uri).await?;
                    keys.hold(&value, FetchedAt(now_ms))?
                }
            };
            keys.import(&set, token.alg, kid)?
        };
        // The access token's digest, while the key's import runs: awaited first, so that only its
        // outcome is held across the signature's waits (wasm size); it is compared only once the
        // signature holds.
        let digest = match (&tokens.access_token, &token.claims.at_hash) {
            (Some(access_token), Some(_)) => Some(sha256(access_token.expose().as_bytes()).await),
            _ => None,
        };
        // `at_hash` against it (a failed digest counts as its outcome), compared now but reported
        // only once the signature and the claims hold: only the outcome is held across the
        // signature's waits, not the digest (wasm size).
        let at_hash = match digest.transpose() {
            Ok(digest) => {
                let came = tokens.access_token.is_some();
                let required = asked.response_type == ResponseType::IdTokenToken;
                let checked = token
                    .claims
                    .check_at_hash(came, digest.as_deref(), required);
                checked.map_err(Error::from)
            }
            Err(error) => Err(error),
        };
        // The signature, with the key being imported, through `SubtleCrypto.verify`.
        // Awaited as the browser's promise: its rejection is not described, only replaced.
        // The key in a block of its own: not held across the signature's wait (wasm size).
        let verified = {
            let crypto_key = promised(&imported)
                .await
                .map_err(|_| Error::Provider("the key could not be imported".into()))?;
            token.signature_check(&crypto_key)
        };
        if verified.await? != JsValue::TRUE {
            return Err(IdTokenError::SignatureInvalid.into());
        }
        let claims = check_claims(&self.config, &asked, &token.claims, now_ms)?;
        at_hash?;
        let payload = token.payload;
        Ok(Verified::made(tokens, asked, now_ms, payload, claims))
    }
}

/// With real WebCrypto, in Node and in Chromium, against fixture keys and tokens made by
/// `tests/fixtures/make-tokens.mjs`.
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use js_sys::{Reflect, JSON};
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;
    use crate::core::config::{Config, ConfigOptions};
    use crate::core::metadata::Endpoints;

    const FIXTURES: &str = include_str!("../../tests/fixtures/tokens.json");
    const ALL: [Algorithm; 3] = [Algorithm::RS256, Algorithm::ES256, Algorithm::PS256];

    fn fixture(path: &[&str]) -> JsValue {
        path.iter().fold(JSON::parse(FIXTURES).unwrap(), |v, name| {
            Reflect::get(&v, &(*name).into()).unwrap()
        })
    }

    fn text(path: &[&str]) -> String {
        fixture(path).as_string().unwrap()
    }

    fn data_url(value: &JsValue) -> String {
        let json = String::from(JSON::stringify(value).unwrap());
        format!(
            "data:application/json,{}",
            String::from(js_sys::encode_uri_component(&json))
        )
    }

    /// The fixtures' clock, in ms.
    fn now_ms() -> f64 {
        fixture(&["now"]).as_f64().unwrap() * 1000.0
    }

    /// The keys a client starts with, and the JWKS URL it fetches them from.
    struct Held {
        cache: KeyCache,
        jwks_uri: String,
    }

    /// A key cache holding `held`, fetched `age_ms` ago, whose JWKS URL now serves `served`.
    fn cache(held: &str, age_ms: f64, served: &str) -> Held {
        Held {
            cache: KeyCache::with_keys(&fixture(&[held]), now_ms() - age_ms),
            jwks_uri: data_url(&fixture(&[served])),
        }
    }

    /// An empty key cache whose JWKS URL serves `served`.
    fn fetched_from(served: &str) -> Held {
        Held {
            cache: KeyCache::default(),
            jwks_uri: data_url(&fixture(&[served])),
        }
    }

    /// A key cache holding the initial JWKS, fetched a minute ago, which fetches the rotated one
    /// when asked for an unknown kid.
    fn keys() -> Held {
        cache("jwks", 60_000.0, "jwksRotated")
    }

    async fn check_with(
        token: &str,
        access_token: Option<&str>,
        algorithms: &[Algorithm],
        held: Held,
    ) -> Result<(), String> {
        check_flow(token, access_token, true, algorithms, held).await
    }

    /// Verifies the fixture `token` as a client accepting `algorithms` with keys from `cache`, at
    /// the fixtures' clock, against a transaction with the fixtures' nonce: for `id_token token`
    /// when `at_hash_required`, for `code` otherwise.
    async fn check_flow(
        token: &str,
        access_token: Option<&str>,
        at_hash_required: bool,
        algorithms: &[Algorithm],
        held: Held,
    ) -> Result<(), String> {
        let mut config = Config::new(&ConfigOptions {
            issuer: Some(text(&["issuer"])),
            client_id: Some(text(&["clientId"])),
            redirect_uri: Some("https://app.example/cb".into()),
            ..ConfigOptions::default()
        })
        .unwrap();
        config.algorithms = algorithms.to_vec();
        let mut endpoints = Endpoints::auth0(&text(&["issuer"]));
        endpoints.jwks_uri = held.jwks_uri;
        let client = Client::with_keys(config, endpoints, held.cache);
        let tokens = Tokens {
            state: String::new(),
            id_token: Secret::new(text(&["tokens", token])),
            access_token: access_token.map(Secret::from),
            expires_in: None,
            scope: None,
        };
        let asked = Asked {
            nonce: Some(Secret::new(text(&["nonce"]))),
            response_type: if at_hash_required {
                ResponseType::IdTokenToken
            } else {
                ResponseType::Code
            },
            max_age: None,
            scope: "openid".into(),
            audience: None,
            app_state: None,
            expires_by: f64::INFINITY,
        };
        match client.verified(tokens, asked, now_ms()).await {
            Ok(verified) => {
                assert_eq!(verified.result.subject, "user-1");
                Ok(())
            }
            Err(e) => {
                assert!(
                    !e.description().contains(&text(&["tokens", token])),
                    "the description never holds the token"
                );
                Err(e.code().to_owned())
            }
        }
    }

    async fn check(token: &str) -> Result<(), String> {
        check_with(token, Some(&text(&["accessToken"])), &ALL, keys()).await
    }

    #[wasm_bindgen_test]
    async fn rs256_es256_and_ps256_verify_with_the_providers_keys() {
        for token in ["rs256", "es256", "ps256"] {
            assert_eq!(check(token).await, Ok(()), "{token}");
        }
    }

    #[wasm_bindgen_test]
    async fn a_signature_by_another_key_is_refused() {
        assert_eq!(
            check("wrongKey").await.unwrap_err(),
            "id_token_signature_invalid"
        );
    }

    #[wasm_bindgen_test]
    async fn a_tampered_payload_is_refused() {
        assert_eq!(
            check("tampered").await.unwrap_err(),
            "id_token_signature_invalid"
        );
    }

    #[wasm_bindgen_test]
    async fn alg_none_is_refused() {
        assert_eq!(
            check("algNone").await.unwrap_err(),
            "id_token_alg_not_allowed"
        );
    }

    #[wasm_bindgen_test]
    async fn hs256_signed_with_the_rsa_public_key_is_refused() {
        assert_eq!(
            check("hs256WithPublicKey").await.unwrap_err(),
            "id_token_alg_not_allowed"
        );
    }

    #[wasm_bindgen_test]
    async fn algorithms_outside_the_allow_list_are_refused() {
        let only_rs256 = [Algorithm::RS256];
        let refused = check_with("es256", Some(&text(&["accessToken"])), &only_rs256, keys()).await;
        assert_eq!(refused.unwrap_err(), "id_token_alg_not_allowed");
    }

    #[wasm_bindgen_test]
    async fn an_unknown_kid_refetches_the_jwks_once_for_key_rotation() {
        assert_eq!(check("rotated").await, Ok(()));
        assert_eq!(
            check("unknownKid").await.unwrap_err(),
            "id_token_key_not_found"
        );
    }

    #[wasm_bindgen_test]
    async fn an_unknown_kid_refetches_at_most_every_30_s() {
        let access_token = text(&["accessToken"]);
        let just_fetched = cache("jwks", 10_000.0, "jwksRotated");
        let refused = check_with("rotated", Some(&access_token), &ALL, just_fetched).await;
        assert_eq!(refused.unwrap_err(), "id_token_key_not_found");
        let a_while_ago = cache("jwks", 31_000.0, "jwksRotated");
        assert_eq!(
            check_with("rotated", Some(&access_token), &ALL, a_while_ago).await,
            Ok(())
        );
    }

    #[wasm_bindgen_test]
    async fn keys_older_than_ten_minutes_are_fetched_again_so_a_withdrawn_key_stops_verifying() {
        let access_token = text(&["accessToken"]);
        let recent = cache("jwksRotated", 9.0 * 60_000.0, "jwks");
        assert_eq!(
            check_with("rotated", Some(&access_token), &ALL, recent).await,
            Ok(())
        );
        let old = cache("jwksRotated", 11.0 * 60_000.0, "jwks");
        let withdrawn = check_with("rotated", Some(&access_token), &ALL, old).await;
        assert_eq!(withdrawn.unwrap_err(), "id_token_key_not_found");
    }

    #[wasm_bindgen_test]
    async fn without_a_kid_only_a_single_signing_key_is_used() {
        let single = fetched_from("jwksSingle");
        let access_token = text(&["accessToken"]);
        assert_eq!(
            check_with("noKid", Some(&access_token), &ALL, single).await,
            Ok(())
        );
        let several = fetched_from("jwks");
        let refused = check_with("noKid", Some(&access_token), &ALL, several).await;
        assert_eq!(refused.unwrap_err(), "id_token_key_not_found");
    }

    /// Stores `held` as an earlier page would have, `age_ms` ago, for the JWKS URL that serves
    /// `served`, and gives a fresh cache for that URL.
    fn stored_by_an_earlier_page(held: &str, age_ms: f64, served: &str) -> (Held, f64) {
        crate::browser::storage::ensure_session_storage();
        let url = data_url(&fixture(&[served]));
        let now = js_sys::Date::now();
        let json = String::from(JSON::stringify(&fixture(&[held])).unwrap());
        let value = crate::core::key_age::stored(FetchedAt(now - age_ms), &json);
        let store = crate::browser::storage::SessionStore::open("spa-auth.doc.");
        store.put(&url, &value).unwrap();
        let held = Held {
            cache: KeyCache::default(),
            jwks_uri: url,
        };
        (held, now)
    }

    /// Starts importing the key for RS256 and `kid` from `held`'s cache, at `now`, fetching the
    /// JWKS when it must, as [`Client::verified`] does.
    async fn import(held: &Held, kid: &str, now: f64) -> Result<Promise, Error> {
        let documents = Documents::default();
        let (cache, uri, alg) = (&held.cache, &held.jwks_uri, Algorithm::RS256);
        let set = match cache.usable(&documents, uri, alg, Some(kid), now) {
            Some(set) => set,
            None => cache.hold(&documents.fetch(uri).await?, FetchedAt(now))?,
        };
        cache.import(&set, alg, Some(kid))
    }

    #[wasm_bindgen_test]
    async fn a_key_is_imported_once_for_its_tokens_and_again_from_a_set_held_anew() {
        let held = keys();
        let now = now_ms();
        let first = JsValue::from(import(&held, "rsa-1", now).await.unwrap());
        let again = JsValue::from(import(&held, "rsa-1", now).await.unwrap());
        assert_eq!(first, again, "the import started for the first token");
        let _ = held.cache.hold(&fixture(&["jwks"]), FetchedAt(now));
        let anew = JsValue::from(import(&held, "rsa-1", now).await.unwrap());
        assert_ne!(first, anew, "another object: imported again");
    }

    #[wasm_bindgen_test]
    async fn stored_keys_are_used_with_the_time_they_were_fetched_then() {
        let (cache, now) = stored_by_an_earlier_page("jwks", 10_000.0, "jwksRotated");
        assert!(import(&cache, "rsa-1", now).await.is_ok());
        let throttled = import(&cache, "rsa-2", now).await;
        assert_eq!(
            throttled.unwrap_err().code(),
            "id_token_key_not_found",
            "fetched 10 s ago"
        );
        let (cache, now) = stored_by_an_earlier_page("jwks", 31_000.0, "jwksRotated");
        let refetched = import(&cache, "rsa-2", now).await;
        assert!(
            refetched.is_ok(),
            "fetched 31 s ago: an unknown kid fetches the JWKS again"
        );
        let (cache, now) = stored_by_an_earlier_page("jwksRotated", 11.0 * 60_000.0, "jwks");
        let withdrawn = import(&cache, "rsa-2", now).await;
        assert_eq!(
            withdrawn.unwrap_err().code(),
            "id_token_key_not_found",
            "stale: fetched again"
        );
    }

    #[wasm_bindgen_test]
    async fn keys_are_fetched_from_the_configured_jwks_uri_on_first_use() {
        let cache = fetched_from("jwks");
        assert_eq!(
            check_with("rs256", Some(&text(&["accessToken"])), &ALL, cache).await,
            Ok(())
        );
    }

    #[wasm_bindgen_test]
    async fn at_hash_is_required_and_checked_when_an_access_token_came_along() {
        assert_eq!(
            check("noAtHash").await.unwrap_err(),
            "id_token_at_hash_missing"
        );
        assert_eq!(
            check("badAtHash").await.unwrap_err(),
            "id_token_at_hash_mismatch"
        );
        let other_access_token =
            check_with("rs256", Some("another-access-token"), &ALL, keys()).await;
        assert_eq!(other_access_token.unwrap_err(), "id_token_at_hash_mismatch");
        assert_eq!(
            check_with("noAtHash", None, &ALL, keys()).await,
            Ok(()),
            "no access token, no at_hash needed"
        );
    }

    #[wasm_bindgen_test]
    async fn with_code_at_hash_is_checked_when_present_only() {
        let access_token = text(&["accessToken"]);
        let code = |token, access_token| check_flow(token, access_token, false, &ALL, keys());
        assert_eq!(code("noAtHash", Some(&access_token)).await, Ok(()));
        assert_eq!(code("rs256", Some(&access_token)).await, Ok(()));
        assert_eq!(
            code("badAtHash", Some(&access_token)).await.unwrap_err(),
            "id_token_at_hash_mismatch"
        );
        assert_eq!(
            code("rs256", Some("another-access-token"))
                .await
                .unwrap_err(),
            "id_token_at_hash_mismatch"
        );
    }

    #[wasm_bindgen_test]
    async fn claims_are_checked_after_the_signature() {
        assert_eq!(
            check("wrongNonce").await.unwrap_err(),
            "id_token_nonce_mismatch"
        );
        assert_eq!(
            check("wrongIssuer").await.unwrap_err(),
            "id_token_iss_mismatch"
        );
        assert_eq!(
            check("critHeader").await.unwrap_err(),
            "id_token_crit_unsupported"
        );
    }
}
