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

#[wasm_bindgen_test]
fn when_session_storage_throws_transactions_fall_back_to_memory() {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    let session = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    let refuse = Closure::<dyn Fn(JsValue, JsValue) -> Result<(), JsValue>>::new(|_, _| {
        Err(JsValue::from_str("QuotaExceededError"))
    });
    js_sys::Reflect::set(&session, &"setItem".into(), refuse.as_ref().unchecked_ref()).unwrap();
    let store = TransactionStore::open();
    store.put("spa-auth.tx.m", "state=m");
    js_sys::Reflect::delete_property(&session, &"setItem".into()).unwrap();
    assert_eq!(session.get_item("spa-auth.tx.m").unwrap(), None);
    assert_eq!(store.get("spa-auth.tx.m").as_deref(), Some("state=m"));
    assert!(store.keys().contains(&"spa-auth.tx.m".to_owned()));
    store.remove("spa-auth.tx.m");
    assert_eq!(store.get("spa-auth.tx.m"), None);
}

mod parse_fragment {
    use spa_auth::browser::storage::TransactionStore;
    use spa_auth::client::Client;
    use spa_auth::config::{Config, ConfigOptions, ResponseType};
    use spa_auth::transaction::{storage_key, Transaction};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn client() -> Client {
        Client::new(
            Config::new(&ConfigOptions {
                domain: Some("tenant.auth0.com".into()),
                client_id: Some("abc".into()),
                redirect_uri: Some("https://app.example/cb".into()),
                ..ConfigOptions::default()
            })
            .unwrap(),
        )
    }

    fn stored(state: &str, created_at: f64) -> String {
        let tx = Transaction {
            state: state.into(),
            nonce: "n".into(),
            client_id: "abc".into(),
            response_type: ResponseType::IdTokenToken,
            scope: "openid".into(),
            max_age: None,
            app_state: None,
            created_at,
        };
        TransactionStore::open().put(&storage_key(state), &tx.encode());
        tx.encode()
    }

    async fn code(fragment: &str) -> String {
        client()
            .parse_fragment(fragment)
            .await
            .unwrap_err()
            .code()
            .to_owned()
    }

    #[wasm_bindgen_test]
    async fn an_unknown_state_is_refused_and_touches_no_other_transaction() {
        let other = stored("other", js_sys::Date::now());
        assert_eq!(
            code("#id_token=x&access_token=y&token_type=Bearer&state=unknown").await,
            "invalid_state"
        );
        assert_eq!(
            TransactionStore::open().get(&storage_key("other")),
            Some(other)
        );
        TransactionStore::open().remove(&storage_key("other"));
    }

    #[wasm_bindgen_test]
    async fn an_expired_state_is_refused_and_forgotten() {
        stored("old", js_sys::Date::now() - 31.0 * 60.0 * 1000.0);
        assert_eq!(
            code("#id_token=x&access_token=y&token_type=Bearer&state=old").await,
            "state_expired"
        );
        assert_eq!(TransactionStore::open().get(&storage_key("old")), None);
    }

    #[wasm_bindgen_test]
    async fn a_response_of_the_wrong_shape_consumes_nothing() {
        let kept = stored("shape", js_sys::Date::now());
        assert_eq!(
            code("#id_token=x&state=shape").await,
            "invalid_response",
            "no access token"
        );
        assert_eq!(
            code("#id_token=x&access_token=y&token_type=Bearer&state=shape&state=shape").await,
            "invalid_response"
        );
        assert_eq!(
            TransactionStore::open().get(&storage_key("shape")),
            Some(kept)
        );
        TransactionStore::open().remove(&storage_key("shape"));
    }

    #[wasm_bindgen_test]
    async fn a_provider_error_consumes_its_transaction_and_keeps_the_state() {
        stored("denied", js_sys::Date::now());
        let error = client()
            .parse_fragment("#error=access_denied&error_description=No&state=denied")
            .await
            .unwrap_err();
        assert_eq!(
            (error.code(), error.description().as_str(), error.state()),
            ("access_denied", "No", Some("denied"))
        );
        assert_eq!(TransactionStore::open().get(&storage_key("denied")), None);
    }

    #[wasm_bindgen_test]
    async fn a_mixed_up_issuer_is_refused_before_the_state_is_used() {
        let kept = stored("mixup", js_sys::Date::now());
        let fragment = "#id_token=x&access_token=y&token_type=Bearer&state=mixup&iss=https%3A%2F%2Fevil.example%2F";
        assert_eq!(code(fragment).await, "invalid_response");
        assert_eq!(
            TransactionStore::open().get(&storage_key("mixup")),
            Some(kept)
        );
        TransactionStore::open().remove(&storage_key("mixup"));
    }
}
