//! A thin layer over the browser's APIs (through web-sys): storage, hidden frames, message
//! listeners, WebCrypto, fetch and the address bar. Every resource it creates is released when
//! its Rust owner is dropped. It reaches crypto and fetch through the global object, so the same
//! code runs in Node.

pub mod crypto;
pub mod fetch;
pub mod frame;
pub mod listener;
pub mod location;
pub mod object;
pub mod storage;

use wasm_bindgen::{JsCast, JsValue};

use crate::error::Error;
use crate::text::concat;

/// The current time in ms since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The page's window; an error outside a browser page.
pub fn window() -> Result<web_sys::Window, Error> {
    web_sys::window().ok_or_else(|| Error::Browser("this needs a browser window".into()))
}

/// A browser failure as an [`Error::Browser`], naming what was attempted. Only the JS error's
/// name and message are kept, which never hold a token.
pub fn failure(what: &str) -> impl Fn(JsValue) -> Error + '_ {
    move |value| {
        let detail = value
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_default();
        Error::Browser(concat(&[what, " failed: ", &detail]))
    }
}
