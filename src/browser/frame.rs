//! The hidden iframe of silent authentication, removed from the page when dropped.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlIFrameElement;

use crate::browser::document;
use crate::browser::json::{call, call2, member, set};
use crate::browser::listener::EventListener;
use crate::core::error::Error;
use crate::core::text::{cut, pieces};

/// The iframe's attributes, `name=value` a line: invisible, out of the tab order, hidden from
/// assistive technology. One text rather than a table of pairs, whose pointers and lengths
/// compress poorly (wasm size).
const ATTRIBUTES: &str = "style=position:absolute;width:0;height:0;border:0;visibility:hidden
tabindex=-1
aria-hidden=true
title=spa-auth silent authentication
data-spa-auth=silent";

/// An invisible iframe, out of the tab order and hidden from assistive technology.
#[must_use = "the iframe is removed as soon as this is dropped"]
#[derive(Debug)]
pub(crate) struct HiddenFrame {
    element: HtmlIFrameElement,
}

impl HiddenFrame {
    /// Adds the iframe to the page, loading `url`.
    pub(crate) fn open(url: &str) -> Result<HiddenFrame, Error> {
        let document = document()?;
        let body = member(&document, "body");
        if !body.is_object() {
            return Err(Error::Browser("the page has no body".into()));
        }
        // The DOM's methods through `json::call`, with no bindings of their own (wasm size).
        // `createElement` and `setAttribute` throw only for a name that is not one, and
        // `appendChild` only for a node that cannot go where it is put: none can happen here, so
        // their results are not looked at (wasm size).
        let element: HtmlIFrameElement = call(&document, "createElement", &"iframe".into())
            .unwrap_or_default()
            .unchecked_into();
        for attribute in pieces(ATTRIBUTES, b'\n') {
            if let Some((name, value)) = cut(attribute, b'=') {
                let _ = call2(&element, "setAttribute", &name.into(), &value.into());
            }
        }
        set(&element, "src", &url.into());
        let _ = call(&body, "appendChild", &element);
        Ok(HiddenFrame { element })
    }

    /// Calls `on_load` each time a document finished loading in the iframe (an error page too:
    /// browsers fire `load` for a frame they refused to show).
    pub(crate) fn on_load(&self, on_load: impl FnMut() + 'static) -> EventListener {
        let mut on_load = on_load;
        EventListener::new(&self.element, "load", move |_| on_load())
    }

    /// Whether a message's `source` is the iframe's window, which a genuine answer must come
    /// from. The window is looked up when a message arrives, not when the iframe is added:
    /// reading `contentWindow` at once cost every silent call ~14 ms.
    pub(crate) fn is_source(&self) -> impl Fn(&JsValue) -> bool + 'static {
        let element = self.element.clone();
        // Read as a member, compared in place: no binding of its own (wasm size). `null` (no
        // window) is no message's source.
        move |source| {
            let window = member(&element, "contentWindow");
            window.is_object() && window == *source
        }
    }
}

impl Drop for HiddenFrame {
    fn drop(&mut self) {
        self.element.remove();
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    fn document() -> web_sys::Document {
        web_sys::window().unwrap().document().unwrap()
    }

    fn frames() -> u32 {
        document()
            .query_selector_all("iframe[data-spa-auth]")
            .unwrap()
            .length()
    }

    #[wasm_bindgen_test]
    fn the_hidden_frame_is_invisible_and_removed_on_drop() {
        let before = frames();
        let frame = HiddenFrame::open("about:blank").unwrap();
        assert_eq!(frames(), before + 1);
        let element = document()
            .query_selector("iframe[data-spa-auth]")
            .unwrap()
            .unwrap();
        assert_eq!(element.get_attribute("tabindex").as_deref(), Some("-1"));
        assert_eq!(
            element.get_attribute("aria-hidden").as_deref(),
            Some("true")
        );
        assert!(element
            .get_attribute("style")
            .unwrap()
            .contains("visibility:hidden"));
        let is_source = frame.is_source();
        let frame_window = element
            .dyn_ref::<HtmlIFrameElement>()
            .and_then(HtmlIFrameElement::content_window)
            .unwrap();
        assert!(is_source(&frame_window.into()));
        assert!(!is_source(&web_sys::window().unwrap().into()));
        drop(frame);
        assert_eq!(frames(), before);
    }

    #[wasm_bindgen_test]
    async fn on_load_hears_the_document_that_loaded() {
        let frame = HiddenFrame::open("data:text/html,<p>no answer</p>").unwrap();
        let mut resolve = None;
        let loaded = js_sys::Promise::new(&mut |ok, _| resolve = Some(ok));
        let resolve = resolve.unwrap();
        let _listener = frame.on_load(move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        });
        crate::browser::promised(&loaded).await.unwrap();
    }
}
