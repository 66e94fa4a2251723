//! The hidden iframe of silent authentication, removed from the page when dropped.

use wasm_bindgen::JsCast;
use web_sys::{HtmlIFrameElement, Window};

use crate::browser::{failure, window};
use crate::error::Error;

/// An invisible iframe, out of the tab order and hidden from assistive technology.
#[must_use = "the iframe is removed as soon as this is dropped"]
#[derive(Debug)]
pub struct HiddenFrame {
    element: HtmlIFrameElement,
}

impl HiddenFrame {
    /// Adds the iframe to the page, loading `url`.
    pub fn open(url: &str) -> Result<HiddenFrame, Error> {
        let document = window()?
            .document()
            .ok_or_else(|| Error::Browser("the page has no document".into()))?;
        let body = document
            .body()
            .ok_or_else(|| Error::Browser("the page has no body".into()))?;
        let element: HtmlIFrameElement = document
            .create_element("iframe")
            .map_err(failure("createElement"))?
            .unchecked_into();
        for (name, value) in [
            (
                "style",
                "position:absolute;width:0;height:0;border:0;visibility:hidden",
            ),
            ("tabindex", "-1"),
            ("aria-hidden", "true"),
            ("title", "spa-auth silent authentication"),
            ("data-spa-auth", "silent"),
        ] {
            element
                .set_attribute(name, value)
                .map_err(failure("setAttribute"))?;
        }
        element.set_src(url);
        body.append_child(&element)
            .map_err(failure("appendChild"))?;
        Ok(HiddenFrame { element })
    }

    /// The iframe's window, which a genuine answer must come from.
    pub fn content_window(&self) -> Option<Window> {
        self.element.content_window()
    }
}

impl Drop for HiddenFrame {
    fn drop(&mut self) {
        self.element.remove();
    }
}
