//! A `BroadcastChannel`: text messages to and from the other pages of this origin that opened
//! the same name. Closed when dropped.

use alloc::boxed::Box;
use alloc::string::String;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;
use web_sys::BroadcastChannel;

use crate::browser::json::{call, member, set};
use crate::browser::Callback;

/// An open channel, which hears the messages of the other pages; closed on drop.
#[must_use = "the channel is closed as soon as this is dropped"]
#[derive(Debug)]
pub(crate) struct Channel {
    channel: BroadcastChannel,
    /// The channel's `onmessage`, kept as long as the channel is open.
    _on_message: Callback,
}

impl Channel {
    /// Opens the channel `name` and calls `on_message` with each text message another page posts
    /// on it; anything but text is ignored. `None` where the browser has no `BroadcastChannel`:
    /// the caller goes on without one, so no error is described only to be dropped (wasm size).
    ///
    /// Heard through the channel's own `onmessage`, not an event listener to remove: the channel
    /// is this code's alone, and a closed channel delivers nothing more (a message queued before
    /// `close()` is dropped by the browser), so closing it is all the clean-up (wasm size).
    pub(crate) fn open(name: &str, on_message: impl Fn(String) + 'static) -> Option<Channel> {
        let channel = BroadcastChannel::new(name).ok()?;
        let heard: Box<dyn FnMut(JsValue) -> JsValue> = Box::new(move |event| {
            if let Some(text) = member(&event, "data").as_string() {
                on_message(text);
            }
            JsValue::UNDEFINED
        });
        let heard = Closure::wrap(heard);
        set(&channel, "onmessage", heard.as_ref());
        Some(Channel {
            channel,
            _on_message: heard,
        })
    }

    /// Posts `text` to the other pages on the channel (never to this one); through `json::call`,
    /// with no binding of its own (wasm size).
    pub(crate) fn post(&self, text: &str) {
        let _ = call(&self.channel, "postMessage", &text.into());
    }
}

impl Drop for Channel {
    /// Closes the channel, which delivers no message after it: the callback can go with it.
    fn drop(&mut self) {
        self.channel.close();
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;
    use crate::browser::timer::sleep;

    #[wasm_bindgen_test]
    async fn another_channel_of_the_name_hears_text_until_closed() {
        let heard = Rc::new(RefCell::new(Vec::new()));
        let log = heard.clone();
        let listening = Channel::open("spa-auth test", move |t| log.borrow_mut().push(t)).unwrap();
        let speaking = Channel::open("spa-auth test", |_| {}).unwrap();
        let other = Channel::open("spa-auth other", |_| {}).unwrap();
        speaking.post("one");
        other.post("not on this channel");
        let _ = sleep(50).await;
        drop(listening);
        speaking.post("two");
        let _ = sleep(50).await;
        assert_eq!(*heard.borrow(), vec![String::from("one")]);
    }
}
