//! `setTimeout` on the global object (window, worker or Node), cleared when dropped. In place of
//! gloo-timers, which needs `std`: the npm build is `no_std` (see `lib.rs`).

use alloc::boxed::Box;

use js_sys::Function;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Window;

use crate::browser::{deferred, promised, Promised};

/// A callback due after a delay; dropping this before then cancels it.
#[must_use = "the timeout is cleared as soon as this is dropped"]
#[derive(Debug)]
pub(crate) struct Timeout {
    id: i32,
    /// The Rust callback, kept as long as it may be called; `None` for a JS function's.
    _callback: Option<Closure<dyn FnMut(JsValue) -> JsValue>>,
}

/// The global object, called through `Window`'s bindings, which reach `setTimeout` and
/// `clearTimeout` as members of whatever the global object is.
fn global() -> Window {
    js_sys::global().unchecked_into()
}

/// `setTimeout(callback, ms)`, its id. setTimeout throws for no delay and no callback; id 0 is
/// never a timer's.
fn set(ms: u32, callback: &Function) -> i32 {
    global()
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            callback,
            ms.min(i32::MAX as u32) as i32,
        )
        .unwrap_or(0)
}

impl Timeout {
    /// Calls `callback` once, `ms` milliseconds from now.
    pub(crate) fn new(ms: u32, mut callback: impl FnMut() + 'static) -> Timeout {
        Timeout::boxed(
            ms,
            Box::new(move |_| {
                callback();
                JsValue::UNDEFINED
            }),
        )
    }

    /// [`Timeout::new`] with the callback's type erased, so that wasm-bindgen's closure shims
    /// are compiled once for every timer; an `FnMut`, though the timer calls it once, so that no
    /// once-only wrapper is compiled around it; and of the lock's type (one argument, one result,
    /// both unused here), so that the shims are those of the lock's callback (wasm size).
    fn boxed(ms: u32, callback: Box<dyn FnMut(JsValue) -> JsValue>) -> Timeout {
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
        global().clear_timeout_with_handle(self.id);
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
