//! Event listeners that are removed when dropped.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventTarget};

use crate::browser::failure;
use crate::core::error::Error;

/// A listener on an event target, removed on drop.
#[must_use = "the listener is removed as soon as this is dropped"]
pub(crate) struct EventListener {
    target: EventTarget,
    event: &'static str,
    callback: Closure<dyn FnMut(Event)>,
}

impl core::fmt::Debug for EventListener {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EventListener")
            .field("event", &self.event)
            .finish_non_exhaustive()
    }
}

impl EventListener {
    /// Listens for `event` on `target`.
    pub(crate) fn new(
        target: &EventTarget,
        event: &'static str,
        f: impl FnMut(Event) + 'static,
    ) -> Result<Self, Error> {
        let callback = Closure::<dyn FnMut(Event)>::new(f);
        target
            .add_event_listener_with_callback(event, callback.as_ref().unchecked_ref())
            .map_err(failure("addEventListener"))?;
        Ok(EventListener {
            target: target.clone(),
            event,
            callback,
        })
    }
}

impl Drop for EventListener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(
            self.event,
            self.callback.as_ref().unchecked_ref(),
        );
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
        })
        .unwrap();
        let event = web_sys::Event::new("spa-auth-test").unwrap();
        window.dispatch_event(&event).unwrap();
        drop(listener);
        window.dispatch_event(&event).unwrap();
        assert_eq!(heard.get(), 1);
    }
}
