//! WebCrypto: random values, digests and signature checks.

use js_sys::{Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Crypto, SubtleCrypto};

use crate::browser::failure;
use crate::encoding::base64url;
use crate::error::Error;

fn crypto() -> Result<Crypto, Error> {
    Reflect::get(&js_sys::global(), &"crypto".into())
        .ok()
        .filter(|c| c.is_object())
        .map(JsCast::unchecked_into)
        .ok_or_else(|| Error::Browser("WebCrypto (globalThis.crypto) is not available".into()))
}

/// The browser's SubtleCrypto (only in secure contexts: https or localhost).
pub fn subtle() -> Result<SubtleCrypto, Error> {
    let subtle = crypto()?.subtle();
    if subtle.is_undefined() {
        return Err(Error::Browser(
            "crypto.subtle needs a secure context (https or localhost)".into(),
        ));
    }
    Ok(subtle)
}

/// 32 bytes from `crypto.getRandomValues`, base64url-encoded: 43 characters of 6 uniformly
/// random bits each, so the alphabet introduces no bias.
pub fn random_string() -> Result<String, Error> {
    let mut bytes = [0u8; 32];
    crypto()?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(failure("crypto.getRandomValues"))?;
    Ok(base64url(&bytes))
}

/// Awaits a WebCrypto promise.
pub async fn settle(promise: Result<Promise, JsValue>, what: &str) -> Result<JsValue, Error> {
    JsFuture::from(promise.map_err(failure(what))?)
        .await
        .map_err(failure(what))
}

/// SHA-256 of `data`.
pub async fn sha256(data: &[u8]) -> Result<Vec<u8>, Error> {
    let digest = settle(
        subtle()?.digest_with_str_and_u8_array("SHA-256", data),
        "crypto.subtle.digest",
    )
    .await?;
    Ok(Uint8Array::new(&digest).to_vec())
}

/// A plain JS object with string members.
pub fn object(members: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (name, value) in members {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &(*name).into(), &(*value).into());
    }
    object
}
