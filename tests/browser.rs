//! The browser layer in headless Chromium: resources are released on drop, transactions are
//! stored per state and never hold tokens.

use std::cell::Cell;
use std::rc::Rc;

use spa_auth::browser::frame::HiddenFrame;
use spa_auth::browser::listener::EventListener;
use spa_auth::browser::storage::TransactionStore;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

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
    assert!(frame.content_window().is_some());
    drop(frame);
    assert_eq!(frames(), before);
}

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

#[wasm_bindgen_test]
fn transactions_go_to_session_storage_under_one_key_per_state() {
    let store = TransactionStore::open();
    store.put("spa-auth.tx.a", "state=a");
    store.put("spa-auth.tx.b", "state=b");
    let session = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    assert_eq!(
        session.get_item("spa-auth.tx.a").unwrap().as_deref(),
        Some("state=a")
    );
    let mut keys = store.keys();
    keys.sort();
    assert_eq!(keys, ["spa-auth.tx.a", "spa-auth.tx.b"]);
    store.remove("spa-auth.tx.a");
    assert_eq!(store.get("spa-auth.tx.a"), None);
    assert_eq!(store.get("spa-auth.tx.b").as_deref(), Some("state=b"));
    store.remove("spa-auth.tx.b");
}
