//! The address bar: reading the callback's fragment and query, removing them, navigating.

use alloc::string::String;
use js_sys::Function;
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::json::{member, set_member};
use crate::browser::{failure, window};
use crate::core::error::Error;
use crate::core::text::concat;

/// The page's `location`, read as a member, as its parts are: no glue of its own (wasm size).
fn location() -> Result<JsValue, Error> {
    Ok(member(&window()?.into(), "location"))
}

/// A part of the page's address, `location[name]`, read as a member for all of them, so that no
/// part needs glue of its own (wasm size). Every part is a string; reading one throws only for
/// another origin's `location`, never the page's own.
fn read(name: &str) -> Result<String, Error> {
    Ok(member(&location()?, name).as_string().unwrap_or_default())
}

/// The page's `#fragment`, with its `#`.
pub(crate) fn hash() -> Result<String, Error> {
    read("hash")
}

/// The page's origin.
pub(crate) fn origin() -> Result<String, Error> {
    read("origin")
}

/// The page's `?query`, with its `?`.
pub(crate) fn search() -> Result<String, Error> {
    read("search")
}

/// The page's path.
pub(crate) fn pathname() -> Result<String, Error> {
    read("pathname")
}

/// Replaces the address bar's URL without a reload, keeping the history state: the page's own
/// origin and path, then `query` and `fragment` (each without its `?` or `#`; empty for none).
/// Does nothing outside a page, as [`replace_path`].
pub(crate) fn replace(query: &str, fragment: &str) {
    // Each part's mark, when there is a part: one `concat`, no pushes (wasm size).
    let mark_of = |part: &str, mark| if part.is_empty() { "" } else { mark };
    if let Ok(path) = pathname() {
        replace_path(&concat(&[
            &path,
            mark_of(query, "?"),
            query,
            mark_of(fragment, "#"),
            fragment,
        ]));
    }
}

/// Replaces the address bar's URL with `path` (path, query, fragment; starting with `/`) on the
/// page's origin, without a reload and keeping the history state. The path is written after `/.`,
/// a segment the URL parser drops, so that a path such as `//x` is read as a path and never as
/// another host, as an absolute URL would ensure, without reading the origin (wasm size).
///
/// Does nothing outside a page, or when the browser refuses: every caller goes on either way
/// (the response taken from the address bar is verified all the same), so no error is made
/// only to be dropped (wasm size).
pub(crate) fn replace_path(path: &str) {
    let Ok(window) = window() else {
        return;
    };
    // `history`, its `state` and its `replaceState` read as members, as the address's parts
    // are: no glue of their own (wasm size). Reading them throws only for another origin's
    // window.
    let history = member(&window.into(), "history");
    let state = member(&history, "state");
    let url = concat(&["/.", path]);
    let replace_state: Function = member(&history, "replaceState").unchecked_into();
    let _ = replace_state.call3(&history, &state, &"".into(), &url.into());
}

/// Sends the page to `url`: `location.href = url`, which is `location.assign(url)` with no glue
/// of its own (wasm size).
pub(crate) fn assign(url: &str) -> Result<(), Error> {
    set_member(&location()?, "href", &url.into())
        .map(drop)
        .map_err(failure("location.assign"))
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    /// The page's path and `?query`, without the fragment.
    fn path_and_query() -> Result<String, Error> {
        Ok(concat(&[&pathname()?, &search()?]))
    }

    #[wasm_bindgen_test]
    fn a_path_put_back_stays_on_this_origin_and_keeps_the_history_state() {
        let before = path_and_query().unwrap();
        let history = web_sys::window().unwrap().history().unwrap();
        history
            .replace_state(&wasm_bindgen::JsValue::from_str("app state"), "")
            .unwrap();
        replace_path("//evil.example/orders?id=7");
        assert_eq!(path_and_query().unwrap(), "//evil.example/orders?id=7");
        assert_eq!(
            origin().unwrap(),
            web_sys::window().unwrap().location().origin().unwrap()
        );
        assert_eq!(history.state().unwrap(), "app state");
        replace("a=1", "");
        assert_eq!(path_and_query().unwrap(), "//evil.example/orders?a=1");
        replace_path(&before);
        assert_eq!(path_and_query().unwrap(), before);
    }
}
