//! The address bar: reading the callback fragment, removing it, navigating.

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

/// Removes the fragment from the address bar without a reload, keeping the history state.
pub(crate) fn remove_hash() -> Result<(), Error> {
    let window = window()?;
    let location = window.location();
    let path = location.pathname().map_err(failure("location.pathname"))?;
    let search = location.search().map_err(failure("location.search"))?;
    let history = window.history().map_err(failure("history"))?;
    let state = history.state().unwrap_or(JsValue::NULL);
    history
        .replace_state_with_url(&state, "", Some(&concat(&[&path, &search])))
        .map_err(failure("history.replaceState"))
}

/// Sends the page to `url`.
pub(crate) fn assign(url: &str) -> Result<(), Error> {
    window()?
        .location()
        .assign(url)
        .map_err(failure("location.assign"))
}
