//! `fetch`, through the global object (window, worker or Node), with the `AbortController`s that
//! bound it.

use alloc::string::String;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, AbortSignal, Request, Response};

use crate::browser::global;
use crate::browser::json::{call, call2, member, parse_json, set};
use crate::browser::{promised_or_thrown, Promised, Settle};
use crate::core::error::Error;
use crate::core::text::{concat, decimal};

/// The longest a provider's document (discovery, JWKS) may take, whatever the caller allows: a
/// provider that never answers must not hold a login or a renewal forever.
const DOCUMENT_LIMIT_MS: u32 = 10_000;

/// The fetches of one call: aborted together when this is dropped, so that a call that ended
/// (timed out, cancelled) leaves no request running.
#[derive(Debug)]
pub(crate) struct Fetches {
    controller: AbortController,
}

impl Fetches {
    /// A new group of fetches. `new AbortController()` throws only where the constructor is
    /// missing, and the package needs `AbortSignal.timeout`, which every browser shipped later:
    /// it cannot fail here, so no caller has a failure to handle (wasm size). Were it ever to
    /// throw, the thrown value would stand in for the controller and its first use would throw.
    pub(crate) fn new() -> Fetches {
        let controller = AbortController::new().unwrap_or_else(JsCast::unchecked_into);
        Fetches { controller }
    }

    /// The signal to give each fetch of the group.
    pub(crate) fn signal(&self) -> AbortSignal {
        self.controller.signal()
    }
}

impl Drop for Fetches {
    fn drop(&mut self) {
        self.controller.abort();
    }
}

/// The global `fetch(resource, init)` (window, worker or Node), resolving to a `Response`; called
/// through `Function.call`, with no binding of its own (wasm size). A global without `fetch`
/// fails as the network does. `resource` is a `Request` or a URL: the URLs this layer is given
/// were checked by the core's parser, which refuses what the browser's reads differently, so
/// `fetch` never refuses one before sending. A plain function, not an `async` one: the callers
/// await the browser's promise directly, one state machine fewer each (wasm size).
fn fetch(resource: &JsValue, init: &JsValue) -> Promised {
    let answer = call2(&global(), "fetch", resource, init).map(JsCast::unchecked_into);
    promised_or_thrown(answer)
}

/// A `RequestInit` as a plain object, from its constant members as JSON text: no glue for its
/// setters, and no member set one by one (wasm size). The texts are JSON objects: parsing them
/// cannot fail.
fn init(constant: &str) -> JsValue {
    parse_json(constant).unwrap_or_default()
}

/// Sends a request with the global `fetch`: the browser's promise, awaited as a [`Settle`]
/// whose value is the `Response`. The same plain future as WebCrypto's, with no wrapper of its
/// own that differs only in its output's type (wasm size).
pub(crate) fn send(request: &Request) -> Settle {
    Settle::new(fetch(request, &JsValue::UNDEFINED), "fetch")
}

