//! A thin layer over the browser's APIs (through web-sys): storage, hidden frames, event
//! listeners, WebCrypto, fetch, the address bar, a `BroadcastChannel` and Web Locks, plus the one
//! place where JS values become the core's types ([`decode`]). Every resource it creates is released when its Rust owner is
//! dropped. It knows nothing of the flows: what to store, where to navigate and which message
//! to trust are decided above it. It reaches crypto and fetch through the global object, so the
//! same code runs in Node.

pub(crate) mod broadcast;
pub(crate) mod crypto;
pub(crate) mod decode;
pub(crate) mod fetch;
pub(crate) mod frame;
pub(crate) mod json;
pub(crate) mod listener;
pub(crate) mod location;
pub(crate) mod lock;
pub(crate) mod storage;
pub(crate) mod task;
pub(crate) mod timer;

use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::String;
use core::cell::Cell;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use js_sys::{Array, Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::core::error::Error;
use crate::core::text::concat;

// The layer's bindings of its own here (imports, as web-sys's are; the façade alone exports).
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL_THIS: js_sys::Object;

    /// A Promise as its constructor makes it, bound for that constructor only ([`deferred`]).
    #[wasm_bindgen(js_name = Promise)]
    type NewPromise;

    /// `new Promise(executor)`, which throws only for an executor that is not a function, or
    /// that throws: [`deferred`]'s does neither.
    #[wasm_bindgen(constructor, js_class = "Promise")]
    fn new(executor: &Function) -> NewPromise;

    /// `promise.then(fulfilled, rejected)`, as `Promise.prototype.then.call`. It throws only for
    /// a `promise` that is not one.
    #[wasm_bindgen(catch, js_namespace = ["Promise", "prototype", "then"], js_name = call)]
    pub(crate) fn then(
        promise: &JsValue,
        fulfilled: &JsValue,
        rejected: &JsValue,
    ) -> Result<JsValue, JsValue>;
}

/// The global object: the page's window, a worker's scope or Node's global. `globalThis` read
/// once, instead of js-sys's `global()`, which looks for `globalThis`, `self`, `window` and
/// `global` in turn and caches what it found (−285 B gzip): every browser that can run the package
/// (it needs `AbortSignal.timeout`) has `globalThis`.
pub(crate) fn global() -> js_sys::Object {
    GLOBAL_THIS.with(Clone::clone)
}

/// The current time in ms since the epoch.
pub(crate) fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Whether the page is cross-origin isolated (COOP and COEP), where a frame of another origin
/// loads only if it opts in. False outside a browser.
pub(crate) fn cross_origin_isolated() -> bool {
    json::member(&global(), "crossOriginIsolated").is_truthy()
}

/// The page's window; an error outside a browser page.
pub(crate) fn window() -> Result<web_sys::Window, Error> {
    // A page's global object is its window, which names itself `window` (a worker's and Node's
    // do not): compared in place, with no `instanceof Window` import (wasm size).
    let global = global();
    if json::member(&global, "window") != *global {
        return Err(Error::Browser("this needs a browser window".into()));
    }
    Ok(global.unchecked_into())
}

/// The page's document; an error outside a page. Read as a member, as `body` and `hidden` are:
/// no imports of their own (wasm size). Not checked: every window has its document (HTML's
/// `Window.document` is never null), so the window's check is the one needed.
pub(crate) fn document() -> Result<web_sys::Document, Error> {
    Ok(json::member(&window()?.into(), "document").unchecked_into())
}

/// What failed, and the JS error's message: only the message is kept, which never holds a token.
/// Read as a member, as every error the browser throws has it (a `DOMException`, a `TypeError`),
/// without an `instanceof Error` test and a binding of its own (wasm size).
pub(crate) fn failed(what: &str, value: &JsValue) -> String {
    let detail = json::string(value, "message").unwrap_or_default();
    concat(&[what, " failed: ", &detail])
}

/// A browser failure as an [`Error::Browser`], naming what was attempted.
pub(crate) fn failure(what: &str) -> impl Fn(JsValue) -> Error + '_ {
    move |value| Error::Browser(failed(what, &value))
}

