//! Transaction storage: `sessionStorage` (per tab, gone with it), falling back to memory when the
//! browser refuses storage (private modes, sandboxed frames, quota, Node).

use std::cell::RefCell;

use web_sys::Storage;

use crate::transaction::KEY_PREFIX;

thread_local! {
    static MEMORY: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

/// `sessionStorage` with a memory fallback. Holds transactions only, never tokens.
#[derive(Debug)]
pub struct TransactionStore {
    session: Option<Storage>,
}

impl TransactionStore {
    /// Opens `sessionStorage`, or memory when it cannot be had.
    pub fn open() -> TransactionStore {
        let session = web_sys::window().and_then(|w| w.session_storage().ok().flatten());
        TransactionStore { session }
    }

    /// Stores `value` under `key`.
    pub fn put(&self, key: &str, value: &str) {
        let stored = self
            .session
            .as_ref()
            .is_some_and(|s| s.set_item(key, value).is_ok());
        if !stored {
            MEMORY.with(|m| {
                let mut m = m.borrow_mut();
                m.retain(|(k, _)| k != key);
                m.push((key.into(), value.into()));
            });
        }
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<String> {
        let stored = self
            .session
            .as_ref()
            .and_then(|s| s.get_item(key).ok().flatten());
        stored.or_else(|| {
            MEMORY.with(|m| {
                m.borrow()
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.clone())
            })
        })
    }

    /// Removes `key`.
    pub fn remove(&self, key: &str) {
        if let Some(s) = &self.session {
            let _ = s.remove_item(key);
        }
        MEMORY.with(|m| m.borrow_mut().retain(|(k, _)| k != key));
    }

    /// Every stored key that belongs to the SDK.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> =
            MEMORY.with(|m| m.borrow().iter().map(|(k, _)| k.clone()).collect());
        if let Some(s) = &self.session {
            let len = s.length().unwrap_or(0);
            keys.extend((0..len).filter_map(|i| s.key(i).ok().flatten()));
        }
        keys.retain(|k| k.starts_with(KEY_PREFIX));
        keys
    }
}
