//! WebCrypto: random values, digests and signature checks.

use alloc::{string::String, vec::Vec};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Crypto, SubtleCrypto};

use crate::browser::failure;
use crate::core::encoding::base64url;
use crate::core::error::Error;

fn crypto() -> Result<Crypto, Error> {
    Reflect::get(&js_sys::global(), &"crypto".into())
        .ok()
        .filter(|c| c.is_object())
        .map(JsCast::unchecked_into)
        .ok_or_else(|| Error::Browser("no WebCrypto".into()))
}

/// The browser's SubtleCrypto (only in secure contexts: https or localhost).
pub(crate) fn subtle() -> Result<SubtleCrypto, Error> {
    let subtle = crypto()?.subtle();
    if subtle.is_undefined() {
        return Err(Error::Browser("crypto.subtle needs https".into()));
    }
    Ok(subtle)
}

/// 32 bytes from `crypto.getRandomValues`, base64url-encoded: 43 characters of 6 uniformly
/// random bits each, so the alphabet introduces no bias.
pub(crate) fn random_string() -> Result<String, Error> {
    let mut bytes = [0u8; 32];
    crypto()?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(failure("crypto.getRandomValues"))?;
    Ok(base64url(&bytes))
}

/// Awaits a WebCrypto promise: a plain future, not an `async fn`, so that its waiting is one
/// small `poll` instead of a state machine inside every caller's (wasm size).
pub(crate) fn settle(promise: Result<Promise, JsValue>, what: &'static str) -> Settle {
    Settle {
        pending: promise.map(JsFuture::from).map_err(Some),
        what,
    }
}

/// A WebCrypto promise being awaited ([`settle`]): its value, or its rejection (or the call's
/// exception) as an [`Error::Browser`] naming `what`.
pub(crate) struct Settle {
    pending: Result<JsFuture, Option<JsValue>>,
    what: &'static str,
}

impl Future for Settle {
    type Output = Result<JsValue, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let what = self.what;
        match &mut self.pending {
            Ok(promise) => Pin::new(promise).poll(cx).map_err(failure(what)),
            Err(thrown) => Poll::Ready(Err(failure(what)(thrown.take().unwrap_or_default()))),
        }
    }
}

/// SHA-256 of `data`. The digest starts at this call, not at the first poll, so that it runs
/// while the caller awaits other work.
pub(crate) fn sha256(data: &[u8]) -> impl Future<Output = Result<Vec<u8>, Error>> {
    let started = subtle().map(|s| s.digest_with_str_and_u8_array("SHA-256", data));
    async move {
        let digest = settle(started?, "crypto.subtle.digest").await?;
        Ok(Uint8Array::new(&digest).to_vec())
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

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
}