/// A new Promise with its `resolve` and `reject` functions (what `Promise.withResolvers()` gives,
/// which browsers before 2024 lack): `sleep`, the lock, the silent answer and the façade's
/// Promises settle theirs from outside. The executor is an array's own `push`, bound to it: called
/// at once with both functions, it keeps them in the array, with no closure of Rust's, whose type
/// would bring shims and glue of its own (wasm size).
pub(crate) fn deferred() -> (Promise, Function, Function) {
    // `[undefined]`, made by `Array.of`, whose binding the layer already has, rather than by
    // `new Array` (wasm size): the executor pushes `resolve` and `reject` after it.
    let ends = Array::of1(&JsValue::UNDEFINED);
    let push: Function = json::member(&ends, "push").unchecked_into();
    let executor = push.bind0(&ends);
    let promise = NewPromise::new(&executor);
    let (resolve, reject) = (ends.get_unchecked(1), ends.get_unchecked(2));
    (
        promise.unchecked_into(),
        resolve.unchecked_into(),
        reject.unchecked_into(),
    )
}

/// The callback type of every closure the layer hands to JS (listeners, timers, the lock,
/// [`promised`]): one argument, one result, so that wasm-bindgen's shims are compiled once for
/// all of them (wasm size).
pub(crate) type Callback = Closure<dyn FnMut(JsValue) -> JsValue>;

/// A Promise awaited from Rust: its value, or its rejection as `Err`. In place of
/// wasm-bindgen-futures' `JsFuture`, whose callbacks are closures of a type of their own (their
/// shims and a once-only wrapper each): these are of the layer's one [`Callback`] type (wasm size).
pub(crate) struct Promised(Rc<Settlement>);

impl core::fmt::Debug for Promised {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Promised")
    }
}

/// What a [`Promised`] shares with the Promise's two callbacks.
struct Settlement {
    outcome: Cell<Option<Result<JsValue, JsValue>>>,
    waker: Cell<Option<Waker>>,
    /// Kept until the Promise settles, whether or not anyone still waits: the first call drops
    /// both (wasm-bindgen frees the running one once it returns), which ends the cycle between
    /// them and this.
    callbacks: Cell<Option<(Callback, Callback)>>,
}

/// A settlement with `outcome` already in it, or none yet.
fn settlement(outcome: Option<Result<JsValue, JsValue>>) -> Rc<Settlement> {
    Rc::new(Settlement {
        outcome: Cell::new(outcome),
        waker: Cell::new(None),
        callbacks: Cell::new(None),
    })
}

/// Awaits the promise a call returned, or gives at once what the call threw as `Err`: the caller
/// awaits one path for both failures, with no rejected Promise made (and no `Promise.reject`
/// binding) for a throw (wasm size).
pub(crate) fn promised_or_thrown(call: Result<Promise, JsValue>) -> Promised {
    match call {
        Ok(promise) => promised(&promise),
        Err(thrown) => Promised(settlement(Some(Err(thrown)))),
    }
}

/// Awaits `promise` (see [`Promised`]).
pub(crate) fn promised(promise: &Promise) -> Promised {
    let settlement = settlement(None);
    let callback = |fulfilled: bool| {
        let settlement = settlement.clone();
        Closure::wrap(Box::new(move |value| {
            settlement
                .outcome
                .set(Some(if fulfilled { Ok(value) } else { Err(value) }));
            drop(settlement.callbacks.take());
            if let Some(waker) = settlement.waker.take() {
                waker.wake();
            }
            JsValue::UNDEFINED
        }) as Box<dyn FnMut(JsValue) -> JsValue>)
    };
    let (fulfilled, rejected) = (callback(true), callback(false));
    let _ = then(promise, fulfilled.as_ref(), rejected.as_ref());
    settlement.callbacks.set(Some((fulfilled, rejected)));
    Promised(settlement)
}

impl Future for Promised {
    type Output = Result<JsValue, JsValue>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.0.outcome.take() {
            Some(outcome) => Poll::Ready(outcome),
            None => {
                self.0.waker.set(Some(cx.waker().clone()));
                Poll::Pending
            }
        }
    }
}

/// A browser promise being awaited (WebCrypto's, [`crypto::settle`], and `fetch`'s,
/// [`fetch::send`]): its value, or its rejection (or what the call threw) as an
/// [`Error::Browser`] naming what was attempted. One plain future for both, with no wrapper of
/// its own per output type (wasm size).
pub(crate) struct Settle {
    pending: Promised,
    what: &'static str,
}

impl Settle {
    pub(crate) fn new(pending: Promised, what: &'static str) -> Settle {
        Settle { pending, what }
    }
}

impl Future for Settle {
    type Output = Result<JsValue, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let what = self.what;
        Pin::new(&mut self.pending).poll(cx).map_err(failure(what))
    }
}