/// GETs a provider's JSON document without credentials, within [`DOCUMENT_LIMIT_MS`]: the fetch
/// is shared by the calls that need the document ([`crate::flow::documents`]), so no one caller's
/// signal ends it. An error names the URL and the status; a network failure, an
/// HTTP 5xx, 408 or 429 or no answer in time are [`Error::ProviderUnavailable`] (they may pass),
/// anything else [`Error::Provider`]. A document read is handed to `keep` (with its URL) before it
/// is returned: the caller's storage runs in this same task, with no async block around it, and
/// the URL is owned, so that the returned future can run as a task of its own (wasm size).
pub(crate) async fn get_json(url: String, keep: fn(&str, &JsValue)) -> Result<JsValue, Error> {
    let url = url.as_str();
    let limit = AbortSignal::timeout_with_u32(DOCUMENT_LIMIT_MS);
    // The RequestInit as a plain object, as in `post_form`: no glue for its setters. Dropped
    // before the wait, not held across it (wasm size).
    let sent = {
        let init = init(r#"{"credentials":"omit"}"#);
        set(&init, "signal", &limit);
        fetch(&url.into(), &init)
    };
    // The body parsed by `Response.json()`, which is `JSON.parse` of its text: the document never
    // copied into Rust and back. One failure for every step (the fetch, reading and parsing the
    // body): the parsing's alone is a `SyntaxError`.
    let document = match sent.await {
        Ok(response) => {
            // The response in a block of its own: not held across the body's wait (wasm size).
            let reading = {
                let response: Response = response.unchecked_into();
                let status = response.status();
                // `Response.ok`, from the status the code already has: one import fewer (wasm
                // size).
                if !(200..300).contains(&status) {
                    let message =
                        concat(&["GET ", url, " answered HTTP ", &decimal(status.into())]);
                    return Err(Error::http_status(status, message));
                }
                response.json()
            };
            promised_or_thrown(reading).await
        }
        Err(error) => Err(error),
    };
    let document = match document {
        Ok(document) => document,
        Err(error) if member(&error, "name") == "SyntaxError" => {
            return Err(Error::Provider(concat(&[url, " did not answer JSON"])));
        }
        Err(_) => {
            // `aborted` read as a member, as booleans are compared elsewhere: no binding of its
            // own (wasm size).
            let why = if member(&limit, "aborted") == JsValue::TRUE {
                " did not answer within 10 s"
            } else {
                " could not be fetched"
            };
            return Err(Error::ProviderUnavailable(concat(&["GET ", url, why])));
        }
    };
    keep(url, &document);
    Ok(document)
}

/// POSTs a form-encoded `body` without cookies and reads the answer as JSON, whatever its status
/// (an OAuth error comes with 400): the status and the parsed value. The request, reading the
/// answer included, stops when `signal` (the caller's deadline) aborts. Errors name the URL, never
/// the body; no answer at all may pass ([`Error::ProviderUnavailable`]).
pub(crate) async fn post_form(
    url: &str,
    body: &str,
    signal: &AbortSignal,
) -> Result<(u16, JsValue), Error> {
    // The RequestInit as a plain object: no glue for its setters. Dropped before the wait, not
    // held across it (wasm size).
    let sent = {
        let init = init(concat!(
            r#"{"method":"POST","credentials":"omit","#,
            r#""headers":{"Content-Type":"application/x-www-form-urlencoded"}}"#
        ));
        set(&init, "body", &body.into());
        set(&init, "signal", signal);
        fetch(&url.into(), &init)
    };
    let response: Response = sent
        .await
        .map_err(|_| {
            Error::ProviderUnavailable(concat(&["POST ", url, ": no answer (network or CORS)"]))
        })?
        .unchecked_into();
    let status = response.status();
    // `Headers.get` through `json::call`: no binding of its own (wasm size; `text()` and
    // `json()` through it measured larger).
    let headers = member(&response, "headers");
    let content_type = call(&headers, "get", &"Content-Type".into())
        .ok()
        .and_then(|t| t.as_string());
    if !content_type.is_some_and(|t| t.to_ascii_lowercase().starts_with("application/json")) {
        let message = concat(&[
            "POST ",
            url,
            " answered HTTP ",
            &decimal(status.into()),
            " without application/json",
        ]);
        return Err(Error::http_status(status, message));
    }
    // One failure for both steps (reading the body, parsing it): one error built (wasm size).
    let Ok(value) = promised_or_thrown(response.json()).await else {
        return Err(Error::Provider(concat(&[
            "POST ",
            url,
            " did not answer JSON",
        ])));
    };
    Ok((status, value))
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    #[wasm_bindgen_test]
    async fn an_aborted_group_fails_its_fetch_as_unavailable() {
        let fetches = Fetches::new();
        let signal = fetches.signal();
        drop(fetches);
        assert!(signal.aborted(), "dropping the group aborts it");
        let error = post_form("data:application/json,{}", "a=1", &signal)
            .await
            .unwrap_err();
        assert_eq!(
            error,
            Error::ProviderUnavailable(
                "POST data:application/json,{}: no answer (network or CORS)".into()
            )
        );
        let keep = |_: &str, _: &JsValue| {};
        let fine = get_json("data:application/json,{\"a\":1}".into(), keep)
            .await
            .unwrap();
        assert_eq!(crate::browser::json::number(&fine, "a"), Some(1.0));
        let text = get_json("data:text/plain,not json".into(), keep)
            .await
            .unwrap_err();
        assert_eq!(text.code(), "provider_error");
    }
}
