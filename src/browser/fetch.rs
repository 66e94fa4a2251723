//! `fetch`, through the global object (window, worker or Node).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCredentials, RequestInit, Response, Window};

use crate::browser::failure;
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
