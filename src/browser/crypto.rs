//! WebCrypto: random values, digests and signature checks.

use alloc::{string::String, vec::Vec};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use js_sys::{Array, Object, Promise, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::browser::{failure, promised_or_thrown, Settle};
use crate::core::encoding::base64url;
use crate::core::error::Error;

// The WebCrypto calls the SDK makes, bound by name on the global `crypto` rather than called on
// objects looked up member by member (wasm size). `crypto.subtle`'s throw where it is missing
// (outside secure contexts: https or localhost), and [`settle`] reports what was attempted and
// the browser's message.
#[wasm_bindgen]
extern "C" {
    /// `crypto.getRandomValues(array)`, filling `array` in wasm memory, where it is.
    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(array: &mut [u8]) -> Result<JsValue, JsValue>;

    /// `crypto.subtle.digest(algorithm, data)`.
    #[wasm_bindgen(catch, js_namespace = ["crypto", "subtle"])]
    fn digest(algorithm: &str, data: &[u8]) -> Result<Promise, JsValue>;

    /// `crypto.subtle.importKey(format, key, algorithm, extractable, usages)`.
    #[wasm_bindgen(catch, js_namespace = ["crypto", "subtle"], js_name = importKey)]
    pub(crate) fn import_key(
        format: &str,
        key: &Object,
        algorithm: &Object,
        extractable: bool,
        usages: &Array,
    ) -> Result<Promise, JsValue>;

    /// `crypto.subtle.verify(algorithm, key, signature, data)`, with the `CryptoKey` an import
    /// gave.
    #[wasm_bindgen(catch, js_namespace = ["crypto", "subtle"])]
    fn verify(
        algorithm: &Object,
        key: &JsValue,
        signature: &[u8],
        data: &[u8],
    ) -> Result<Promise, JsValue>;

    /// `Uint8Array.prototype.set.call(target, source)`: `source`'s bytes written into `target`
    /// in wasm memory. It throws only for a `source` longer than `target`.
    #[wasm_bindgen(js_namespace = ["Uint8Array", "prototype", "set"], js_name = call)]
    fn copy_into(target: &mut [u8], source: &Uint8Array);
}

/// The length of a SHA-256 digest in bytes.
const SHA_256_BYTES: usize = 32;

/// What failed when a `crypto.subtle` call throws instead of returning its promise: WebCrypto
/// reports its own failures as rejections, so a throw means that `crypto.subtle` is missing,
/// as it is outside secure contexts.
pub(crate) const NO_SUBTLE: &str = "crypto.subtle (https or localhost only)";

/// 32 bytes from `crypto.getRandomValues`, base64url-encoded: 43 characters of 6 uniformly
/// random bits each, so the alphabet introduces no bias.
pub(crate) fn random_string() -> Result<String, Error> {
    let mut bytes = [0; 32];
    get_random_values(&mut bytes).map_err(failure("crypto.getRandomValues"))?;
    Ok(base64url(&bytes))
}

/// Awaits a WebCrypto promise: a plain future, not an `async fn`, so that its waiting is one
/// small `poll` instead of a state machine inside every caller's (wasm size). A call that threw
/// instead of returning its promise gives what it threw as `Err`
/// ([`promised_or_thrown`]).
pub(crate) fn settle(promise: Result<Promise, JsValue>, what: &'static str) -> Settle {
    let what = if promise.is_err() { NO_SUBTLE } else { what };
    Settle::new(promised_or_thrown(promise), what)
}

/// Whether `signature` is `key`'s over `data` by `algorithm`, through `crypto.subtle.verify`,
/// awaited as a [`Settle`] whose value is the browser's boolean.
pub(crate) fn check_signature(
    algorithm: &Object,
    key: &JsValue,
    signature: &[u8],
    data: &[u8],
) -> Settle {
    settle(
        verify(algorithm, key, signature, data),
        "crypto.subtle.verify",
    )
}

/// SHA-256 of `data`. The digest starts at this call, not at the first poll, so that it runs
/// while the caller awaits other work.
pub(crate) fn sha256(data: &[u8]) -> Digest {
    Digest(settle(digest("SHA-256", data), "crypto.subtle.digest"))
}

/// A SHA-256 digest being computed ([`sha256`]): a plain future, like [`Settle`].
pub(crate) struct Digest(Settle);

impl Future for Digest {
    type Output = Result<Vec<u8>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx).map_ok(|digest| {
            // A SHA-256 digest is 32 bytes, so `copy_into` cannot throw: copied into a
            // buffer of that size, with no length read first (one binding fewer: wasm size).
            let mut bytes = alloc::vec![0; SHA_256_BYTES];
            copy_into(&mut bytes, &Uint8Array::new(&digest));
            bytes
        })
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
