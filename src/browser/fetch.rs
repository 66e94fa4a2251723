//! `fetch`, through the global object (window, worker or Node).

use js_sys::Promise;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCredentials, RequestInit, Response};

use crate::browser::failure;
use crate::error::Error;
use crate::text::{concat, decimal};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(request: &Request) -> Result<Promise, JsValue>;
}

/// Sends a request.
pub async fn send(request: &Request) -> Result<Response, Error> {
    let response = JsFuture::from(global_fetch(request).map_err(failure("fetch"))?)
        .await
        .map_err(failure("fetch"))?;
    Ok(response.unchecked_into())
}

/// GETs a JSON document without credentials; an error names the URL and the status.
pub async fn get_json(url: &str) -> Result<JsValue, Error> {
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
