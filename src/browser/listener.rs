//! Event listeners that are removed when dropped.

use alloc::boxed::Box;
use alloc::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::EventTarget;

use crate::browser::json::{call2, member};
use crate::browser::{document, global, Callback};

/// A listener on an event target, removed on drop.
#[must_use = "the listener is removed as soon as this is dropped"]
pub(crate) struct EventListener {
    target: EventTarget,
    event: &'static str,
    callback: Callback,
}

impl core::fmt::Debug for EventListener {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EventListener")
            .field("event", &self.event)
            .finish_non_exhaustive()
    }
}

impl EventListener {
    /// Listens for `event` on `target`. `addEventListener` throws only when called on something
    /// else than an event target or with a callback that is not an object, and this always passes
    /// a function to an event target: its result is not looked at, so that no listener's caller
    /// has a failure to handle (wasm size).
    pub(crate) fn new(
        target: &EventTarget,
        event: &'static str,
        mut f: impl FnMut(JsValue) + 'static,
    ) -> Self {
        let f = move |event| {
            f(event);
            JsValue::UNDEFINED
        };
        EventListener::boxed(target, event, Box::new(f))
    }

    /// [`EventListener::new`] with the callback's type erased, so that its body and
    /// wasm-bindgen's closure shims are compiled once for every listener; and of the type of the
    /// timers' and the lock's callbacks (an argument and a result), so that the shims are theirs.
    /// `addEventListener` and `removeEventListener` are called through `json::call2`, with no
    /// bindings of their own (wasm size).
    fn boxed(
        target: &EventTarget,
        event: &'static str,
        f: Box<dyn FnMut(JsValue) -> JsValue>,
    ) -> Self {
        let callback = Closure::wrap(f);
        let _ = call2(target, "addEventListener", &event.into(), callback.as_ref());
        EventListener {
            target: target.clone(),
            event,
            callback,
        }
    }
}

impl Drop for EventListener {
    fn drop(&mut self) {
        let _ = call2(
            &self.target,
            "removeEventListener",
            &self.event.into(),
            self.callback.as_ref(),
        );
    }
}

/// What brought the page back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wake {
    /// The page became visible again (a background tab, a laptop waking up), or was shown
    /// (`pageshow`: back from the back/forward cache, where it was frozen).
    Visible,
    /// The browser went back online.
    Online,
}

/// Listens for the moments when timers that a background tab or a sleeping device held back
/// deserve a look again: the document becoming visible, the page shown (restored from the
/// back/forward cache), the network coming back. Removed on drop. A `pageshow` is
/// [`Wake::Visible`] whenever the page is visible, whether it was restored or first shown: the
/// caller looks at the clock itself, so a look at a moment that was not a return finds nothing
/// due, and no test of `persisted` is compiled here (wasm size).
#[must_use = "the listeners are removed as soon as this is dropped"]
#[derive(Debug)]
pub(crate) struct WakeListener {
    _visible: EventListener,
    _shown: EventListener,
    _online: EventListener,
}

impl WakeListener {
    /// Calls `on_wake` on each of those moments; `None` outside a page, where the caller goes
    /// on without them: no error is described only to be dropped (wasm size).
    pub(crate) fn new(on_wake: impl Fn(Wake) + 'static) -> Option<WakeListener> {
        // A page's document found, the global object is the page's window: taken as it is, with
        // no second check (wasm size).
        let document = document().ok()?;
        let window: EventTarget = global().unchecked_into();
        let on_wake = Rc::new(on_wake);
        // One kind of listener for the three events: one closure compiled, not three (wasm
        // size).
        // Each told by the moment it stands for, not by comparing the event's name (wasm size);
        // a `Visible` one only while the document is visible.
        let listen = |target: &EventTarget, event: &'static str, wake: Wake| {
            let (on_wake, document) = (on_wake.clone(), document.clone());
            EventListener::new(target, event, move |_| {
                if wake == Wake::Online || !member(&document, "hidden").is_truthy() {
                    on_wake(wake);
                }
            })
        };
        Some(WakeListener {
            _visible: listen(&document, "visibilitychange", Wake::Visible),
            _shown: listen(&window, "pageshow", Wake::Visible),
            _online: listen(&window, "online", Wake::Online),
        })
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    #[wasm_bindgen_test]
    fn a_listener_stops_hearing_once_dropped() {
        let window = web_sys::window().unwrap();
        let heard = Rc::new(Cell::new(0));
        let counter = heard.clone();
        let listener = EventListener::new(&window.clone().into(), "spa-auth-test", move |_| {
            counter.set(counter.get() + 1)
        });
        let event = web_sys::Event::new("spa-auth-test").unwrap();
        window.dispatch_event(&event).unwrap();
        drop(listener);
        window.dispatch_event(&event).unwrap();
        assert_eq!(heard.get(), 1);
    }

    #[wasm_bindgen_test]
    fn wake_hears_visibility_bfcache_and_online_until_dropped() {
        let window = web_sys::window().unwrap();
        let document = window.document().unwrap();
        let heard = Rc::new(std::cell::RefCell::new(Vec::new()));
        let log = heard.clone();
        let wake = WakeListener::new(move |w| log.borrow_mut().push(w)).unwrap();
        let fire = |target: &EventTarget, name: &str| {
            target
                .dispatch_event(&web_sys::Event::new(name).unwrap())
                .unwrap();
        };
        fire(&document, "visibilitychange");
        fire(&window, "online");
        fire(&window, "pageshow");
        drop(wake);
        fire(&document, "visibilitychange");
        fire(&window, "online");
        fire(&window, "pageshow");
        let visible_then_online = if document.hidden() {
            vec![Wake::Online]
        } else {
            vec![Wake::Visible, Wake::Online, Wake::Visible]
        };
        assert_eq!(*heard.borrow(), visible_then_online);
    }
}
