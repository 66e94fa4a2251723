//! The provider's public documents (discovery, JWKS): one fetch in flight per URL, shared by the
//! calls that need it at the same moment (the constructor's prefetch and the callback's parse),
//! and kept in `sessionStorage` under `spa-auth.doc.<url>` for at most ten minutes, so that the
//! callback page, a fresh load, finds them without waiting on the network. Only these public
//! documents are stored, never a token. A stored document is used only when it reads back well
//! formed and fresh ([`read_stored`]), and its content is checked as a fetched one is (the
//! discovery's issuer, the JWKS's keys); otherwise it is fetched again.

use alloc::{borrow::ToOwned, boxed::Box};
use wasm_bindgen::JsValue;

use crate::browser::json::parse_json;
use crate::browser::storage::SessionStore;
use crate::browser::{fetch, now_ms};
use crate::core::error::Error;
use crate::core::key_age::{read_stored, stored, FetchedAt};
use crate::flow::single_flight::{Landing, SingleFlight};

/// The `sessionStorage` key prefix of the stored documents.
const PREFIX: &str = "spa-auth.doc.";

/// A document and when it was fetched.
pub(crate) type Document = (JsValue, FetchedAt);

/// The documents of one client, by URL.
#[derive(Debug, Default)]
pub(crate) struct Documents {
    flights: SingleFlight<Result<JsValue, Error>>,
}

impl Documents {
    /// The document at `url` as stored less than ten minutes ago, if it reads back well formed.
    pub(crate) fn stored(&self, url: &str) -> Option<Document> {
        let value = SessionStore::open(PREFIX).get(url)?;
        let (json, at) = read_stored(&value, now_ms())?;
        Some((parse_json(json)?, at))
    }

    /// Fetches the document at `url` (or joins the fetch of it in flight) and stores it, with the
    /// time it was fetched. The fetch is shared, so no one caller's deadline ends it: the document
    /// limit of [`fetch::get_json`] bounds it, and each caller stops waiting at its own deadline.
    /// A plain function giving the flight's future, which the callers await directly (wasm size).
    /// The fetch starts here and runs on when that future is dropped.
    pub(crate) fn fetch(&self, url: &str) -> Landing<Result<JsValue, Error>> {
        let work = fetch::get_json(url.to_owned(), keep);
        self.flights.run(url.to_owned(), Box::pin(work))
    }
}

/// Stores the document fetched from `url`, with the time it was fetched. A storage that refuses
/// only costs the next page a fetch.
fn keep(url: &str, document: &JsValue) {
    let at = FetchedAt(now_ms());
    if let Some(json) = js_sys::JSON::stringify(document)
        .ok()
        .and_then(|j| j.as_string())
    {
        let _ = SessionStore::open(PREFIX).put(url, &stored(at, &json));
    }
}

/// In Node and in Chromium, against `data:` URLs (which `fetch` reads without a network).
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use core::future::Future;
    use core::task::Poll;

    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;
    use crate::browser::json::number;
    use crate::browser::storage::ensure_session_storage;

    fn store() -> SessionStore {
        ensure_session_storage();
        SessionStore::open(PREFIX)
    }

    #[wasm_bindgen_test]
    async fn a_fetched_document_is_stored_with_its_time_and_read_back_while_fresh() {
        let url = "data:application/json,{\"n\":1}";
        let store = store();
        store.remove(url);
        let documents = Documents::default();
        assert!(documents.stored(url).is_none());
        let before = now_ms().trunc();
        let fetched = documents.fetch(url).await.unwrap();
        assert_eq!(number(&fetched, "n"), Some(1.0));
        let (read, read_at) = documents.stored(url).unwrap();
        assert_eq!(number(&read, "n"), Some(1.0));
        assert!(before <= read_at.0 && read_at.0 <= now_ms(), "{read_at:?}");
        store.remove(url);
    }

    #[wasm_bindgen_test]
    async fn a_stale_future_or_malformed_stored_document_is_not_used() {
        let url = "https://provider.example/.well-known/jwks.json";
        let store = store();
        let now = now_ms();
        for value in [
            stored(FetchedAt(now - 11.0 * 60_000.0), "{\"n\":1}"),
            stored(FetchedAt(now + 60_000.0), "{\"n\":1}"),
            stored(FetchedAt(now), "{\"n\":"),
            "{\"n\":1}".to_owned(),
        ] {
            store.put(url, &value).unwrap();
            assert!(Documents::default().stored(url).is_none(), "{value}");
        }
        store
            .put(url, &stored(FetchedAt(now), "{\"n\":1}"))
            .unwrap();
        assert!(Documents::default().stored(url).is_some());
        store.remove(url);
    }

    #[wasm_bindgen_test]
    async fn calls_at_the_same_moment_share_one_fetch() {
        let url = "data:application/json,{\"shared\":true}";
        let documents = Documents::default();
        let (mut a, mut b) = (
            Box::pin(documents.fetch(url)),
            Box::pin(documents.fetch(url)),
        );
        let (mut done_a, mut done_b) = (None, None);
        core::future::poll_fn(|cx| {
            if done_a.is_none() {
                if let Poll::Ready(v) = a.as_mut().poll(cx) {
                    done_a = Some(v);
                }
            }
            if done_b.is_none() {
                if let Poll::Ready(v) = b.as_mut().poll(cx) {
                    done_b = Some(v);
                }
            }
            if done_a.is_some() && done_b.is_some() {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await;
        let (a, b) = (done_a.unwrap(), done_b.unwrap());
        assert_eq!(a.unwrap(), b.unwrap(), "the same object: one fetch");
        store().remove(url);
    }
}
