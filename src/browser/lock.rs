//! A Web Lock (`navigator.locks.request`), exclusive across the pages of this origin, held until
//! dropped. Bound here: web-sys binds `LockManager` only as an unstable API
//! (`--cfg=web_sys_unstable_apis`).

use alloc::boxed::Box;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use js_sys::Function;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::browser::json::set;
use crate::browser::{deferred, promised, then, Callback, Promised};

// A binding of its own rather than members read and called through `Function.call` (wasm size).
#[wasm_bindgen]
extern "C" {
    /// `navigator.locks.request(name, options, callback)`. It throws where there is no
    /// `navigator.locks` (older browsers, insecure origins other than localhost, Node), which
    /// [`Request::new`] reads as `None`.
    #[wasm_bindgen(catch, js_namespace = ["navigator", "locks"], js_name = request)]
    fn request_lock(name: &str, options: &JsValue, callback: &JsValue) -> Result<JsValue, JsValue>;
}

/// A granted lock; released when dropped. It is made with its request, before the grant: the
/// lock's callback returns the Promise that `release` settles, and is dropped with it, so
/// dropping it before the grant (the request given up) lets the lock go as soon as it comes.
#[must_use = "the lock is released as soon as this is dropped"]
#[derive(Debug)]
pub(crate) struct HeldLock {
    release: Function,
    /// The callback the lock manager calls with the grant, kept as long as the lock is. Once
    /// dropped (a request given up before its grant), calling it throws, and a callback that
    /// throws lets the lock go at once. A closure kept here, not a once-only one handed over to
    /// JS: no once-only wrapper of its own in the wasm (wasm size).
    _on_grant: Callback,
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        // `call1` with an unused argument: the binding the layer already has (wasm size).
        let _ = self.release.call1(&JsValue::UNDEFINED, &JsValue::UNDEFINED);
    }
}

/// A request for an exclusive lock, waiting for its grant: `None` when not granted or refused.
/// Dropping it before the grant gives the lock up as soon as it comes (its [`HeldLock`] is
/// released). A plain future over the request's Promise, its set-up done when it is made (wasm
/// size).
struct Request {
    granted: Promised,
    lock: Option<HeldLock>,
}

impl Request {
    /// Requests the exclusive lock `name`, granted now or never when `if_available`; `None`
    /// where Web Locks are missing or refuse the request at once.
    fn new(name: &str, if_available: bool) -> Option<Request> {
        let (granted, on_grant, refused) = deferred();
        let (held, release, _) = deferred();
        // Called with the lock once it is ours (with `null` when `ifAvailable` found it taken),
        // which settles `granted` with it: the lock is held until the Promise returned settles,
        // that is, until `release` is called (for `null` too, which holds nothing).
        let callback: Box<dyn FnMut(JsValue) -> JsValue> = Box::new(move |lock| {
            let _ = on_grant.call1(&JsValue::UNDEFINED, &lock);
            held.clone().into()
        });
        let lock = HeldLock {
            release,
            _on_grant: Closure::wrap(callback),
        };
        let options = js_sys::Object::new();
        set(&options, "ifAvailable", &if_available.into());
        let asked = request_lock(name, &options, lock._on_grant.as_ref()).ok()?;
        // `asked` rejects when the request is refused, and so does `granted` then:
        // `asked.then(undefined, refused)`. Otherwise `asked` settles only once the callback's
        // Promise does.
        let _ = then(&asked, &JsValue::UNDEFINED, &refused);
        Some(Request {
            granted: promised(&granted),
            lock: Some(lock),
        })
    }
}

impl Future for Request {
    type Output = Option<HeldLock>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<HeldLock>> {
        Pin::new(&mut self.granted).poll(cx).map(|granted| {
            let lock = granted.ok()?;
            lock.is_object().then(|| self.lock.take())?
        })
    }
}

/// The exclusive lock `name`, and whether another holder had it first (then this waited for
/// it); `None` at once where Web Locks are missing or refuse the request. Dropping it before the
/// grant gives the lock up as soon as it comes. A plain future over one request at a time: first
/// one `ifAvailable`, then, when another holder has the lock, one that waits for it (wasm size).
pub(crate) struct Acquire<'a> {
    name: &'a str,
    request: Option<Request>,
    waited: bool,
}

/// Requests the exclusive lock `name` (see [`Acquire`]).
pub(crate) fn acquire(name: &str) -> Acquire<'_> {
    Acquire {
        name,
        request: Request::new(name, true),
        waited: false,
    }
}

impl Future for Acquire<'_> {
    type Output = Option<(HeldLock, bool)>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        loop {
            let Some(request) = self.request.as_mut() else {
                return Poll::Ready(None);
            };
            let Poll::Ready(granted) = Pin::new(request).poll(cx) else {
                return Poll::Pending;
            };
            let waited = self.waited;
            match granted {
                Some(lock) => return Poll::Ready(Some((lock, waited))),
                None if waited => return Poll::Ready(None),
                None => {
                    self.waited = true;
                    self.request = Request::new(self.name, false);
                }
            }
        }
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use std::cell::RefCell;
    use std::future::Future;
    use std::rc::Rc;

    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;
    use crate::browser::task::spawn;
    use crate::browser::timer::sleep;

    /// In a browser (Node has no Web Locks: there `acquire` answers `None` at once).
    #[wasm_bindgen_test]
    async fn one_holder_at_a_time_in_the_order_asked() {
        let Some((first, waited)) = acquire("spa-auth test lock").await else {
            return;
        };
        assert!(!waited);
        let order = Rc::new(RefCell::new(Vec::new()));
        for n in [1, 2] {
            let order = order.clone();
            spawn(Box::pin(async move {
                let held = acquire("spa-auth test lock").await;
                order
                    .borrow_mut()
                    .push((n, held.as_ref().map(|(_, waited)| *waited)));
                let _ = sleep(20).await;
                drop(held);
            }));
        }
        let _ = sleep(50).await;
        assert!(order.borrow().is_empty(), "granted while held");
        drop(first);
        let _ = sleep(100).await;
        assert_eq!(*order.borrow(), vec![(1, Some(true)), (2, Some(true))]);
    }

    #[wasm_bindgen_test]
    async fn a_request_given_up_before_its_grant_does_not_keep_the_lock() {
        let Some((first, _)) = acquire("spa-auth test lock 2").await else {
            return;
        };
        let waiting = Box::pin(acquire("spa-auth test lock 2"));
        let mut waiting = Some(waiting);
        // Poll once so that the request is made, then give it up.
        let _ = core::future::poll_fn(|cx| {
            let _ = waiting.as_mut().unwrap().as_mut().poll(cx);
            core::task::Poll::Ready(())
        })
        .await;
        waiting.take();
        drop(first);
        let _ = sleep(20).await;
        assert!(acquire("spa-auth test lock 2").await.is_some());
    }
}
