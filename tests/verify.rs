//! ID-token verification with real WebCrypto, in Node (`wasm-pack test --node`) and in Chromium
//! (`wasm-pack test --headless --chrome`), against fixture keys and tokens made by
//! `tests/fixtures/make-tokens.mjs`.

use js_sys::{Reflect, JSON};
use spa_auth::browser::crypto::random_string;
use spa_auth::id_token::verify::jwk_set;
use spa_auth::id_token::{verify, Algorithm, Expectations, KeyCache};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const FIXTURES: &str = include_str!("fixtures/tokens.json");
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

/// A key cache holding the initial JWKS, which fetches the rotated one when asked for an unknown kid.
fn keys() -> KeyCache {
    KeyCache::with_keys(
        data_url(&fixture(&["jwksRotated"])),
        jwk_set(&fixture(&["jwks"])).unwrap(),
    )
}

async fn check_with(
    token: &str,
    access_token: Option<&str>,
    algorithms: &[Algorithm],
    cache: &KeyCache,
) -> Result<(), String> {
    let (issuer, client_id, nonce) = (text(&["issuer"]), text(&["clientId"]), text(&["nonce"]));
    let expect = Expectations {
        issuer: &issuer,
        client_id: &client_id,
        nonce: &nonce,
        max_age: None,
        leeway: 60,
        now: fixture(&["now"]).as_f64().unwrap(),
    };
    match verify(
        &text(&["tokens", token]),
        access_token,
        cache,
        algorithms,
        &expect,
    )
    .await
    {
        Ok(verified) => {
            assert_eq!(verified.claims.sub.as_deref(), Some("user-1"));
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
    check_with(token, Some(&text(&["accessToken"])), &ALL, &keys()).await
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
    let refused = check_with("es256", Some(&text(&["accessToken"])), &only_rs256, &keys()).await;
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
async fn without_a_kid_only_a_single_signing_key_is_used() {
    let single = KeyCache::new(data_url(&fixture(&["jwksSingle"])));
    let access_token = text(&["accessToken"]);
    assert_eq!(
        check_with("noKid", Some(&access_token), &ALL, &single).await,
        Ok(())
    );
    let several = KeyCache::new(data_url(&fixture(&["jwks"])));
    let refused = check_with("noKid", Some(&access_token), &ALL, &several).await;
    assert_eq!(refused.unwrap_err(), "id_token_key_not_found");
}

#[wasm_bindgen_test]
async fn keys_are_fetched_from_the_configured_jwks_uri_on_first_use() {
    let cache = KeyCache::new(data_url(&fixture(&["jwks"])));
    assert_eq!(
        check_with("rs256", Some(&text(&["accessToken"])), &ALL, &cache).await,
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
    let other_access_token = check_with("rs256", Some("another-access-token"), &ALL, &keys()).await;
    assert_eq!(other_access_token.unwrap_err(), "id_token_at_hash_mismatch");
    assert_eq!(
        check_with("noAtHash", None, &ALL, &keys()).await,
        Ok(()),
        "no access token, no at_hash needed"
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

#[wasm_bindgen_test]
fn random_values_are_43_base64url_characters_and_distinct() {
    let a = random_string().unwrap();
    let b = random_string().unwrap();
    assert_eq!(a.len(), 43);
    assert!(a
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    assert_ne!(a, b);
}
