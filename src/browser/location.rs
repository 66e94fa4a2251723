//! The address bar: reading the callback's fragment and query, removing them, navigating.

use alloc::string::String;
use wasm_bindgen::JsValue;

use crate::browser::{failure, window};
use crate::core::error::Error;
use crate::core::text::concat;

/// The page's `#fragment`, with its `#`.
pub(crate) fn hash() -> Result<String, Error> {
    window()?
        .location()
        .hash()
        .map_err(failure("location.hash"))
}

/// The page's origin.
pub(crate) fn origin() -> Result<String, Error> {
    window()?
        .location()
        .origin()
        .map_err(failure("location.origin"))
}

/// The page's `?query`, with its `?`.
pub(crate) fn search() -> Result<String, Error> {
    window()?
        .location()
        .search()
        .map_err(failure("location.search"))
}

/// Replaces the address bar's URL without a reload, keeping the history state: the page's own
/// origin and path, then `query` and `fragment` (each without its `?` or `#`; empty for none).
/// The URL is absolute, so that a path such as `//x` cannot be read as another host.
pub(crate) fn replace(query: &str, fragment: &str) -> Result<(), Error> {
    let window = window()?;
    let location = window.location();
    let path = location.pathname().map_err(failure("location.pathname"))?;
    let history = window.history().map_err(failure("history"))?;
    let state = history.state().unwrap_or(JsValue::NULL);
    let mut url = concat(&[&origin()?, &path]);
    for (mark, part) in [("?", query), ("#", fragment)] {
        if !part.is_empty() {
            url.push_str(mark);
            url.push_str(part);
        }
    }
    history
        .replace_state_with_url(&state, "", Some(&url))
        .map_err(failure("history.replaceState"))
}

/// Sends the page to `url`.
pub(crate) fn assign(url: &str) -> Result<(), Error> {
    window()?
        .location()
        .assign(url)
        .map_err(failure("location.assign"))
}
