//! `fetch`, through the global object (window, worker or Node).

use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestCredentials, RequestInit, Response, Window};

use crate::browser::failure;
use crate::browser::json::{object, set};
use crate::core::error::Error;
use crate::core::text::{concat, decimal};

/// Sends a request with the global `fetch`: `Window.fetch` called on the global object, which
/// in a worker or in Node is not a window but has the same method.
pub(crate) async fn send(request: &Request) -> Result<Response, Error> {
    let global: Window = js_sys::global().unchecked_into();
    let response = JsFuture::from(global.fetch_with_request(request))
        .await
        .map_err(failure("fetch"))?;
    Ok(response.unchecked_into())
}

/// GETs a JSON document without credentials; an error names the URL and the status.
pub(crate) async fn get_json(url: &str) -> Result<JsValue, Error> {
    let init = RequestInit::new();
    init.set_credentials(RequestCredentials::Omit);
    let request = Request::new_with_str_and_init(url, &init).map_err(failure("fetch"))?;
    let fetch_failed = |_: JsValue| Error::Provider(concat(&["could not fetch ", url]));
    let response = send(&request)
        .await
        .map_err(|_| fetch_failed(JsValue::NULL))?;
    if !response.ok() {
        let status = decimal(response.status().into());
        return Err(Error::Provider(concat(&[
            "GET ",
            url,
            " answered HTTP ",
            &status,
        ])));
    }
    let json = response.json().map_err(fetch_failed)?;
    JsFuture::from(json)
        .await
        .map_err(|_| Error::Provider(concat(&[url, " did not answer JSON"])))
}

/// POSTs a form-encoded `body` without cookies and reads the answer as JSON, whatever its status
/// (an OAuth error comes with 400): the status and the parsed value. The request, reading the
/// answer included, is aborted after `timeout_ms`. Errors name the URL, never the body.
pub(crate) async fn post_form(
    url: &str,
    body: &str,
    timeout_ms: u32,
) -> Result<(u16, JsValue), Error> {
    let controller = AbortController::new().map_err(failure("AbortController"))?;
    let signal = controller.signal();
    let _deadline = Timeout::new(timeout_ms, move || controller.abort());
    let failed = |why: &str| {
        if signal.aborted() {
            let waited = decimal(timeout_ms.into());
            Error::Timeout(concat(&[url, " did not answer within ", &waited, " ms"]))
        } else {
            Error::Provider(concat(&["POST ", url, why]))
        }
    };
    // The RequestInit as a plain object: no glue for its setters.
    let init = object(&[("method", "POST"), ("credentials", "omit"), ("body", body)]);
    let form = object(&[("Content-Type", "application/x-www-form-urlencoded")]);
    set(&init, "headers", &form);
    set(&init, "signal", &signal);
    let request =
        Request::new_with_str_and_init(url, init.unchecked_ref()).map_err(failure("fetch"))?;
    let response = send(&request)
        .await
        .map_err(|_| failed(": no answer (a network error, or no CORS for this origin)"))?;
    let content_type = response.headers().get("Content-Type").ok().flatten();
    if !content_type.is_some_and(|t| t.to_ascii_lowercase().starts_with("application/json")) {
        return Err(failed(" did not answer with application/json"));
    }
    let json = response
        .json()
        .map_err(|_| failed(" did not answer JSON"))?;
    let value = JsFuture::from(json)
        .await
        .map_err(|_| failed(" did not answer JSON"))?;
    Ok((response.status(), value))
}
