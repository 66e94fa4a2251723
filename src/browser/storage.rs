//! `sessionStorage` under one key prefix (per tab, gone with it), falling back to memory when the
//! browser refuses storage (private modes, sandboxed frames, quota, Node).

use std::cell::RefCell;

use web_sys::Storage;

use crate::core::text::concat;

thread_local! {
    static MEMORY: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

/// The entries of `sessionStorage` whose keys start with one prefix, with a memory fallback.
#[derive(Debug)]
pub(crate) struct SessionStore {
    prefix: &'static str,
    session: Option<Storage>,
}

impl SessionStore {
    /// Opens `sessionStorage`, or memory when it cannot be had.
    pub(crate) fn open(prefix: &'static str) -> SessionStore {
        let session = web_sys::window().and_then(|w| w.session_storage().ok().flatten());
        SessionStore { prefix, session }
    }

    fn key(&self, name: &str) -> String {
        concat(&[self.prefix, name])
    }

    /// Stores `value` under `name`.
    pub(crate) fn put(&self, name: &str, value: &str) {
        let key = self.key(name);
        let stored = self
            .session
            .as_ref()
            .is_some_and(|s| s.set_item(&key, value).is_ok());
        if !stored {
            MEMORY.with(|m| {
                let mut m = m.borrow_mut();
                m.retain(|(k, _)| *k != key);
                m.push((key, value.into()));
            });
        }
    }

    /// The value under `name`.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        let key = self.key(name);
        let stored = self
            .session
            .as_ref()
            .and_then(|s| s.get_item(&key).ok().flatten());
        stored.or_else(|| {
            MEMORY.with(|m| {
                m.borrow()
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.clone())
            })
        })
    }

    /// Removes `name`.
    pub(crate) fn remove(&self, name: &str) {
        let key = self.key(name);
        if let Some(s) = &self.session {
            let _ = s.remove_item(&key);
        }
        MEMORY.with(|m| m.borrow_mut().retain(|(k, _)| *k != key));
    }

    /// The names stored under the prefix.
    pub(crate) fn names(&self) -> Vec<String> {
        let mut keys: Vec<String> =
            MEMORY.with(|m| m.borrow().iter().map(|(k, _)| k.clone()).collect());
        if let Some(s) = &self.session {
            let len = s.length().unwrap_or(0);
            keys.extend((0..len).filter_map(|i| s.key(i).ok().flatten()));
        }
        keys.into_iter()
            .filter_map(|k| k.strip_prefix(self.prefix).map(str::to_owned))
            .collect()
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    #[wasm_bindgen_test]
    fn transactions_go_to_session_storage_under_one_key_per_state() {
        let store = SessionStore::open("spa-auth.tx.");
        store.put("a", "state=a");
        store.put("b", "state=b");
        let session = web_sys::window()
            .unwrap()
            .session_storage()
            .unwrap()
            .unwrap();
        assert_eq!(
            session.get_item("spa-auth.tx.a").unwrap().as_deref(),
            Some("state=a")
        );
        let mut names = store.names();
        names.sort();
        assert_eq!(names, ["a", "b"]);
        store.remove("a");
        assert_eq!(store.get("a"), None);
        assert_eq!(store.get("b").as_deref(), Some("state=b"));
        store.remove("b");
    }

    #[wasm_bindgen_test]
    fn when_session_storage_throws_transactions_fall_back_to_memory() {
        let session = web_sys::window()
            .unwrap()
            .session_storage()
            .unwrap()
            .unwrap();
        let refuse = Closure::<dyn Fn(JsValue, JsValue) -> Result<(), JsValue>>::new(|_, _| {
            Err(JsValue::from_str("QuotaExceededError"))
        });
        // On Storage.prototype: assigning to the instance stores an item named "setItem" in
        // Firefox (Storage's named-property setter, per WebIDL) instead of shadowing the method.
        let proto = js_sys::Object::get_prototype_of(&session);
        let set_item = js_sys::Reflect::get(&proto, &"setItem".into()).unwrap();
        js_sys::Reflect::set(&proto, &"setItem".into(), refuse.as_ref().unchecked_ref()).unwrap();
        let store = SessionStore::open("spa-auth.tx.");
        store.put("m", "state=m");
        js_sys::Reflect::set(&proto, &"setItem".into(), &set_item).unwrap();
        assert_eq!(session.get_item("spa-auth.tx.m").unwrap(), None);
        assert_eq!(store.get("m").as_deref(), Some("state=m"));
        assert!(store.names().contains(&"m".to_owned()));
        store.remove("m");
        assert_eq!(store.get("m"), None);
    }
}
