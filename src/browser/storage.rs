//! `sessionStorage` under one key prefix (per tab, gone with it). There is no fallback to memory:
//! what is stored here must survive a redirect, and memory does not, so a refusal (private
//! modes, sandboxed frames, a full quota) is an error the caller sees before it navigates.

use alloc::string::String;
use wasm_bindgen::JsValue;

use crate::browser::failed;
use crate::browser::global;
use crate::browser::json::{call, call2, member};
use crate::core::error::Error;
use crate::core::text::concat;

/// The entries of `sessionStorage` whose keys start with one prefix. Its methods are called
/// through [`call`], with no binding of their own (wasm size): one that throws reads as a missing
/// value, except when storing.
#[derive(Debug)]
pub(crate) struct SessionStore {
    prefix: &'static str,
    /// The `Storage` object; `undefined` where there is none.
    session: JsValue,
}

impl SessionStore {
    /// Opens the global object's `sessionStorage` (reading it throws where the browser refuses
    /// storage; in Node there is none).
    pub(crate) fn open(prefix: &'static str) -> SessionStore {
        SessionStore {
            prefix,
            // `undefined` when reading it throws, as `json::member` reads.
            session: member(&global(), "sessionStorage"),
        }
    }

    fn key(&self, name: &str) -> JsValue {
        concat(&[self.prefix, name]).into()
    }

    /// Stores `value` under `name`; `storage_unavailable` when the browser refuses.
    pub(crate) fn put(&self, name: &str, value: &str) -> Result<(), Error> {
        if !self.session.is_object() {
            return Err(Error::StorageUnavailable("no sessionStorage".into()));
        }
        match call2(&self.session, "setItem", &self.key(name), &value.into()) {
            Ok(_) => Ok(()),
            Err(e) => Err(Error::StorageUnavailable(failed(
                "sessionStorage.setItem",
                &e,
            ))),
        }
    }

    /// The value under `name`.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        call(&self.session, "getItem", &self.key(name))
            .ok()?
            .as_string()
    }

    /// Removes `name`.
    pub(crate) fn remove(&self, name: &str) {
        let _ = call(&self.session, "removeItem", &self.key(name));
    }

    /// Removes the entries under the prefix whose value `stale` judges so, or that read as no
    /// text, each read and removed by the key as the browser gave it: no list of names copied
    /// out, no prefix put back (wasm size). From the last index down, so that a removal moves no
    /// key still to read where the browser keeps its keys in order (Chromium's sorted map). HTML
    /// lets a browser reorder them once their number changes: then an entry may be read twice or
    /// left for the next sweep, never removed unless its own value was judged stale.
    pub(crate) fn remove_where(&self, stale: impl Fn(&str) -> bool) {
        let mut i = member(&self.session, "length").as_f64().unwrap_or(0.0);
        while i > 0.0 {
            i -= 1.0;
            let Ok(key) = call(&self.session, "key", &i.into()) else {
                continue;
            };
            if key.as_string().is_some_and(|k| k.starts_with(self.prefix)) {
                let value = call(&self.session, "getItem", &key).ok();
                if value.and_then(|v| v.as_string()).is_none_or(|v| stale(&v)) {
                    let _ = call(&self.session, "removeItem", &key);
                }
            }
        }
    }
}

/// Gives Node, which has no `sessionStorage`, one kept in memory, so that the flows' wasm tests
/// run there as in a browser.
#[cfg(all(test, target_arch = "wasm32"))]
pub(crate) fn ensure_session_storage() {
    use js_sys::Reflect;
    use wasm_bindgen::JsValue;

    let global = global();
    if Reflect::has(&global, &"sessionStorage".into()).unwrap_or(false) {
        return;
    }
    let memory = js_sys::Function::new_no_args(
        "const m = new Map(); return { getItem: (k) => m.has(k) ? m.get(k) : null, \
         setItem: (k, v) => { m.set(k, String(v)); }, removeItem: (k) => { m.delete(k); }, \
         key: (i) => [...m.keys()][i] ?? null, get length() { return m.size; } };",
    )
    .call0(&JsValue::UNDEFINED)
    .unwrap();
    Reflect::set(&global, &"sessionStorage".into(), &memory).unwrap();
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use js_sys::Reflect;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_test::wasm_bindgen_test;
    use web_sys::Storage;

    use super::*;

    fn session() -> Storage {
        web_sys::window()
            .unwrap()
            .session_storage()
            .unwrap()
            .unwrap()
    }

    #[wasm_bindgen_test]
    fn transactions_go_to_session_storage_under_one_key_per_state() {
        let store = SessionStore::open("spa-auth.tx.");
        store.put("a", "state=a").unwrap();
        store.put("b", "state=b").unwrap();
        assert_eq!(
            session().get_item("spa-auth.tx.a").unwrap().as_deref(),
            Some("state=a")
        );
        session().set_item("spa-auth.other", "state=a").unwrap();
        store.remove_where(|value| value == "state=a");
        assert_eq!(store.get("a"), None);
        assert_eq!(store.get("b").as_deref(), Some("state=b"));
        assert_eq!(
            session().get_item("spa-auth.other").unwrap().as_deref(),
            Some("state=a"),
            "another prefix's entry stays"
        );
        session().remove_item("spa-auth.other").unwrap();
        store.remove("b");
    }

    #[wasm_bindgen_test]
    fn when_session_storage_refuses_put_says_so_and_keeps_nothing() {
        let refuse = Closure::<dyn Fn(JsValue, JsValue) -> Result<(), JsValue>>::new(|_, _| {
            Err(js_sys::Error::new("The quota has been exceeded.").into())
        });
        // On Storage.prototype: assigning to the instance stores an item named "setItem" in
        // Firefox (Storage's named-property setter, per WebIDL) instead of shadowing the method.
        let proto = js_sys::Object::get_prototype_of(&session());
        let set_item = Reflect::get(&proto, &"setItem".into()).unwrap();
        Reflect::set(&proto, &"setItem".into(), refuse.as_ref().unchecked_ref()).unwrap();
        let store = SessionStore::open("spa-auth.tx.");
        let refused = store.put("m", "state=m");
        Reflect::set(&proto, &"setItem".into(), &set_item).unwrap();
        let refused = refused.unwrap_err();
        assert_eq!(refused.code(), "storage_unavailable");
        assert!(refused.description().contains("quota"), "{refused:?}");
        assert_eq!(store.get("m"), None);
    }
}
