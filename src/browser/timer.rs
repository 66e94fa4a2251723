//! `setTimeout` on the global object (window, worker or Node), cleared when dropped. In place of
//! gloo-timers, which needs `std`: the npm build is `no_std` (see `lib.rs`).

use alloc::boxed::Box;

use js_sys::Function;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::global;
use crate::browser::json::{call, call2};
use crate::browser::{deferred, promised, Callback, Promised};

/// A callback due after a delay; dropping this before then cancels it.
#[must_use = "the timeout is cleared as soon as this is dropped"]
#[derive(Debug)]
pub(crate) struct Timeout {
    /// What `setTimeout` returned (a number in a browser, an object in Node).
    id: JsValue,
    /// The Rust callback, kept as long as it may be called; `None` for a JS function's.
    _callback: Option<Callback>,
}

/// `setTimeout(callback, ms)` on the global object (window, worker or Node), its id; called
/// through `json::call2`, as `clearTimeout` through `json::call`, with no bindings of their own
/// (wasm size). `setTimeout` never throws for a function and a number: `undefined` stands for
/// the id it would not give, which clears nothing.
fn set(ms: u32, callback: &Function) -> JsValue {
    // Browsers run a delay past `i32::MAX` ms at once: clamped to it.
    let ms = ms.min(i32::MAX as u32);
    call2(&global(), "setTimeout", callback, &ms.into()).unwrap_or_default()
}

impl Timeout {
    /// Calls `callback` once, `ms` milliseconds from now. An `FnMut`, though the timer calls it
    /// once, so that no once-only wrapper is compiled around it; and of the layer's one callback
    /// type (one argument, one result, both unused here), so that wasm-bindgen's shims are those
    /// of the other callbacks (wasm size). One function, not a generic front and a boxed body:
    /// the session's renewal is the one Rust callback a timer calls (wasm size).
    pub(crate) fn new(ms: u32, mut callback: impl FnMut() + 'static) -> Timeout {
        let callback: Box<dyn FnMut(JsValue) -> JsValue> = Box::new(move |_| {
            callback();
            JsValue::UNDEFINED
        });
        let callback = Closure::wrap(callback);
        Timeout {
            id: set(ms, callback.as_ref().unchecked_ref()),
            _callback: Some(callback),
        }
    }

    /// Calls the JS function `callback` (with no arguments) once, `ms` milliseconds from now:
    /// no Rust closure to make and keep.
    pub(crate) fn calling(ms: u32, callback: &Function) -> Timeout {
        Timeout {
            id: set(ms, callback),
            _callback: None,
        }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        let _ = call(&global(), "clearTimeout", &self.id);
    }
}

/// A future that completes `ms` milliseconds from now (no callback to keep: the timer resolves
/// a Promise, which does nothing once nobody waits for it). Its output, always `Ok`, can be
/// ignored. The Promise's own future, not an async fn around it (wasm size).
pub(crate) fn sleep(ms: u32) -> Promised {
    let (wait, resolve, _) = deferred();
    set(ms, &resolve);
    promised(&wait)
}
